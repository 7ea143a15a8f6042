package org.mpcwallet.desktop.core;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;

/**
 * The fields of a transfer as the bank's sign requests carry them (decimal strings for integers, 0x hex for
 * {@code to} and {@code data}), and the transaction they denote: {@code type} {@code EIP1559} with
 * {@code maxPriorityFeePerGas} and {@code maxFeePerGas}, or {@code LEGACY} (EIP-155) with {@code gasPrice}
 * (docs/custody-pipeline.md "Signing"). The device builds the transaction of the stated type; it never guesses one.
 */
public record TxFields(String type, String chainId, String nonce, String maxPriorityFeePerGas, String maxFeePerGas,
        String gasPrice, String gasLimit, String to, String valueWei, String data) {

    /** An EIP-1559 transfer. */
    public TxFields(String chainId, String nonce, String maxPriorityFeePerGas, String maxFeePerGas, String gasLimit,
            String to, String valueWei, String data) {
        this("EIP1559", chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, null, gasLimit, to, valueWei, data);
    }

    /** A legacy (EIP-155) transfer. */
    public static TxFields legacy(String chainId, String nonce, String gasPrice, String gasLimit, String to,
            String valueWei, String data) {
        return new TxFields("LEGACY", chainId, nonce, null, null, gasPrice, gasLimit, to, valueWei, data);
    }

    /** Builds the transaction; a field that is not a valid value is a WalletException naming the field. */
    public EthTransaction toTransaction() {
        EthTransaction.Type t;
        try {
            t = EthTransaction.Type.parse(type);
        } catch (IllegalArgumentException e) {
            throw new WalletException("type: " + e.getMessage());
        }
        BigInteger chain = decimal(chainId, "chainId");
        BigInteger n = decimal(nonce, "nonce");
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
        if (t == EthTransaction.Type.LEGACY) {
            if (maxPriorityFeePerGas != null || maxFeePerGas != null) {
                throw new WalletException("a LEGACY transaction carries gasPrice, not EIP-1559 fees");
            }
            BigInteger price = decimal(gasPrice, "gasPrice");
            try {
                return new LegacyTransaction(chain, n, price, gas, address, value, callData);
            } catch (IllegalArgumentException e) {
                throw new WalletException("not a valid EIP-155 transaction: " + e.getMessage());
            }
        }
        if (gasPrice != null) {
            throw new WalletException("an EIP1559 transaction carries maxPriorityFeePerGas and maxFeePerGas, not "
                    + "gasPrice");
        }
        BigInteger tip = decimal(maxPriorityFeePerGas, "maxPriorityFeePerGas");
        BigInteger fee = decimal(maxFeePerGas, "maxFeePerGas");
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
