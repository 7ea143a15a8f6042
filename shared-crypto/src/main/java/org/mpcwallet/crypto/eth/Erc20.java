package org.mpcwallet.crypto.eth;

import java.math.BigInteger;
import java.util.Arrays;
import org.mpcwallet.crypto.core.Bytes;

/**
 * Call data for the ERC-20 {@code transfer(address,uint256)} function (https://eips.ethereum.org/EIPS/eip-20),
 * ABI-encoded per the Solidity contract ABI specification: 4-byte selector {@code a9059cbb} (the first 4 bytes of
 * Keccak-256("transfer(address,uint256)")), then the address left-padded to 32 bytes, then the amount as a 32-byte
 * big-endian uint256.
 */
public final class Erc20 {
    /** Length of {@code transfer} call data: 4 + 32 + 32 bytes. */
    public static final int TRANSFER_CALLDATA_LENGTH = 68;

    private static final byte[] TRANSFER_SELECTOR = {(byte) 0xa9, (byte) 0x05, (byte) 0x9c, (byte) 0xbb};

    private Erc20() {}

    /** Copy of the {@code transfer(address,uint256)} selector {@code a9059cbb}. */
    public static byte[] transferSelector() {
        return TRANSFER_SELECTOR.clone();
    }

    /** {@code a9059cbb || 12 zero bytes || to || amount as 32-byte big-endian}; {@code 0 <= amount < 2^256}. */
    public static byte[] transferCalldata(EthAddress to, BigInteger amount) {
        return new Erc20Transfer(to, amount).calldata();
    }

    /**
     * Strictly decodes {@code transfer(address,uint256)} call data: exactly 68 bytes, the {@code a9059cbb}
     * selector, and the upper 12 bytes of the address word zero (any other bytes would make the ABI encoding
     * non-canonical and the contract may revert or, worse, read a different address).
     */
    public static Erc20Transfer decodeTransfer(byte[] calldata) {
        if (calldata == null) {
            throw new IllegalArgumentException("ERC-20 call data must not be null");
        }
        byte[] in = calldata.clone();
        if (in.length != TRANSFER_CALLDATA_LENGTH) {
            throw new IllegalArgumentException(
                    "ERC-20 transfer call data must be exactly 68 bytes, found " + in.length);
        }
        if (in[0] != TRANSFER_SELECTOR[0] || in[1] != TRANSFER_SELECTOR[1] || in[2] != TRANSFER_SELECTOR[2]
                || in[3] != TRANSFER_SELECTOR[3]) {
            throw new IllegalArgumentException("call data selector 0x" + Bytes.toHex(Arrays.copyOfRange(in, 0, 4))
                    + " is not ERC-20 transfer(address,uint256) 0xa9059cbb");
        }
        for (int i = 4; i < 16; i++) {
            if (in[i] != 0) {
                throw new IllegalArgumentException("ERC-20 transfer address word has non-zero upper 12 bytes");
            }
        }
        EthAddress to = new EthAddress(Arrays.copyOfRange(in, 16, 36));
        BigInteger amount = new BigInteger(1, Arrays.copyOfRange(in, 36, 68));
        return new Erc20Transfer(to, amount);
    }

    static byte[] encode(EthAddress to, BigInteger amount) {
        return Bytes.concat(TRANSFER_SELECTOR, new byte[12], to.bytes(), Bytes.fixedWidth(amount, 32));
    }
}
