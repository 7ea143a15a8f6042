package org.mpcwallet.desktop.core;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;

/**
 * The fields of an EIP-1559 transfer as the bank's sign requests carry them (decimal strings for integers, 0x hex
 * for {@code to} and {@code data}), and the {@link Eip1559Transaction} they denote.
 */
public record TxFields(String chainId, String nonce, String maxPriorityFeePerGas, String maxFeePerGas,
        String gasLimit, String to, String valueWei, String data) {

    /** Builds the transaction; a field that is not a valid value is a WalletException naming the field. */
    public Eip1559Transaction toTransaction() {
        BigInteger chain = decimal(chainId, "chainId");
        BigInteger n = decimal(nonce, "nonce");
        BigInteger tip = decimal(maxPriorityFeePerGas, "maxPriorityFeePerGas");
        BigInteger fee = decimal(maxFeePerGas, "maxFeePerGas");
        BigInteger gas = decimal(gasLimit, "gasLimit");
        BigInteger value = decimal(valueWei, "valueWei");
        EthAddress address;
        try {
            address = EthAddress.parse(to);
        } catch (IllegalArgumentException e) {
            throw new WalletException("to: " + e.getMessage());
        }
        byte[] callData;
        try {
            callData = data == null || data.isEmpty() ? new byte[0] : Bytes.fromHex(requireHexPrefix(data));
        } catch (IllegalArgumentException e) {
            throw new WalletException("data: " + e.getMessage());
        }
        try {
            return new Eip1559Transaction(chain, n, tip, fee, gas, address, value, callData);
        } catch (IllegalArgumentException e) {
            throw new WalletException("not a valid EIP-1559 transaction: " + e.getMessage());
        }
    }

    private static String requireHexPrefix(String s) {
        if (!s.startsWith("0x")) {
            throw new IllegalArgumentException("must start with 0x");
        }
        return s;
    }

    /** A non-negative decimal integer without sign, spaces or leading zeros (except "0"). */
    public static BigInteger decimal(String s, String field) {
        if (s == null || !s.matches("0|[1-9][0-9]{0,77}")) {
            throw new WalletException(field + " must be a non-negative decimal integer");
        }
        return new BigInteger(s);
    }
}
