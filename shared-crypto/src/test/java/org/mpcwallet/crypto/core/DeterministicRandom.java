package org.mpcwallet.crypto.core;

import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * A seeded, reproducible byte stream: block i = SHA-256("mpcwallet/drbg/v1" || seed || i). For golden transcripts,
 * vectors and benchmarks only: it is predictable by design and must never key a real wallet.
 */
public final class DeterministicRandom implements RandomSource {
    private static final byte[] TAG = "mpcwallet/drbg/v1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private final byte[] seed;
    private long counter;
    private byte[] block = new byte[0];
    private int used;

    public DeterministicRandom(byte[] seed) {
        this.seed = seed.clone();
    }

    public static DeterministicRandom fromLabel(String label) {
        return new DeterministicRandom(label.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            if (used == block.length) {
                byte[] in = Bytes.concat(TAG, Bytes.int32(seed.length), seed, Bytes.int64(counter++));
                SHA256Digest d = new SHA256Digest();
                d.update(in, 0, in.length);
                block = new byte[32];
                d.doFinal(block, 0);
                used = 0;
            }
            out[i] = block[used++];
        }
    }

    @Override
    public String toString() {
        return "DeterministicRandom[seed redacted]";
    }
}
