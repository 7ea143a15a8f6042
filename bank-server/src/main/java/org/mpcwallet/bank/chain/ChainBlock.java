package org.mpcwallet.bank.chain;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A block ({@code eth_getBlockByNumber} with full transactions).
 *
 * @param number        block number
 * @param hash          block hash
 * @param parentHash    parent hash (a cursor compares it with the hash it stored for {@code number - 1})
 * @param timestamp     seconds since the epoch
 * @param baseFeePerGas EIP-1559 base fee; empty before London
 * @param transactions  the block's transactions in order
 */
public record ChainBlock(long number, String hash, String parentHash, long timestamp,
                         Optional<BigInteger> baseFeePerGas, List<ChainTransaction> transactions) {
    public ChainBlock {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(parentHash, "parentHash");
        Objects.requireNonNull(baseFeePerGas, "baseFeePerGas");
        transactions = List.copyOf(transactions);
    }
}
