package org.mpcwallet.desktop.core;

import java.math.BigInteger;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.eth.EthTransaction;

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

    /**
     * Builds the transaction with the shared co-sign check (shared-crypto {@code device.CosignCheck}); a field that is
     * not a valid value is a WalletException naming the field.
     */
    public EthTransaction toTransaction() {
        CosignCheck.Built built = CosignCheck.build(new CosignCheck.Fields(type, chainId, nonce, maxPriorityFeePerGas,
                maxFeePerGas, gasPrice, gasLimit, to, valueWei, data));
        if (built instanceof CosignCheck.Built.Invalid invalid) {
            throw new WalletException(invalid.reason());
        }
        return ((CosignCheck.Built.Ok) built).tx();
    }

    /** A non-negative decimal integer without sign, spaces or leading zeros (except "0"). */
    public static BigInteger decimal(String s, String field) {
        BigInteger v = CosignCheck.decimal(s);
        if (v == null) {
            throw new WalletException(field + " must be a non-negative decimal integer");
        }
        return v;
    }
}
