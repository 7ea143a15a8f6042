package org.mpcwallet.bank.chain;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A transaction receipt ({@code eth_getTransactionReceipt}).
 *
 * @param transactionHash   the transaction, lower-case 0x-hex
 * @param blockNumber       the including block
 * @param blockHash         its hash (compare it on a re-check: a different hash means the block was replaced)
 * @param success           status {@code 0x1}
 * @param gasUsed           gas used by this transaction
 * @param effectiveGasPrice wei per gas actually paid, when the node reports it
 * @param contractAddress   the created contract, for a contract creation
 */
public record ChainReceipt(String transactionHash, long blockNumber, String blockHash, boolean success,
                           BigInteger gasUsed, Optional<BigInteger> effectiveGasPrice,
                           Optional<String> contractAddress) {
    public ChainReceipt {
        Objects.requireNonNull(transactionHash, "transactionHash");
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(gasUsed, "gasUsed");
        Objects.requireNonNull(effectiveGasPrice, "effectiveGasPrice");
        Objects.requireNonNull(contractAddress, "contractAddress");
    }
}
