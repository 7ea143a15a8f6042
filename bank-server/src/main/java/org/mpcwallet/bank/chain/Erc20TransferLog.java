package org.mpcwallet.bank.chain;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One ERC-20 {@code Transfer(address indexed from, address indexed to, uint256 value)} event. Addresses are
 * lower-case 0x-hex; {@code (transactionHash, logIndex)} identifies it (the deposits table's key).
 */
public record Erc20TransferLog(String token, String from, String to, BigInteger amount, long blockNumber,
                               String blockHash, String transactionHash, long logIndex) {
    public Erc20TransferLog {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(transactionHash, "transactionHash");
    }
}
