package org.mpcwallet.bank.pipeline.kyt.domain;


/**
 * Screens an address (Know Your Transaction). Implementations: {@link ListKytProvider}; adapters for Chainalysis,
 * Elliptic or TRM implement the same interface.
 *
 * <p>Contract: never throws for any input and never answers null. An address the provider cannot judge (malformed,
 * or the provider is unreachable) is answered with a value, not an exception: BLOCK for malformed input, and REVIEW
 * (never ALLOW) when a remote provider cannot answer, so screening fails closed.
 */
public interface KytProvider {
    /** Screens {@code address} for a transfer in {@code direction}. */
    KytResult screen(String address, Direction direction);
}
