package org.mpcwallet.bank.chain;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Ether moved inside a transaction by a contract: a nested {@code CALL} (or {@code SELFDESTRUCT}) frame with a value,
 * in a frame that did not revert (docs/custody-pipeline.md "What is a deposit"). Addresses are lower-case 0x-hex;
 * {@code (transactionHash, ordinal)} identifies it, {@code ordinal} being the frame's depth-first position among the
 * transaction's nested frames.
 */
public record InternalTransfer(String transactionHash, int ordinal, String from, String to, BigInteger value) {
    public InternalTransfer {
        Objects.requireNonNull(transactionHash, "transactionHash");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(value, "value");
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must be >= 0");
        }
    }
}
