package org.mpcwallet.desktop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.hash.Keccak256;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.signer.BankSigner;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.gateway.LocalSignerGateway;
import org.mpcwallet.signer.permit.InMemoryNonceLedger;
import org.mpcwallet.signer.permit.PermitKeys;
import org.mpcwallet.signer.permit.PermitSigner;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.permit.SigningPermit;
import org.mpcwallet.signer.store.KeyEncryptionKey;

/**
 * The bank's side of the MPC channel for tests: the frame rules of docs/mpc-channel.md in front of a real P1 (a
 * {@link BankSigner} behind bank-signer's {@link LocalSignerGateway}, with a real Ed25519 permit key). One session
 * at a time; {@link #onDeviceFrame} takes the device's JSON frame and returns the bank's JSON frames. It is the
 * stand-in for bank-server's WebSocket endpoint, which is not needed to test the device's session logic.
 */
public final class InProcessBank {
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final KeyPair orchestrator = PermitKeys.generate(random);
    private final PermitSigner permits = new PermitSigner(orchestrator.getPrivate());
    private final LocalSignerGateway gateway = new LocalSignerGateway(
            new BankSigner(KeyEncryptionKey.generate(random),
                    new PermitVerifier(orchestrator.getPublic(), clock, new InMemoryNonceLedger(clock)), (k, c) -> {},
                    TestShares.bankParams()),
            clock, Duration.ofSeconds(60), random);
    private final Map<String, EthTransaction> requests = new HashMap<>();
    private final Map<String, String> requestWallet = new HashMap<>();

    /** Called with (seq, payload) of every device message before it reaches the signer. */
    public BiConsumer<Long, byte[]> beforeSigner = (seq, payload) -> {};

    private String session;
    private String kind;
    private String walletId;
    private String requestId;
    private String handle;
    private long lastSeq;

    /** Registers a sign request the bank "holds" (what bank-server keeps in sign_requests). */
    public String addRequest(String walletId, EthTransaction tx) {
        String id = UUID.randomUUID().toString();
        requests.put(id, tx);
        requestWallet.put(id, walletId);
        return id;
    }

    public List<String> onDeviceFrame(String text) {
        JsonNode f = Json.parse(text, "device frame");
        String type = f.path("type").asText();
        return switch (type) {
            case "keygen" -> start("KEYGEN", f.path("walletId").asText(), null, null);
            case "sign" -> {
                String id = f.path("requestId").asText();
                EthTransaction tx = requests.get(id);
                if (tx == null) {
                    yield List.of(error(null, "NOT_FOUND", "no such sign request"));
                }
                if (!f.path("signingHash").asText().equals(Bytes.toHex(tx.signingHash()))) {
                    yield List.of(error(null, "HASH_MISMATCH", "the device's hash differs from the request's"));
                }
                yield start("SIGN", requestWallet.get(id), id, tx);
            }
            case "msg" -> msg(f);
            case "cancel" -> {
                if (handle != null) {
                    gateway.abandon(handle);
                }
                String s = session;
                session = null;
                yield List.of(error(s, "CANCELLED", "the device cancelled the session"));
            }
            default -> List.of(error(null, "BAD_FRAME", "unknown frame type"));
        };
    }

    private List<String> start(String kind, String walletId, String requestId, EthTransaction tx) {
        byte[] sid = new byte[32];
        random.nextBytes(sid);
        this.session = UUID.randomUUID().toString();
        this.kind = kind;
        this.walletId = walletId;
        this.requestId = requestId;
        this.lastSeq = 0;
        GatewayReply r;
        if (kind.equals("KEYGEN")) {
            r = gateway.keygenStart(walletId, sid);
        } else {
            long now = clock.millis();
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            SigningPermit p = SigningPermit.forTransaction(requestId, walletId, walletId, tx, now - 500, now + 30_000,
                    nonce, List.of(new SigningPermit.Control("test", "pass")), new byte[32]);
            r = gateway.signStart(walletId, sid, p.encode(), permits.sign(p));
        }
        ObjectNode started = Json.object().put("type", "started").put("session", session).put("kind", kind)
                .put("sid", HexFormat.of().formatHex(sid)).put("walletId", walletId);
        if (requestId != null) {
            started.put("requestId", requestId);
        }
        List<String> out = new ArrayList<>();
        out.add(Json.write(started));
        out.addAll(reply(r, tx));
        return out;
    }

    private List<String> msg(JsonNode f) {
        if (session == null || !session.equals(f.path("session").asText())) {
            return List.of(error(f.path("session").asText(null), "UNKNOWN_SESSION", "no such session"));
        }
        long seq = f.path("seq").asLong();
        if (seq != lastSeq + 1) {
            gateway.abandon(handle);
            String s = session;
            session = null;
            return List.of(error(s, "OUT_OF_ORDER", "expected seq " + (lastSeq + 1)));
        }
        lastSeq = seq;
        byte[] payload = Base64.getDecoder().decode(f.path("payload").asText());
        beforeSigner.accept(seq, payload);
        return reply(gateway.next(handle, payload), requests.get(requestId));
    }

    private List<String> reply(GatewayReply r, EthTransaction tx) {
        switch (r) {
            case GatewayReply.Continue c -> {
                handle = c.handle();
                lastSeq += 1;
                return List.of(Json.write(Json.object().put("type", "msg").put("session", session).put("seq", lastSeq)
                        .put("payload", Base64.getEncoder().encodeToString(c.outbound()))));
            }
            case GatewayReply.KeysetDone d when kind.equals("KEYGEN") -> {
                String s = session;
                session = null;
                String pub = d.keyset().publicKeyHex();
                return List.of(Json.write(Json.object().put("type", "done").put("session", s).put("kind", "KEYGEN")
                        .put("walletId", walletId).put("publicKey", pub)
                        .put("address", EthAddress.fromPublicKey(HexFormat.of().parseHex(pub)).toChecksumHex())));
            }
            case GatewayReply.Signed d when !kind.equals("KEYGEN") -> {
                String s = session;
                session = null;
                GatewayReply.Signature g = d.signature();
                EcdsaSignature sig = new EcdsaSignature(g.r(), g.s(), g.recoveryId());
                byte[] raw = tx.encodeSigned(sig);
                ObjectNode done = Json.object().put("type", "done").put("session", s).put("kind", "SIGN")
                        .put("requestId", requestId).put("rawTransaction", "0x" + Bytes.toHex(raw))
                        .put("txHash", "0x" + Bytes.toHex(Keccak256.hash(raw)));
                done.putObject("signature").put("r", Bytes.toHex(Bytes.fixedWidth(g.r(), 32)))
                        .put("s", Bytes.toHex(Bytes.fixedWidth(g.s(), 32))).put("v", g.recoveryId());
                return List.of(Json.write(done));
            }
            case GatewayReply.Failure f -> {
                String s = session;
                session = null;
                String code = switch (f) {
                    case GatewayReply.Aborted a -> a.keyLocked() ? "KEY_LOCKED" : "PROTOCOL_ABORTED";
                    case GatewayReply.PermitRefused p -> "PERMIT_REFUSED";
                    case GatewayReply.Failed x -> "SIGNER_FAILED";
                };
                return List.of(error(s, code, f.kindName() + ": " + f.reason()));
            }
            default -> throw new IllegalStateException("the signer finished a " + kind + " with " + r);
        }
    }

    public static String error(String session, String code, String detail) {
        ObjectNode n = Json.object().put("type", "error");
        if (session == null) {
            n.putNull("session");
        } else {
            n.put("session", session);
        }
        return Json.write(n.put("code", code).put("detail", detail));
    }
}
