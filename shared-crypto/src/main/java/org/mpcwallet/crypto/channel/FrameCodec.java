package org.mpcwallet.crypto.channel;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one codec of the channel's frames (docs/redesign.md, "channel"): strict both ways. Decoding refuses text that
 * is not strict JSON ({@link Json}), larger than {@link #MAX_FRAME_BYTES}, of an unknown type or version, with an
 * unknown, missing or ill-shaped field; the refusal names the field ({@link Decoded.Refused}). Encoding writes the
 * fields in a fixed order and checks the same shapes, so a frame this codec writes is one it reads.
 */
public final class FrameCodec {
    /** The one frame limit of the channel (bytes of UTF-8; frames are ASCII). */
    public static final int MAX_FRAME_BYTES = 256 * 1024;
    /** The format version this codec speaks; a frame may say {@code "v":1} or nothing. */
    public static final int VERSION = 1;

    private FrameCodec() {
    }

    /** The outcome of decoding one frame. */
    public sealed interface Decoded<F extends Frame> permits Decoded.Ok, Decoded.Refused {
        /** A well-formed frame. */
        record Ok<F extends Frame>(F frame) implements Decoded<F> {
        }

        /** Why the text is not a frame: {@code BAD_FRAME} or {@code UNSUPPORTED_VERSION}, and the detail. */
        record Refused<F extends Frame>(String code, String detail) implements Decoded<F> {
        }
    }

    /** A frame the bank sent (read by the device). */
    public static Decoded<Frame.FromBank> decodeFromBank(String text) {
        return decode(text, true);
    }

    /** A frame the device sent (read by the bank). */
    public static Decoded<Frame.FromDevice> decodeFromDevice(String text) {
        return decode(text, false);
    }

    @SuppressWarnings("unchecked")
    private static <F extends Frame> Decoded<F> decode(String text, boolean fromBank) {
        if (text == null || text.isEmpty()) {
            return new Decoded.Refused<>("BAD_FRAME", "the frame is empty");
        }
        if (text.length() > MAX_FRAME_BYTES) {
            return new Decoded.Refused<>("BAD_FRAME", "the frame is larger than " + MAX_FRAME_BYTES + " bytes");
        }
        Json.Parsed parsed = Json.parse(text);
        if (parsed instanceof Json.Parsed.Refused r) {
            return new Decoded.Refused<>("BAD_FRAME", "the frame is not JSON (" + r.reason() + ")");
        }
        if (!(((Json.Parsed.Ok) parsed).value() instanceof Json.Obj o)) {
            return new Decoded.Refused<>("BAD_FRAME", "the frame must be a JSON object");
        }
        try {
            Fields f = new Fields(o);
            Json.Value version = o.members().get("v");
            if (version != null && !(version instanceof Json.Num n && BigInteger.valueOf(VERSION)
                    .equals(n.integerOrNull()))) {
                return new Decoded.Refused<>("UNSUPPORTED_VERSION", "this side speaks version " + VERSION
                        + " of the channel");
            }
            String type = f.string("type");
            Frame frame = fromBank ? bankFrame(type, f) : deviceFrame(type, f);
            f.noOthers();
            return new Decoded.Ok<>((F) frame);
        } catch (Bad e) {
            return new Decoded.Refused<>("BAD_FRAME", e.getMessage());
        }
    }

    private static Frame deviceFrame(String type, Fields f) {
        return switch (type) {
            case "keygen" -> new Frame.Keygen(f.id("walletId"));
            case "sign" -> new Frame.Sign(f.id("requestId"), f.hex("signingHash", 64),
                    f.optionalInt("shareEpoch", 0, Integer.MAX_VALUE));
            case "refresh" -> new Frame.Refresh(f.id("walletId"));
            case "presign" -> new Frame.Presign(f.id("walletId"));
            case "online" -> new Frame.Online(f.id("requestId"), f.hex("signingHash", 64),
                    f.optionalInt("shareEpoch", 0, Integer.MAX_VALUE), f.hex("presignatureId", 64));
            case "msg" -> msg(f);
            case "cancel" -> new Frame.Cancel(f.id("session"));
            case "ping" -> new Frame.Ping();
            default -> throw new Bad("unknown frame type '" + clip(type) + "'");
        };
    }

    private static Frame bankFrame(String type, Fields f) {
        return switch (type) {
            case "started" -> {
                String session = f.id("session");
                String kind = f.oneOf("kind", Set.of("KEYGEN", "SIGN", "REFRESH", "PRESIGN", "ONLINE"));
                String sid = f.hex("sid", 64);
                String walletId = f.id("walletId");
                String requestId = kind.equals("SIGN") || kind.equals("ONLINE") ? f.id("requestId") : null;
                yield new Frame.Started(session, kind, sid, walletId, requestId);
            }
            case "msg" -> msg(f);
            case "done" -> {
                String session = f.id("session");
                String kind = f.oneOf("kind", Set.of("KEYGEN", "SIGN", "REFRESH"));
                yield switch (kind) {
                    case "KEYGEN" -> new Frame.KeygenDone(session, f.id("walletId"), f.publicKey("publicKey"),
                            f.address("address"));
                    case "SIGN" -> {
                        String requestId = f.id("requestId");
                        Fields sig = f.object("signature");
                        Frame.SignDone d = new Frame.SignDone(session, requestId, sig.hex("r", 64), sig.hex("s", 64),
                                (int) sig.integer("v", 0, 1), f.prefixedHex("rawTransaction", -1),
                                f.prefixedHex("txHash", 64));
                        sig.noOthers();
                        yield d;
                    }
                    default -> new Frame.RefreshDone(session, f.id("walletId"), f.publicKey("publicKey"),
                            f.integer("epoch", 0, Integer.MAX_VALUE));
                };
            }
            case "error" -> new Frame.Error(f.optionalId("session"), f.code("code"), f.optionalString("detail"));
            case "pong" -> new Frame.Pong();
            case "cosign" -> new Frame.Cosign(f.id("txRequestId"), f.id("requestId"), f.id("walletId"));
            default -> throw new Bad("unknown frame type '" + clip(type) + "'");
        };
    }

    private static Frame.Msg msg(Fields f) {
        String session = f.id("session");
        long seq = f.integer("seq", 0, Integer.MAX_VALUE);
        String text = f.string("payload");
        byte[] payload = Base64Codec.decode(text);
        if (payload == null) {
            throw new Bad("field 'payload' must be standard base64");
        }
        return new Frame.Msg(session, seq, payload);
    }

    /** The frame's text; throws IllegalArgumentException for a frame whose fields are not what the codec reads. */
    public static String encode(Frame frame) {
        Map<String, Json.Value> m = new LinkedHashMap<>();
        if (frame instanceof Frame.Keygen k) {
            put(m, "type", "keygen", "walletId", k.walletId());
        } else if (frame instanceof Frame.Sign s) {
            put(m, "type", "sign", "requestId", s.requestId(), "signingHash", s.signingHash());
            if (s.shareEpoch() != null) {
                m.put("shareEpoch", new Json.Num(Integer.toString(s.shareEpoch())));
            }
        } else if (frame instanceof Frame.Refresh r) {
            put(m, "type", "refresh", "walletId", r.walletId());
        } else if (frame instanceof Frame.Presign p) {
            put(m, "type", "presign", "walletId", p.walletId());
        } else if (frame instanceof Frame.Online o) {
            put(m, "type", "online", "requestId", o.requestId(), "signingHash", o.signingHash());
            if (o.shareEpoch() != null) {
                m.put("shareEpoch", new Json.Num(Integer.toString(o.shareEpoch())));
            }
            put(m, "presignatureId", o.presignatureId());
        } else if (frame instanceof Frame.Cancel c) {
            put(m, "type", "cancel", "session", c.session());
        } else if (frame instanceof Frame.Ping) {
            put(m, "type", "ping");
        } else if (frame instanceof Frame.Msg g) {
            put(m, "type", "msg", "session", g.session());
            m.put("seq", new Json.Num(Long.toString(g.seq())));
            m.put("payload", new Json.Str(Base64Codec.encode(g.payload())));
        } else if (frame instanceof Frame.Started s) {
            put(m, "type", "started", "session", s.session(), "kind", s.kind(), "sid", s.sid(), "walletId",
                    s.walletId());
            if (s.requestId() != null) {
                m.put("requestId", new Json.Str(s.requestId()));
            }
        } else if (frame instanceof Frame.KeygenDone d) {
            put(m, "type", "done", "session", d.session(), "kind", "KEYGEN", "walletId", d.walletId(), "publicKey",
                    d.publicKey(), "address", d.address());
        } else if (frame instanceof Frame.SignDone d) {
            put(m, "type", "done", "session", d.session(), "kind", "SIGN", "requestId", d.requestId());
            Map<String, Json.Value> sig = new LinkedHashMap<>();
            put(sig, "r", d.r(), "s", d.s());
            sig.put("v", new Json.Num(Integer.toString(d.v())));
            m.put("signature", new Json.Obj(sig));
            put(m, "rawTransaction", d.rawTransaction(), "txHash", d.txHash());
        } else if (frame instanceof Frame.RefreshDone d) {
            put(m, "type", "done", "session", d.session(), "kind", "REFRESH", "walletId", d.walletId(), "publicKey",
                    d.publicKey());
            m.put("epoch", new Json.Num(Long.toString(d.epoch())));
        } else if (frame instanceof Frame.Error e) {
            m.put("type", new Json.Str("error"));
            m.put("session", e.session() == null ? Json.Null.INSTANCE : new Json.Str(e.session()));
            m.put("code", new Json.Str(e.code()));
            m.put("detail", e.detail() == null ? Json.Null.INSTANCE : new Json.Str(e.detail()));
        } else if (frame instanceof Frame.Pong) {
            put(m, "type", "pong");
        } else if (frame instanceof Frame.Cosign c) {
            put(m, "type", "cosign", "txRequestId", c.txRequestId(), "requestId", c.requestId(), "walletId",
                    c.walletId());
        }
        String text = Json.write(new Json.Obj(m));
        boolean fromBank = frame instanceof Frame.FromBank && !(frame instanceof Frame.Msg);
        Decoded<?> back = fromBank ? decodeFromBank(text) : decodeFromDevice(text);
        if (back instanceof Decoded.Refused<?> r) {
            throw new IllegalArgumentException("not a frame this codec reads: " + r.detail());
        }
        return text;
    }

    private static void put(Map<String, Json.Value> m, String... kv) {
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                throw new IllegalArgumentException(kv[i] + " is missing");
            }
            m.put(kv[i], new Json.Str(kv[i + 1]));
        }
    }

    static String clip(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    /** A refusal inside the reader; {@link #decode} turns it into a value. */
    private static final class Bad extends RuntimeException {
        Bad(String detail) {
            super(detail, null, false, false);
        }
    }

    /** The fields of one object, read once each; {@link #noOthers} refuses what was not read. */
    private static final class Fields {
        private final Json.Obj o;
        private final Set<String> read = new java.util.HashSet<>();

        Fields(Json.Obj o) {
            this.o = o;
            read.add("v");
        }

        private Json.Value get(String name) {
            read.add(name);
            return o.members().get(name);
        }

        void noOthers() {
            for (String k : o.members().keySet()) {
                if (!read.contains(k)) {
                    throw new Bad("field '" + clip(k) + "' is not part of this frame");
                }
            }
        }

        String string(String name) {
            Json.Value v = get(name);
            if (!(v instanceof Json.Str s)) {
                throw new Bad("field '" + name + "' " + (v == null ? "is missing" : "must be a string"));
            }
            return s.value();
        }

        String optionalString(String name) {
            Json.Value v = get(name);
            return v == null || v instanceof Json.Null ? null : string(name);
        }

        /** An id (wallet, request, session): 1-128 characters of {@code A-Z a-z 0-9 . _ -}; the bank uses UUIDs. */
        String id(String name) {
            String s = string(name);
            if (!isId(s)) {
                throw new Bad("field '" + name + "' must be an id (1-128 characters of A-Z a-z 0-9 . _ -)");
            }
            return s;
        }

        String optionalId(String name) {
            Json.Value v = get(name);
            return v == null || v instanceof Json.Null ? null : id(name);
        }

        String hex(String name, int length) {
            String s = string(name);
            if (s.length() != length || !isHex(s, 0)) {
                throw new Bad("field '" + name + "' must be " + length + " hex characters");
            }
            return s.toLowerCase(java.util.Locale.ROOT);
        }

        /** {@code 0x} and hex: exactly {@code length} digits, or an even number of at least 2 when -1. */
        String prefixedHex(String name, int length) {
            String s = string(name);
            int digits = s.length() - 2;
            if (!s.startsWith("0x") || !isHex(s, 2) || (length >= 0 ? digits != length : digits < 2 || digits % 2 != 0)) {
                throw new Bad("field '" + name + "' must be 0x and " + (length >= 0 ? length + " hex characters"
                        : "hex bytes"));
            }
            return "0x" + s.substring(2).toLowerCase(java.util.Locale.ROOT);
        }

        String publicKey(String name) {
            String s = string(name);
            if (s.length() != 130 || !s.startsWith("04") || !isHex(s, 0)) {
                throw new Bad("field '" + name + "' must be 130 hex characters (04 || x || y)");
            }
            return s.toLowerCase(java.util.Locale.ROOT);
        }

        String address(String name) {
            String s = string(name);
            if (s.length() != 42 || !s.startsWith("0x") || !isHex(s, 2)) {
                throw new Bad("field '" + name + "' must be an address (0x and 40 hex characters)");
            }
            return s;
        }

        String oneOf(String name, Set<String> allowed) {
            String s = string(name);
            if (!allowed.contains(s)) {
                throw new Bad("field '" + name + "' must be one of " + new java.util.TreeSet<>(allowed));
            }
            return s;
        }

        String code(String name) {
            String s = string(name);
            if (s.isEmpty() || s.length() > 40) {
                throw new Bad("field '" + name + "' must be an error code");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9')) {
                    throw new Bad("field '" + name + "' must be an error code");
                }
            }
            return s;
        }

        long integer(String name, long min, long max) {
            Json.Value v = get(name);
            BigInteger i = v instanceof Json.Num n ? n.integerOrNull() : null;
            if (i == null || i.compareTo(BigInteger.valueOf(min)) < 0 || i.compareTo(BigInteger.valueOf(max)) > 0) {
                throw new Bad("field '" + name + "' " + (v == null ? "is missing" : "must be an integer in " + min
                        + " .. " + max));
            }
            return i.longValue();
        }

        Integer optionalInt(String name, int min, int max) {
            Json.Value v = get(name);
            return v == null || v instanceof Json.Null ? null : (int) integer(name, min, max);
        }

        Fields object(String name) {
            Json.Value v = get(name);
            if (!(v instanceof Json.Obj inner)) {
                throw new Bad("field '" + name + "' " + (v == null ? "is missing" : "must be an object"));
            }
            Fields f = new Fields(inner);
            f.read.remove("v");
            return f;
        }

        private static boolean isId(String s) {
            if (s.isEmpty() || s.length() > 128) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                        || c == '-')) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isHex(String s, int from) {
            for (int i = from; i < s.length(); i++) {
                if (Character.digit(s.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return s.length() > from;
        }
    }
}
