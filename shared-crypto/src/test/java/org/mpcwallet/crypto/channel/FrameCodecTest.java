package org.mpcwallet.crypto.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The channel's frames: every type round-trips, today's wire text reads, and each shape rule refuses on its own. */
class FrameCodecTest {
    private static final String S = "8f14e45f-ceea-4167-a5a6-0d7c2a0d8c9e";
    private static final String W = "1b4f0e98-5197-4f2c-9d6e-2a6f6a0e1c11";
    private static final String R = "c4ca4238-a0b9-4382-8dcc-509a6f75849b";
    private static final String H = "ab".repeat(32);
    private static final String PUB = "04" + "cd".repeat(64);

    private static Frame.FromBank fromBank(String text) {
        FrameCodec.Decoded<Frame.FromBank> d = FrameCodec.decodeFromBank(text);
        return (Frame.FromBank) assertInstanceOf(FrameCodec.Decoded.Ok.class, d, () -> text + " -> " + d).frame();
    }

    private static Frame.FromDevice fromDevice(String text) {
        FrameCodec.Decoded<Frame.FromDevice> d = FrameCodec.decodeFromDevice(text);
        return (Frame.FromDevice) assertInstanceOf(FrameCodec.Decoded.Ok.class, d, () -> text + " -> " + d).frame();
    }

    private static String refusedFromBank(String text) {
        return assertInstanceOf(FrameCodec.Decoded.Refused.class, FrameCodec.decodeFromBank(text), text).detail();
    }

    private static String refusedFromDevice(String text) {
        return assertInstanceOf(FrameCodec.Decoded.Refused.class, FrameCodec.decodeFromDevice(text), text).detail();
    }

