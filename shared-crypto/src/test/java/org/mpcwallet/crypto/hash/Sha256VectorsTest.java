package org.mpcwallet.crypto.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;

/** SHA-256 known answers (FIPS 180-2 appendix B, NIST CAVP) and a cross-check against the JDK's MessageDigest. */
class Sha256VectorsTest {
    private static final String FILE = "vectors/sha256/sha256.txt";

    @Test
    void knownAnswersFromFips180AndCavp() throws Exception {
        List<String[]> rows = HashVectors.rows(FILE, 3);
        Set<String> names = new HashSet<>();
        for (String[] row : rows) {
            byte[] input = HashVectors.value(row[1]);
            byte[] expected = Bytes.fromHex(row[2]);
            assertEquals(32, expected.length, row[0]);
            assertArrayEquals(expected, Sha256.hash(input), row[0]);
            assertArrayEquals(expected, jdk(input), row[0] + " (JDK reference)");
            names.add(row[0]);
        }
        assertEquals(6, rows.size(), "vector count in " + FILE);
        assertTrue(names.containsAll(
                List.of("fips180-2-b1-abc", "fips180-2-b2-448bit", "fips180-2-b3-million-a")), "FIPS examples present");
    }

    @Test
    void millionAStreamedInPartsEqualsOneShot() throws Exception {
        byte[] chunk = new byte[1000];
        Arrays.fill(chunk, (byte) 'a');
        byte[][] parts = new byte[1000][];
        Arrays.fill(parts, chunk);
        assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
                Bytes.toHex(Sha256.hash(parts)));
    }

    @Test
    void randomisedInputsMatchJdkMessageDigest() throws Exception {
        DeterministicRandom rng = DeterministicRandom.fromLabel("sha256-crosscheck");
        List<Integer> lengths = new ArrayList<>();
        for (int len = 0; len <= 200; len++) {
            lengths.add(len);
        }
        lengths.addAll(List.of(447, 448, 511, 512, 513, 1000, 4095, 4096, 4097, 65_537));
        for (int len : lengths) {
            byte[] msg = new byte[len];
            rng.nextBytes(msg);
            byte[] expected = jdk(msg);
            assertArrayEquals(expected, Sha256.hash(msg), "length " + len);
            // the varargs form hashes the concatenation, wherever the parts are split
            int cut1 = below(rng, len + 1);
            int cut2 = cut1 + below(rng, len - cut1 + 1);
            byte[] a = Arrays.copyOfRange(msg, 0, cut1);
            byte[] b = Arrays.copyOfRange(msg, cut1, cut2);
            byte[] c = Arrays.copyOfRange(msg, cut2, len);
            assertArrayEquals(expected, Sha256.hash(a, b, c), "split at " + cut1 + "/" + cut2 + " of " + len);
            assertArrayEquals(expected, Sha256.hash(new byte[0], msg, new byte[0]), "empty parts, length " + len);
        }
        assertArrayEquals(jdk(new byte[0]), Sha256.hash(), "no parts = empty message");
    }

    @Test
    void inputsAreNotModified() {
        byte[] msg = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] before = msg.clone();
        Sha256.hash(msg);
        assertArrayEquals(before, msg);
    }

    /** Uniform-enough small integer in [0, bound) for choosing split points (not for cryptography). */
    private static int below(DeterministicRandom rng, int bound) {
        byte[] b = new byte[4];
        rng.nextBytes(b);
        return Math.floorMod(java.nio.ByteBuffer.wrap(b).getInt(), bound);
    }

    static byte[] jdk(byte[] input) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(input);
    }
}
