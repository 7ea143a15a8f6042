package org.mpcwallet.crypto.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;

/** DeterministicRandom (test/vector DRBG built on SHA-256): reproducible per seed, different across seeds. */
class DeterministicRandomTest {
    private static byte[] take(DeterministicRandom r, int n) {
        byte[] out = new byte[n];
        r.nextBytes(out);
        return out;
    }

    @Test
    void sameSeedSameStream() {
        byte[] seed = {1, 2, 3};
        assertArrayEquals(take(new DeterministicRandom(seed), 1000), take(new DeterministicRandom(seed), 1000));
        assertArrayEquals(take(DeterministicRandom.fromLabel("x"), 100),
                take(new DeterministicRandom("x".getBytes(StandardCharsets.UTF_8)), 100));
    }

    @Test
    void streamDoesNotDependOnHowItIsRead() {
        byte[] whole = take(DeterministicRandom.fromLabel("chunks"), 257);
        DeterministicRandom r = DeterministicRandom.fromLabel("chunks");
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        for (int n : new int[] {0, 1, 31, 1, 32, 64, 0, 100, 28}) {
            pieces.writeBytes(take(r, n));
        }
        assertArrayEquals(whole, pieces.toByteArray());
    }

    @Test
    void differentSeedsDifferentStreams() {
        byte[][] seeds = {{}, {0}, {0, 0}, {1}, "a".getBytes(StandardCharsets.UTF_8),
            "b".getBytes(StandardCharsets.UTF_8)};
        for (int i = 0; i < seeds.length; i++) {
            for (int j = i + 1; j < seeds.length; j++) {
                assertFalse(Arrays.equals(take(new DeterministicRandom(seeds[i]), 64),
                        take(new DeterministicRandom(seeds[j]), 64)), "seeds " + i + " and " + j);
            }
        }
    }

    @Test
    void matchesTheDocumentedConstruction() throws Exception {
        // block i = SHA-256("mpcwallet/drbg/v1" || u32 len(seed) || seed || u64 i), re-derived with the JDK digest
        byte[] seed = "seed".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (long i = 0; i < 3; i++) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("mpcwallet/drbg/v1".getBytes(StandardCharsets.UTF_8));
            md.update(Bytes.int32(seed.length));
            md.update(seed);
            md.update(Bytes.int64(i));
            expected.writeBytes(md.digest());
        }
        assertArrayEquals(expected.toByteArray(), take(new DeterministicRandom(seed), 96));
    }

    @Test
    void seedIsCopiedAndNeverPrinted() {
        byte[] seed = "secret-seed".getBytes(StandardCharsets.UTF_8);
        DeterministicRandom r = new DeterministicRandom(seed);
        byte[] reference = take(new DeterministicRandom(seed.clone()), 64);
        Arrays.fill(seed, (byte) 0);
        assertArrayEquals(reference, take(r, 64), "mutating the caller's array must not change the stream");
        assertFalse(r.toString().contains("secret"));
        assertTrue(r.toString().contains("redacted"));
    }
}