    @Test
    void everyFrameRoundTrips() {
        List<Frame> device = List.of(new Frame.Keygen(W), new Frame.Sign(R, H, 3), new Frame.Sign(R, H, null),
                new Frame.Refresh(W), new Frame.Cancel(S), new Frame.Ping(),
                new Frame.Msg(S, 2, new byte[] {1, 2, 3, (byte) 0xff}));
        for (Frame f : device) {
            assertEquals(f, fromDevice(FrameCodec.encode(f)), f.toString());
        }
        List<Frame> bank = List.of(new Frame.Started(S, "KEYGEN", H, W, null), new Frame.Started(S, "SIGN", H, W, R),
                new Frame.Msg(S, 1, new byte[0]), new Frame.KeygenDone(S, W, PUB,
                        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
                new Frame.SignDone(S, R, H, "cd".repeat(32), 1, "0x02f8", "0x" + H),
                new Frame.RefreshDone(S, W, PUB, 4), new Frame.Error(S, "HASH_MISMATCH", "the hash differs"),
                new Frame.Error(null, "BAD_FRAME", null), new Frame.Pong(), new Frame.Cosign(R, S, W));
        for (Frame f : bank) {
            assertEquals(f, fromBank(FrameCodec.encode(f)), f.toString());
        }
    }

    /** The text the bank and the device send today (docs/mpc-channel.md) reads as the same frames. */
    @Test
    void todaysWireTextReads() {
        assertEquals(new Frame.Started(S, "SIGN", H, W, R), fromBank("{\"type\":\"started\",\"session\":\"" + S
                + "\",\"kind\":\"SIGN\",\"sid\":\"" + H + "\",\"walletId\":\"" + W + "\",\"requestId\":\"" + R + "\"}"));
        Frame.SignDone d = (Frame.SignDone) fromBank("{\"type\":\"done\",\"session\":\"" + S + "\",\"kind\":\"SIGN\","
                + "\"requestId\":\"" + R + "\",\"signature\":{\"r\":\"" + H + "\",\"s\":\"" + H + "\",\"v\":0},"
                + "\"rawTransaction\":\"0x02F8\",\"txHash\":\"0x" + H + "\"}");
        assertEquals(0, d.v());
        assertEquals("0x02f8", d.rawTransaction());
        assertEquals(new Frame.Error(null, "BAD_FRAME", "frame is not JSON"), fromBank(
                "{\"type\":\"error\",\"session\":null,\"code\":\"BAD_FRAME\",\"detail\":\"frame is not JSON\"}"));
        assertEquals(new Frame.Sign(R, H, 0), fromDevice("{\"type\":\"sign\",\"requestId\":\"" + R
                + "\",\"signingHash\":\"" + H.toUpperCase() + "\",\"shareEpoch\":0}"));
        Frame.Msg m = (Frame.Msg) fromDevice("{\"type\":\"msg\",\"session\":\"" + S + "\",\"seq\":2,\"payload\":\""
                + Base64.getEncoder().encodeToString(new byte[] {9, 8, 7}) + "\",\"v\":1}");
        assertArrayEquals(new byte[] {9, 8, 7}, m.payload());
    }

    @Test
    void eachRuleRefusesOnItsOwn() {
        String msg = "{\"type\":\"msg\",\"session\":\"" + S + "\",\"seq\":%s,\"payload\":\"AQID\"}";
        for (String seq : List.of("2.9", "4294967298", "-1", "\"2\"", "2e0", "null", "true")) {
            assertTrue(refusedFromDevice(String.format(msg, seq)).startsWith("field 'seq'"), seq);
        }
        for (Map.Entry<String, String> c : Map.ofEntries(
                Map.entry("{\"type\":\"keygen\"}", "field 'walletId' is missing"),
                Map.entry("{\"type\":\"keygen\",\"walletId\":\"a b\"}",
                        "field 'walletId' must be an id (1-128 characters of A-Z a-z 0-9 . _ -)"),
                Map.entry("{\"type\":\"keygen\",\"walletId\":\"" + W + "\",\"extra\":1}",
                        "field 'extra' is not part of this frame"),
                Map.entry("{\"type\":\"sign\",\"requestId\":\"" + R + "\",\"signingHash\":\"abc\"}",
                        "field 'signingHash' must be 64 hex characters"),
                Map.entry("{\"type\":\"sign\",\"requestId\":\"" + R + "\",\"signingHash\":\"" + H
                        + "\",\"shareEpoch\":-1}", "field 'shareEpoch' must be an integer in 0 .. 2147483647"),
                Map.entry("{\"type\":\"msg\",\"session\":\"" + S + "\",\"seq\":2,\"payload\":\"AQI\"}",
                        "field 'payload' must be standard base64"),
                Map.entry("{\"type\":\"started\"}", "unknown frame type 'started'"),
                Map.entry("{\"type\":true}", "field 'type' must be a string"),
                Map.entry("[1]", "the frame must be a JSON object"),
                Map.entry("{\"type\":\"ping\",\"type\":\"keygen\"}", "the frame is not JSON (duplicate key)"),
                Map.entry("{\"type\":\"evil\\u0000\"}", "unknown frame type 'evil?'")).entrySet()) {
            assertEquals(c.getValue(), refusedFromDevice(c.getKey()), c.getKey());
        }
        assertEquals("field 'kind' must be one of [KEYGEN, REFRESH, SIGN]", refusedFromBank(
                "{\"type\":\"done\",\"session\":\"" + S + "\",\"kind\":\"OTHER\"}"));
        assertEquals("field 'v' must be an integer in 0 .. 1", refusedFromBank("{\"type\":\"done\",\"session\":\""
                + S + "\",\"kind\":\"SIGN\",\"requestId\":\"" + R + "\",\"signature\":{\"r\":\"" + H + "\",\"s\":\""
                + H + "\",\"v\":2},\"rawTransaction\":\"0x02\",\"txHash\":\"0x" + H + "\"}"));
        assertEquals("field 'w' is not part of this frame", refusedFromBank("{\"type\":\"done\",\"session\":\"" + S
                + "\",\"kind\":\"SIGN\",\"requestId\":\"" + R + "\",\"signature\":{\"r\":\"" + H + "\",\"s\":\"" + H
                + "\",\"v\":1,\"w\":0},\"rawTransaction\":\"0x02\",\"txHash\":\"0x" + H + "\"}"));
        FrameCodec.Decoded.Refused<?> v2 = assertInstanceOf(FrameCodec.Decoded.Refused.class,
                FrameCodec.decodeFromDevice("{\"type\":\"ping\",\"v\":2}"));
        assertEquals("UNSUPPORTED_VERSION", v2.code());
        assertEquals("the frame is larger than 262144 bytes", refusedFromDevice("{\"type\":\"ping\",\"x\":\""
                + "a".repeat(FrameCodec.MAX_FRAME_BYTES) + "\"}"));
        // frames of the other direction are not frames of this one
        assertEquals("unknown frame type 'ping'", refusedFromBank("{\"type\":\"ping\"}"));
        assertEquals("unknown frame type 'pong'", refusedFromDevice("{\"type\":\"pong\"}"));
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.encode(new Frame.Keygen("not an id")));
        assertInstanceOf(FrameCodec.Decoded.Ok.class, FrameCodec.decodeFromDevice("{\"type\":\"ping\"}"));
    }

