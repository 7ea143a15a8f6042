package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;
import org.mpcwallet.crypto.core.Bytes;

/**
 * The JSON text frames of the MPC channel (docs/mpc-channel.md "WebSocket /v1/mpc/ws"): parsing of the bank's
 * frames into records, strictly (a frame that is not what the contract says is {@code BAD_FRAME}), and building of
 * the device's frames. Binary data is base64 in {@code payload} and lowercase hex elsewhere.
 */
public final class MpcFrames {
    /** Largest frame either side sends. */
    public static final int MAX_FRAME_CHARS = 256 * 1024;

    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern HEX130 = Pattern.compile("04[0-9a-fA-F]{128}");

    private MpcFrames() {}

    /** A frame from the bank. */
    public sealed interface Inbound permits Started, Msg, KeygenDone, SignDone, RefreshDone, Error, Notice {
        String session();
    }

    public record Started(String session, String kind, byte[] sid, String walletId, String requestId)
            implements Inbound {}

    public record Msg(String session, long seq, byte[] payload) implements Inbound {
        @Override
        public String toString() {
            return "Msg[" + session + ", seq " + seq + ", " + payload.length + " bytes]";
        }
    }

    public record KeygenDone(String session, String walletId, String publicKey, String address) implements Inbound {}

    public record SignDone(String session, String requestId, BigInteger r, BigInteger s, int v, String rawTransaction,
            String txHash) implements Inbound {}

    /** A finished REFRESH: the wallet's (unchanged) public key and the key's new epoch. */
    public record RefreshDone(String session, String walletId, String publicKey, long epoch) implements Inbound {}

    public record Error(String session, String code, String detail) implements Inbound {}

    /**
     * A notification outside any session (e.g. {@code cosign}: a transaction request waits for this device's
     * co-signature); a running session ignores it.
     */
    public record Notice(String type, String txRequestId, String requestId) implements Inbound {
        @Override
        public String session() {
            return null;
        }
    }

    /** Parses one bank frame; anything malformed is an MpcException with code BAD_FRAME. */
    public static Inbound parse(String text) {
        if (text == null || text.length() > MAX_FRAME_CHARS) {
            throw bad("frame missing or larger than 256 KiB");
        }
        JsonNode n;
        try {
            n = Json.parse(text, "frame");
        } catch (WalletException e) {
            throw bad("frame is not JSON");
        }
        if (!n.isObject()) {
            throw bad("frame is not a JSON object");
        }
        String type = str(n, "type");
        return switch (type) {
            case "started" -> {
                String kind = str(n, "kind");
                if (!kind.equals("KEYGEN") && !kind.equals("SIGN") && !kind.equals("REFRESH")) {
                    throw bad("started: unknown kind");
                }
                yield new Started(str(n, "session"), kind, hex(n, "sid", HEX64), opt(n, "walletId"),
                        opt(n, "requestId"));
            }
            case "msg" -> {
                JsonNode seq = n.get("seq");
                if (seq == null || !seq.canConvertToLong() || !seq.isIntegralNumber() || seq.asLong() < 1) {
                    throw bad("msg: seq must be a positive integer");
                }
                byte[] payload;
                try {
                    payload = Base64.getDecoder().decode(str(n, "payload"));
                } catch (IllegalArgumentException e) {
                    throw bad("msg: payload is not base64");
                }
                yield new Msg(str(n, "session"), seq.asLong(), payload);
            }
            case "done" -> {
                String kind = str(n, "kind");
                if (kind.equals("KEYGEN")) {
                    String pub = str(n, "publicKey");
                    if (!HEX130.matcher(pub).matches()) {
                        throw bad("done: publicKey must be 130 hex characters (04 || x || y)");
                    }
                    yield new KeygenDone(str(n, "session"), str(n, "walletId"), pub.toLowerCase(), str(n, "address"));
                }
                if (kind.equals("SIGN")) {
                    JsonNode sig = n.get("signature");
                    if (sig == null || !sig.isObject()) {
                        throw bad("done: signature missing");
                    }
                    JsonNode v = sig.get("v");
                    if (v == null || !v.isIntegralNumber() || (v.asInt() != 0 && v.asInt() != 1)) {
                        throw bad("done: signature.v must be 0 or 1");
                    }
                    yield new SignDone(str(n, "session"), str(n, "requestId"),
                            new BigInteger(1, hex(sig, "r", HEX64)), new BigInteger(1, hex(sig, "s", HEX64)),
                            v.asInt(), str(n, "rawTransaction"), str(n, "txHash"));
                }
                if (kind.equals("REFRESH")) {
                    String pub = str(n, "publicKey");
                    if (!HEX130.matcher(pub).matches()) {
                        throw bad("done: publicKey must be 130 hex characters (04 || x || y)");
                    }
                    JsonNode epoch = n.get("epoch");
                    if (epoch == null || !epoch.isIntegralNumber() || !epoch.canConvertToInt() || epoch.asInt() < 0) {
                        throw bad("done: epoch must be a non-negative integer");
                    }
                    yield new RefreshDone(str(n, "session"), str(n, "walletId"), pub.toLowerCase(), epoch.asLong());
                }
                throw bad("done: unknown kind");
            }
            case "error" -> {
                JsonNode s = n.get("session");
                String session = s == null || s.isNull() ? null : s.asText();
                yield new Error(session, str(n, "code"), opt(n, "detail"));
            }
            case "cosign" -> new Notice("cosign", opt(n, "txRequestId"), opt(n, "requestId"));
            default -> throw bad("unknown frame type");
        };
    }

    // ---- device → bank ------------------------------------------------------------------------------------------

    public static String keygen(String walletId) {
        return write(frame("keygen").put("walletId", walletId));
    }

    /**
     * {@code sign}: the hash the device recomputed, as 64 lowercase hex characters, and the epoch of the device's
     * share, so the bank refuses a stale share ({@code STALE_SHARE}) before the signer runs.
     */
    public static String sign(String requestId, byte[] signingHash, int shareEpoch) {
        return write(frame("sign").put("requestId", requestId).put("signingHash", Bytes.toHex(signingHash))
                .put("shareEpoch", shareEpoch));
    }

    /** {@code refresh}: the OWNER's device joins a refresh an administrator authorized. */
    public static String refresh(String walletId) {
        return write(frame("refresh").put("walletId", walletId));
    }

    public static String msg(String session, long seq, byte[] payload) {
        return write(frame("msg").put("session", session).put("seq", seq)
                .put("payload", Base64.getEncoder().encodeToString(payload)));
    }

    public static String cancel(String session) {
        return write(frame("cancel").put("session", session));
    }

    private static ObjectNode frame(String type) {
        return Json.object().put("type", type);
    }

    private static String write(ObjectNode n) {
        String s = Json.write(n);
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_CHARS) {
            throw new MpcException("BAD_FRAME", "outbound frame larger than 256 KiB");
        }
        return s;
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw bad("field '" + field + "' missing or not a string");
        }
        return v.asText();
    }

    private static String opt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static byte[] hex(JsonNode n, String field, Pattern shape) {
        String s = str(n, field);
        if (!shape.matcher(s).matches()) {
            throw bad("field '" + field + "' is not hex of the expected length");
        }
        return Bytes.fromHex(s);
    }

    private static MpcException bad(String detail) {
        return new MpcException("BAD_FRAME", "the bank sent a malformed frame: " + detail);
    }
}
