package org.mpcwallet.bank.chain;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A transaction as the node reports it ({@code eth_getTransactionByHash}, or inside a full block).
 *
 * @param hash        transaction hash, lower-case 0x-hex
 * @param from        sender (node-recovered), lower-case 0x-hex
 * @param to          recipient, empty for a contract creation
 * @param nonce       sender nonce
 * @param value       wei
 * @param input       call data, 0x-hex
 * @param blockNumber the including block, empty while pending
 */
public record ChainTransaction(String hash, String from, Optional<String> to, BigInteger nonce, BigInteger value,
                               String input, Optional<Long> blockNumber) {
    public ChainTransaction {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(blockNumber, "blockNumber");
    }

    public boolean isPending() {
        return blockNumber.isEmpty();
    }
}
