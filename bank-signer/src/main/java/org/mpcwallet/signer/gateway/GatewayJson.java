package org.mpcwallet.signer.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Set;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.signer.internal.StrictJson;
import org.mpcwallet.signer.permit.PermitFailureKind;

/**
 * The JSON form of {@link GatewayReply} and {@link GatewayKeyset} exchanged between {@link RemoteSignerGateway} and
 * the signer service (docs/bank-signer.md "Signer service"). Binary values are canonical padded standard base64,
 * r and s are 64 lowercase hex characters. Decoding is strict: every field present, no others, exact types.
 */
public final class GatewayJson {
    /** Largest protocol message carried in a reply (the signer's own messages are well below). */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private static final Set<String> REPLY_FIELDS = Set.of("status", "handle", "outbound", "keyset", "signature",
            "failureKind", "reason", "keyLocked");
    /** The field only a presign's DONE carries (so that every other reply reads as before presigning). */
    private static final String PRESIGNATURE_ID = "presignatureId";
    private static final Set<String> PRESIGN_REPLY_FIELDS = plus(REPLY_FIELDS, PRESIGNATURE_ID);
    private static final Set<String> KEYSET_FIELDS = Set.of("keysetId", "epoch", "publicKeyHex", "locked",
            "retired", "sweepTo", "sweepsLeft");
    private static final Set<String> SIGNATURE_FIELDS = Set.of("r", "s", "recoveryId");

    private static final String CONTINUE = "CONTINUE";
    private static final String DONE = "DONE";
    private static final String ABORTED = "ABORTED";
    private static final String PERMIT_REFUSED = "PERMIT_REFUSED";
    private static final String FAILED = "FAILED";
    /** The wire statuses of {@link GatewayReply}'s cases. */
    private static final Set<String> STATUSES = Set.of(CONTINUE, DONE, ABORTED, PERMIT_REFUSED, FAILED);

    private GatewayJson() {}

    public static byte[] encodeReply(GatewayReply reply) {
        ObjectNode o = StrictJson.newObject();
        o.put("status", statusOf(reply));
        o.put("handle", reply instanceof GatewayReply.Continue c ? c.handle() : null);
        byte[] out = switch (reply) {
            case GatewayReply.Continue c -> c.outbound();
            case GatewayReply.KeysetDone d -> d.lastMessage();
            case GatewayReply.PresignDone d -> d.lastMessage();
            default -> null;
        };
        o.put("outbound", out == null ? null : Base64.getEncoder().encodeToString(out));
        if (reply instanceof GatewayReply.KeysetDone d) {
            o.set("keyset", keysetNode(d.keyset()));
        } else {
            o.putNull("keyset");
        }
        if (reply instanceof GatewayReply.Signed signed) {
            GatewayReply.Signature sig = signed.signature();
            ObjectNode s = o.putObject("signature");
            s.put("r", hex32(sig.r()));
            s.put("s", hex32(sig.s()));
            s.put("recoveryId", sig.recoveryId());
        } else {
            o.putNull("signature");
        }
        if (reply instanceof GatewayReply.PresignDone d) {
            o.put(PRESIGNATURE_ID, d.presignatureId()); // only here: every other reply is as before presigning
        }
        GatewayReply.Failure f = reply instanceof GatewayReply.Failure failure ? failure : null;
        o.put("failureKind", f == null ? null : f.kindName());
        o.put("reason", f == null ? null : f.reason());
        o.put("keyLocked", f != null && f.keyLocked());
        return StrictJson.write(o);
    }

    public static byte[] encodeKeyset(GatewayKeyset keyset) {
        return StrictJson.write(keysetNode(keyset));
    }

