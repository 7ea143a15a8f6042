package org.mpcwallet.crypto.protocol;

import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.RandomSource;

/** What a protocol step may use from its surroundings: randomness and modular exponentiation, both injected. */
public record Env(RandomSource random, ModPow modPow) {
    public Env {
        if (random == null || modPow == null) {
            throw new IllegalArgumentException("env needs a random source and a modPow");
        }
    }

    public static Env jvm(RandomSource random) {
        return new Env(random, ModPow.JAVA);
    }
}
