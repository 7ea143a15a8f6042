package org.mpcwallet.crypto.core;

/**
 * The only way randomness enters the protocol code. The JVM uses {@code SecureRandom}; the browser uses
 * {@code crypto.getRandomValues} and fails closed when it is missing; tests use a seeded DeterministicRandom (shared-crypto test sources only).
 */
public interface RandomSource {
    /** Fills {@code out} with random bytes, or throws if no secure randomness is available. */
    void nextBytes(byte[] out);
}
