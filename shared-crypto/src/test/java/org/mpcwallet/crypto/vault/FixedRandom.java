package org.mpcwallet.crypto.vault;

import java.util.ArrayDeque;
import java.util.Deque;
import org.mpcwallet.crypto.core.RandomSource;

/** Hands out pre-set values, one per nextBytes call, each of exactly the requested length (test-only). */
final class FixedRandom implements RandomSource {
    private final Deque<byte[]> values = new ArrayDeque<>();

    FixedRandom(byte[]... values) {
        for (byte[] v : values) {
            this.values.add(v.clone());
        }
    }

    @Override
    public void nextBytes(byte[] out) {
        byte[] v = values.poll();
        if (v == null) {
            throw new AssertionError("FixedRandom exhausted");
        }
        if (v.length != out.length) {
            throw new AssertionError("FixedRandom: requested " + out.length + " bytes, next value has " + v.length);
        }
        System.arraycopy(v, 0, out, 0, v.length);
    }

    boolean exhausted() {
        return values.isEmpty();
    }
}
