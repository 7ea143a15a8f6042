package org.mpcwallet.crypto.eth;

import java.math.BigInteger;

/**
 * The arguments of an ERC-20 {@code transfer(address to, uint256 amount)} call (https://eips.ethereum.org/EIPS/eip-20).
 * Validated: {@code to} non-null, {@code 0 <= amount < 2^256} (zero-value transfers are legal in EIP-20).
 */
public record Erc20Transfer(EthAddress to, BigInteger amount) {
    public Erc20Transfer {
        if (to == null) {
            throw new IllegalArgumentException("ERC-20 transfer recipient must not be null");
        }
        TxFields.uint(amount, 256, "ERC-20 transfer amount");
    }

    /** ABI-encoded call data, see {@link Erc20#transferCalldata(EthAddress, BigInteger)}. */
    public byte[] calldata() {
        return Erc20.encode(to, amount);
    }
}