    /** A reply, or {@link StrictJson.Invalid} naming the first rule the document breaks. */
    public static GatewayReply decodeReply(byte[] json) throws StrictJson.Invalid {
        ObjectNode o = StrictJson.object(json);
        boolean presign = o.has(PRESIGNATURE_ID);
        StrictJson.fields(o, "reply", presign ? PRESIGN_REPLY_FIELDS : REPLY_FIELDS);
        String presignatureId = presign ? StrictJson.text(o, PRESIGNATURE_ID) : null;
        String status = StrictJson.text(o, "status");
        if (!STATUSES.contains(status)) {
            throw new StrictJson.Invalid("field \"status\" is not a known status");
        }
        String handle = StrictJson.textOrNull(o, "handle");
        byte[] outbound = StrictJson.base64OrNull(o, "outbound", MAX_MESSAGE_BYTES);
        ObjectNode k = StrictJson.objectOrNull(o, "keyset");
        GatewayKeyset keyset = k == null ? null : keysetOf(k);
        ObjectNode s = StrictJson.objectOrNull(o, "signature");
        GatewayReply.Signature signature = null;
        if (s != null) {
            StrictJson.fields(s, "signature", SIGNATURE_FIELDS);
            signature = new GatewayReply.Signature(scalar(s, "r"), scalar(s, "s"),
                    (int) StrictJson.integer(s, "recoveryId", 0, 1));
        }
        String failureKind = StrictJson.textOrNull(o, "failureKind");
        String reason = StrictJson.textOrNull(o, "reason");
        boolean keyLocked = StrictJson.bool(o, "keyLocked");
        boolean failure = !status.equals(CONTINUE) && !status.equals(DONE);
        if (failure != (failureKind != null) || failure != (reason != null)) {
            throw new StrictJson.Invalid("failureKind and reason must be present exactly for failures");
        }
        if (presign && !status.equals(DONE)) {
            throw new StrictJson.Invalid("only a presign's DONE carries a presignature id");
        }
        if (!status.equals(CONTINUE) && handle != null) {
            throw new StrictJson.Invalid("only a CONTINUE reply carries a handle");
        }
        if (failure && (outbound != null || keyset != null || signature != null)) {
            throw new StrictJson.Invalid("a failure reply carries no message, keyset or signature");
        }
        if (keyset != null && signature != null) {
            throw new StrictJson.Invalid("a reply carries a keyset or a signature, not both");
        }
        if (keyLocked && !failure) {
            throw new StrictJson.Invalid("keyLocked is only set on a failure");
        }
        try {
            return switch (status) {
                case CONTINUE -> {
                    if (keyset != null || signature != null) {
                        throw new StrictJson.Invalid("a CONTINUE reply carries no keyset or signature");
                    }
                    yield new GatewayReply.Continue(handle, outbound);
                }
                case DONE -> {
                    if (presign) {
                        if (keyset != null || signature != null || outbound == null
                                || !presignatureId.matches("[0-9a-f]{64}")) {
                            throw new StrictJson.Invalid("a presign's DONE carries a presignature id of 64 lowercase "
                                    + "hex characters and the last message, and no keyset or signature");
                        }
                        yield new GatewayReply.PresignDone(presignatureId, outbound);
                    }
                    if (signature == null) {
                        yield new GatewayReply.KeysetDone(keyset, outbound);
                    }
                    if (outbound != null) {
                        throw new StrictJson.Invalid("a signature reply carries no message");
                    }
                    yield new GatewayReply.Signed(signature);
                }
                case ABORTED -> {
                    FailureKind protocol = kind(FailureKind.class, failureKind);
                    yield protocol != null ? new GatewayReply.Aborted(protocol, reason, keyLocked)
                            : unrecognized(status, failureKind, reason, keyLocked);
                }
                case PERMIT_REFUSED -> {
                    if (keyLocked) {
                        throw new StrictJson.Invalid("a PERMIT_REFUSED reply never locks the key");
                    }
                    PermitFailureKind permit = kind(PermitFailureKind.class, failureKind);
                    yield permit != null ? new GatewayReply.PermitRefused(permit, reason)
                            : unrecognized(status, failureKind, reason, false);
                }
                default -> {
                    GatewayFailureKind gateway = kind(GatewayFailureKind.class, failureKind);
                    yield gateway != null ? new GatewayReply.Failed(gateway, reason, keyLocked)
                            : unrecognized(status, failureKind, reason, keyLocked);
                }
            };
        } catch (IllegalArgumentException e) {
            throw new StrictJson.Invalid("reply is inconsistent: " + e.getMessage());
        }
    }

