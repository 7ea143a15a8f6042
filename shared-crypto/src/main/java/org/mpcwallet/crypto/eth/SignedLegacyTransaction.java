package org.mpcwallet.crypto.eth;

import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.hash.Keccak256;

/**
 * An EIP-155 legacy transaction with its signature (https://eips.ethereum.org/EIPS/eip-155). The signature is not
 * checked against any sender here: sender recovery is the node's job.
 */
public record SignedLegacyTransaction(LegacyTransaction transaction, EcdsaSignature signature) {
    public SignedLegacyTransaction {
        if (transaction == null) {
            throw new IllegalArgumentException("transaction must not be null");
        }
        TxFields.requireSignature(signature);
    }

    /** {@code rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])}. */
    public byte[] encoded() {
        return transaction.encodeSigned(signature);
    }

    /** The transaction hash as nodes report it: Keccak-256 of {@link #encoded()}. */
    public byte[] transactionHash() {
        return Keccak256.hash(encoded());
    }
}
