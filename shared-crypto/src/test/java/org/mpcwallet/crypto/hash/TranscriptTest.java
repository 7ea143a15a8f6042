package org.mpcwallet.crypto.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.ec.Secp256k1;

/**
 * Fiat-Shamir transcript: injective encoding (checklist row 4, the TSSHOCK "alpha-shuffle" class of attacks where
 * differently split tuples hash identically), the documented wire format (docs/protocol.md 2.3) re-derived with
 * the JDK's SHA-256, and challenge sampling.
 */
class TranscriptTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Independent re-implementation of the element encoding: u32 len(label) || label || u32 len(value) || value. */
    private static void element(ByteArrayOutputStream out, String label, byte[] value) {
        byte[] l = utf8(label);
        out.writeBytes(Bytes.int32(l.length));
        out.writeBytes(l);
        out.writeBytes(Bytes.int32(value.length));
        out.writeBytes(value);
    }

    private static void assertDistinct(Transcript a, Transcript b, String what) {
        assertFalse(Arrays.equals(a.encoding(), b.encoding()), what + ": encodings must differ");
        assertFalse(Arrays.equals(a.digest(), b.digest()), what + ": digests must differ");
        assertNotEquals(a.challengeBelow("e", Secp256k1.N), b.challengeBelow("e", Secp256k1.N),
                what + ": challenges must differ");
    }

    // ---------------------------------------------------------------- injectivity (checklist row 4, TSSHOCK)

    @Test
    void alphaShuffleValuesWithEqualConcatenationAreDistinct() {
        assertArrayEquals(Bytes.concat(utf8("ab"), utf8("c")), Bytes.concat(utf8("a"), utf8("bc")));
        assertDistinct(new Transcript("d").append("alpha", utf8("ab")).append("alpha", utf8("c")),
                new Transcript("d").append("alpha", utf8("a")).append("alpha", utf8("bc")), "(ab,c) vs (a,bc)");
        assertDistinct(new Transcript("d").append("alpha", utf8("abc")),
                new Transcript("d").append("alpha", utf8("ab")).append("alpha", utf8("c")), "(abc) vs (ab,c)");
        assertDistinct(new Transcript("d").append("alpha", utf8("abc")).append("alpha", new byte[0]),
                new Transcript("d").append("alpha", utf8("abc")), "trailing empty element");
        assertDistinct(new Transcript("d").append("alpha", new byte[0]).append("alpha", utf8("abc")),
                new Transcript("d").append("alpha", utf8("abc")).append("alpha", new byte[0]), "empty moved");
    }

    @Test
    void alphaShuffleOfIntegerTuplesIsDistinct() {
        // TSSHOCK-style: a tuple of integers re-split so that the plain concatenation of their bytes is equal.
        List<BigInteger> a = List.of(BigInteger.valueOf(0x0102), BigInteger.valueOf(0x03));
        List<BigInteger> b = List.of(BigInteger.valueOf(0x01), BigInteger.valueOf(0x0203));
        List<BigInteger> c = List.of(BigInteger.valueOf(0x010203));
        Function<List<BigInteger>, Transcript> absorb = xs -> {
            Transcript t = new Transcript("mpcwallet/test/alpha");
            for (BigInteger x : xs) {
                t.append("alpha", x);
            }
            return t;
        };
        assertDistinct(absorb.apply(a), absorb.apply(b), "(0x0102,0x03) vs (0x01,0x0203)");
        assertDistinct(absorb.apply(a), absorb.apply(c), "(0x0102,0x03) vs (0x010203)");
        // sign handling of the two's-complement encoding: 255 = 00 ff, -1 = ff, 128 = 00 80, -128 = 80
        assertDistinct(absorb.apply(List.of(BigInteger.valueOf(255))), absorb.apply(List.of(BigInteger.ONE.negate())),
                "255 vs -1");
        assertDistinct(absorb.apply(List.of(BigInteger.valueOf(128))),
                absorb.apply(List.of(BigInteger.valueOf(-128))), "128 vs -128");
        assertDistinct(absorb.apply(List.of(BigInteger.ZERO)), absorb.apply(List.of()), "0 vs nothing");
    }

    @Test
    void labelsAndValuesCannotBeShifted() {
        assertDistinct(new Transcript("d").append("ab", utf8("c")), new Transcript("d").append("a", utf8("bc")),
                "label/value boundary");
        assertDistinct(new Transcript("d").append("a", utf8("b")).append("c", utf8("d")),
                new Transcript("d").append("a", utf8("bc")).append("", utf8("d")), "value into next label");
        assertDistinct(new Transcript("da").append("b", utf8("c")), new Transcript("d").append("ab", utf8("c")),
                "domain/label boundary");
        assertDistinct(new Transcript("d").append("x", utf8("y")), new Transcript("d").append("y", utf8("x")),
                "label and value swapped");
        // a value that contains a well-formed encoding of further elements is still a single element
        ByteArrayOutputStream forged = new ByteArrayOutputStream();
        element(forged, "b", utf8("c"));
        assertDistinct(new Transcript("d").append("a", forged.toByteArray()),
                new Transcript("d").append("a", new byte[0]).append("b", utf8("c")), "embedded encoding");
        assertDistinct(new Transcript("d1"), new Transcript("d2"), "domain separation");
    }

    @Test
    void randomSplitsOfTheSameBytesNeverCollide() {
        DeterministicRandom rng = DeterministicRandom.fromLabel("transcript-splits");
        byte[] data = new byte[12];
        rng.nextBytes(data);
        Set<String> encodings = new HashSet<>();
        Set<String> digests = new HashSet<>();
        // every composition of 12 bytes into consecutive non-empty pieces: 2^11 different sequences
        for (int mask = 0; mask < (1 << 11); mask++) {
            Transcript t = new Transcript("d");
            int start = 0;
            for (int i = 1; i <= 12; i++) {
                if (i == 12 || (mask & (1 << (i - 1))) != 0) {
                    t.append("v", Arrays.copyOfRange(data, start, i));
                    start = i;
                }
            }
            assertTrue(encodings.add(Bytes.toHex(t.encoding())), "encoding collision for split mask " + mask);
            assertTrue(digests.add(Bytes.toHex(t.digest())), "digest collision for split mask " + mask);
        }
    }

    // ---------------------------------------------------------------- documented format

    @Test
    void encodingMatchesTheDocumentedLayout() throws Exception {
        Transcript t = new Transcript("mpcwallet/test/v1")
                .append("bytes", new byte[] {1, 2, 3})
                .append("int", 0x01020304)
                .append("big", BigInteger.valueOf(-129))
                .append("text", "h\u00e9");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        element(expected, "domain", utf8("mpcwallet/test/v1"));
        element(expected, "bytes", new byte[] {1, 2, 3});
        element(expected, "int", new byte[] {1, 2, 3, 4});
        element(expected, "big", new byte[] {(byte) 0xff, 0x7f});
        element(expected, "text", new byte[] {'h', (byte) 0xc3, (byte) 0xa9});
        assertArrayEquals(expected.toByteArray(), t.encoding());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray()), t.digest());
    }

    @Test
    void challengeBytesAreCounterModeSha256OfTheDigest() throws Exception {
        Transcript t = new Transcript("d").append("x", utf8("y"));
        byte[] seed = MessageDigest.getInstance("SHA-256").digest(t.encoding());
        byte[] label = utf8("chal");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int counter = 0; counter < 3; counter++) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(seed);
            md.update(Bytes.int32(label.length));
            md.update(label);
            md.update(Bytes.int32(counter));
            expected.writeBytes(md.digest());
        }
        byte[] all = expected.toByteArray();
        assertArrayEquals(Arrays.copyOf(all, 70), t.challengeBytes("chal", 70));
        assertArrayEquals(Arrays.copyOf(all, 32), t.challengeBytes("chal", 32));
        assertArrayEquals(Arrays.copyOf(all, 1), t.challengeBytes("chal", 1));
        assertEquals(0, t.challengeBytes("chal", 0).length);
    }

    @Test
    void drawingChallengesDoesNotChangeTheTranscript() {
        Transcript t = new Transcript("d").append("x", utf8("y"));
        byte[] before = t.encoding();
        BigInteger c1 = t.challengeBelow("e", Secp256k1.N);
        t.challengeBytes("f", 64);
        t.digest();
        assertArrayEquals(before, t.encoding());
        assertEquals(c1, t.challengeBelow("e", Secp256k1.N));
    }

    // ---------------------------------------------------------------- challengeBelow

    @Test
    void challengeBelowIsAlwaysBelowTheBound() {
        List<BigInteger> bounds = new ArrayList<>(List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3),
                BigInteger.valueOf(7), BigInteger.valueOf(8), BigInteger.valueOf(9), BigInteger.valueOf(255),
                BigInteger.valueOf(256), BigInteger.valueOf(257), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(64).add(BigInteger.ONE), Secp256k1.N, Secp256k1.P,
                BigInteger.ONE.shiftLeft(255).add(BigInteger.ONE), BigInteger.ONE.shiftLeft(2047).add(BigInteger.ONE)));
        DeterministicRandom rng = DeterministicRandom.fromLabel("challenge-bounds");
        for (int bits : new int[] {5, 17, 100, 256, 257, 1000}) {
            byte[] raw = new byte[(bits + 7) / 8];
            rng.nextBytes(raw);
            bounds.add(new BigInteger(1, raw).mod(BigInteger.ONE.shiftLeft(bits)).setBit(bits - 1));
        }
        for (BigInteger bound : bounds) {
            int draws = bound.bitLength() > 300 ? 20 : 200;
            for (int i = 0; i < draws; i++) {
                Transcript t = new Transcript("d").append("i", i);
                BigInteger c = t.challengeBelow("e", bound);
                assertTrue(c.signum() >= 0 && c.compareTo(bound) < 0, "challenge " + c + " not in [0, " + bound + ")");
                assertEquals(c, new Transcript("d").append("i", i).challengeBelow("e", bound), "deterministic");
            }
        }
    }

    @Test
    void smallBoundsReachEveryValue() {
        for (int b : new int[] {2, 3, 5, 9}) {
            Set<BigInteger> seen = new HashSet<>();
            for (int i = 0; i < 400; i++) {
                seen.add(new Transcript("d").append("i", i).challengeBelow("e", BigInteger.valueOf(b)));
            }
            assertEquals(b, seen.size(), "bound " + b + " values reached");
        }
        assertEquals(BigInteger.ZERO, new Transcript("d").challengeBelow("e", BigInteger.ONE));
    }

    @Test
    void challengesDifferPerLabelAndPerTranscript() {
        Transcript t = new Transcript("d").append("x", utf8("y"));
        Set<BigInteger> seen = new HashSet<>();
        for (String label : List.of("e", "e1", "f", "y/0", "y/1", "y/10", "", "E")) {
            assertTrue(seen.add(t.challengeBelow(label, Secp256k1.N)), "challenge repeated for label " + label);
        }
        assertFalse(Arrays.equals(t.challengeBytes("a", 32), t.challengeBytes("b", 32)));
        assertNotEquals(t.challengeBelow("e", Secp256k1.N),
                new Transcript("d").append("x", utf8("z")).challengeBelow("e", Secp256k1.N));
    }
}
