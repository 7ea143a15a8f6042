package org.mpcwallet.web;

import org.mpcwallet.crypto.core.RandomSource;
import org.teavm.jso.JSBody;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The browser's {@link RandomSource}: {@code globalThis.crypto.getRandomValues}, called through JSO. Fails closed:
 * if {@code crypto} or {@code getRandomValues} is missing it throws {@link IllegalStateException}, at construction
 * and again on every draw. It never falls back to TeaVM's {@code SecureRandom}, which silently degrades to
 * {@code java.util.Random} when {@code crypto} is absent. Only usable in TeaVM-compiled code.
 */
public final class BrowserRandom implements RandomSource {
    /** getRandomValues rejects requests above 65,536 bytes (QuotaExceededError). */
    private static final int MAX_DRAW = 65_536;

    public BrowserRandom() {
        requireAvailable();
    }

    @Override
    public void nextBytes(byte[] out) {
        requireAvailable();
        int offset = 0;
        while (offset < out.length) {
            int n = Math.min(MAX_DRAW, out.length - offset);
            byte[] chunk = draw(n).copyToJavaArray();
            if (chunk.length != n) {
                throw new IllegalStateException("crypto.getRandomValues returned " + chunk.length + " bytes, wanted " + n);
            }
            System.arraycopy(chunk, 0, out, offset, n);
            offset += n;
        }
    }

    /** Whether this page has {@code globalThis.crypto.getRandomValues}. */
    public static boolean isAvailable() {
        return hasGetRandomValues();
    }

    private static void requireAvailable() {
        if (!hasGetRandomValues()) {
            throw new IllegalStateException(
                    "no secure randomness: globalThis.crypto.getRandomValues is unavailable (refusing to fall back)");
        }
    }

    @JSBody(script = "var c = globalThis.crypto;"
            + " return typeof c === 'object' && c !== null && typeof c.getRandomValues === 'function';")
    private static native boolean hasGetRandomValues();

    @JSBody(params = "n", script = "var a = new Int8Array(n); globalThis.crypto.getRandomValues(a); return a;")
    private static native Int8Array draw(int n);

    @Override
    public String toString() {
        return "BrowserRandom[crypto.getRandomValues]";
    }
}
