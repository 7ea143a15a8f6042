package org.mpcwallet.web.vault;

import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.core.RandomSource;

/**
 * A {@link RandomSource} that hands out pre-set values, one per {@code nextBytes} call, each of exactly the requested
 * length, and refuses anything else. <b>For known-answer tests only</b> (reproducing a vector's envelope from its
 * salt and nonce, docs/vault-format.md section 4 step 2): never seal a real share with it.
 */
public final class FixedDraws implements RandomSource {
    private final List<byte[]> values = new ArrayList<>();
    private int next;

    public FixedDraws(byte[]... values) {
        for (byte[] v : values) {
            this.values.add(v.clone());
        }
    }

    @Override
    public void nextBytes(byte[] out) {
        if (next >= values.size()) {
            throw new IllegalStateException("FixedDraws exhausted after " + next + " draws");
        }
        byte[] v = values.get(next);
        if (v.length != out.length) {
            throw new IllegalStateException(
                    "FixedDraws: draw " + next + " requested " + out.length + " bytes, the value has " + v.length);
        }
        System.arraycopy(v, 0, out, 0, v.length);
        next++;
    }

    /** Whether every value was drawn. */
    public boolean exhausted() {
        return next == values.size();
    }
}