    /** Presigning and online signing (docs/presign-online.md): the device's two frames and the sessions' kinds. */
    @Test
    void presignAndOnlineFramesRoundTripAndRefuseWhatTheyDoNotCarry() {
        String id = "ef".repeat(32);
        for (Frame f : List.of(new Frame.Presign(W), new Frame.Online(R, H, 2, id), new Frame.Online(R, H, null, id))) {
            assertEquals(f, fromDevice(FrameCodec.encode(f)), f.toString());
        }
        assertEquals("{\"type\":\"online\",\"requestId\":\"" + R + "\",\"signingHash\":\"" + H
                + "\",\"shareEpoch\":2,\"presignatureId\":\"" + id + "\"}",
                FrameCodec.encode(new Frame.Online(R, H, 2, id)));
        for (Frame f : List.of(new Frame.Started(S, "PRESIGN", H, W, null), new Frame.Started(S, "ONLINE", H, W, R))) {
            assertEquals(f, fromBank(FrameCodec.encode(f)), f.toString());
        }
        assertEquals(new Frame.Online(R, H, null, id), fromDevice("{\"type\":\"online\",\"requestId\":\"" + R
                + "\",\"signingHash\":\"" + H + "\",\"presignatureId\":\"" + id.toUpperCase() + "\"}"));
        for (Map.Entry<String, String> c : Map.ofEntries(
                Map.entry("{\"type\":\"presign\"}", "field 'walletId' is missing"),
                Map.entry("{\"type\":\"presign\",\"walletId\":\"" + W + "\",\"shareEpoch\":1}",
                        "field 'shareEpoch' is not part of this frame"),
                Map.entry("{\"type\":\"online\",\"requestId\":\"" + R + "\",\"signingHash\":\"" + H + "\"}",
                        "field 'presignatureId' is missing"),
                Map.entry("{\"type\":\"online\",\"requestId\":\"" + R + "\",\"signingHash\":\"" + H
                        + "\",\"presignatureId\":\"abc\"}", "field 'presignatureId' must be 64 hex characters"),
                Map.entry("{\"type\":\"online\",\"requestId\":\"" + R + "\",\"signingHash\":\"" + H
                        + "\",\"presignatureId\":\"" + id + "\",\"payload\":\"AQID\"}",
                        "field 'payload' is not part of this frame")).entrySet()) {
            assertEquals(c.getValue(), refusedFromDevice(c.getKey()), c.getKey());
        }
        assertEquals("field 'requestId' is missing", refusedFromBank("{\"type\":\"started\",\"session\":\"" + S
                + "\",\"kind\":\"ONLINE\",\"sid\":\"" + H + "\",\"walletId\":\"" + W + "\"}"));
        assertEquals("field 'requestId' is not part of this frame", refusedFromBank("{\"type\":\"started\","
                + "\"session\":\"" + S + "\",\"kind\":\"PRESIGN\",\"sid\":\"" + H + "\",\"walletId\":\"" + W
                + "\",\"requestId\":\"" + R + "\"}"));
    }

    @Test
    void base64AgreesWithTheJdkAndRefusesNonCanonicalText() {
        Random rnd = new Random(11);
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[rnd.nextInt(70)];
            rnd.nextBytes(b);
            String jdk = Base64.getEncoder().encodeToString(b);
            assertEquals(jdk, Base64Codec.encode(b));
            assertArrayEquals(b, Base64Codec.decode(jdk));
        }
        for (String bad : List.of("AQI", "AQJ=", "AR==", "A===", "AQ=I", "AQ I", "AQ-_", "====", "AQ==AQ==")) {
            assertNull(Base64Codec.decode(bad), bad);
        }
        assertArrayEquals(new byte[0], Base64Codec.decode(""));
    }
}
