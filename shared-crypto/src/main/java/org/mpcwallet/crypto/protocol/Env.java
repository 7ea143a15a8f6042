package org.mpcwallet.crypto.protocol;

import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.RandomSource;

/**
 * What a protocol step may use from its surroundings: randomness and modular exponentiation, both injected. The
 * random source is wrapped so that a source that cannot deliver (the browser without {@code crypto.getRandomValues},
 * which fails closed) aborts the step with RANDOMNESS_UNAVAILABLE instead of an error blamed on the peer.
 */
public record Env(RandomSource random, ModPow modPow) {
    public Env {
        if (random == null || modPow == null) {
            throw new IllegalArgumentException("env needs a random source and a modPow");
        }
        if (!(random instanceof FailClosed)) {
            random = new FailClosed(random);
        }
    }

    public static Env jvm(RandomSource random) {
        return new Env(random, ModPow.JAVA);
    }

    /** Turns any failure of the underlying source into a RANDOMNESS_UNAVAILABLE protocol failure. */
    private record FailClosed(RandomSource source) implements RandomSource {
        @Override
        public void nextBytes(byte[] out) {
            try {
                source.nextBytes(out);
            } catch (RuntimeException e) {
                throw new ProtocolException(FailureKind.RANDOMNESS_UNAVAILABLE, "random", null,
                        "no secure randomness available (" + e.getClass().getSimpleName() + ")");
            }
        }

        @Override
        public String toString() {
            return "Env.random[" + source + "]";
        }
    }
}