    /** The wire status of a reply. */
    private static String statusOf(GatewayReply reply) {
        return switch (reply) {
            case GatewayReply.Continue c -> CONTINUE;
            case GatewayReply.KeysetDone d -> DONE;
            case GatewayReply.Signed d -> DONE;
            case GatewayReply.PresignDone d -> DONE;
            case GatewayReply.Aborted a -> ABORTED;
            case GatewayReply.PermitRefused p -> PERMIT_REFUSED;
            case GatewayReply.Failed f -> FAILED;
        };
    }

    /** The constant of {@code type} named {@code name}, or null when this build does not know it. */
    private static <E extends Enum<E>> E kind(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /**
     * A failure whose kind this build does not know (a signer of another build): still a failure, never dropped,
     * its reason naming the signer's status and kind, and its key lock kept (a lock must reach the bank's records).
     */
    private static GatewayReply unrecognized(String status, String kind, String reason, boolean keyLocked) {
        return new GatewayReply.Failed(GatewayFailureKind.UNRECOGNIZED, status + " " + kind + ": " + reason,
                keyLocked);
    }

    public static GatewayKeyset decodeKeyset(byte[] json) throws StrictJson.Invalid {
        return keysetOf(StrictJson.object(json));
    }

    private static GatewayKeyset keysetOf(ObjectNode k) throws StrictJson.Invalid {
        StrictJson.fields(k, "keyset", KEYSET_FIELDS);
        String id = StrictJson.identifier(k, "keysetId", 1, 128);
        int epoch = (int) StrictJson.integer(k, "epoch", 0, 0xFFFF_FFFFL);
        String q = StrictJson.text(k, "publicKeyHex");
        if (StrictJson.hexOrNull(q, 65) == null || !q.startsWith("04")) {
            throw new StrictJson.Invalid("field \"publicKeyHex\" must be 130 lowercase hex characters starting 04");
        }
        String sweepTo = StrictJson.textOrNull(k, "sweepTo");
        try {
            return new GatewayKeyset(id, epoch, q, StrictJson.bool(k, "locked"), StrictJson.bool(k, "retired"),
                    sweepTo, (int) StrictJson.integer(k, "sweepsLeft", 0, Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new StrictJson.Invalid("keyset: " + e.getMessage());
        }
    }

    private static ObjectNode keysetNode(GatewayKeyset k) {
        ObjectNode n = StrictJson.newObject();
        n.put("keysetId", k.keysetId());
        n.put("epoch", Integer.toUnsignedLong(k.epoch()));
        n.put("publicKeyHex", k.publicKeyHex());
        n.put("locked", k.locked());
        n.put("retired", k.retired());
        n.put("sweepTo", k.sweepTo());
        n.put("sweepsLeft", k.sweepsLeft());
        return n;
    }

    private static Set<String> plus(Set<String> fields, String one) {
        java.util.HashSet<String> all = new java.util.HashSet<>(fields);
        all.add(one);
        return Set.copyOf(all);
    }

    private static BigInteger scalar(ObjectNode o, String field) throws StrictJson.Invalid {
        BigInteger v = new BigInteger(1, StrictJson.hex(o, field, 32));
        if (v.signum() == 0 || v.compareTo(Secp256k1.N) >= 0) {
            throw new StrictJson.Invalid("field \"" + field + "\" must be in 1..n-1");
        }
        return v;
    }

    private static String hex32(BigInteger v) {
        String h = v.toString(16);
        if (h.length() > 64) {
            throw new IllegalArgumentException("not a 256-bit scalar");
        }
        return "0".repeat(64 - h.length()) + h;
    }
}
