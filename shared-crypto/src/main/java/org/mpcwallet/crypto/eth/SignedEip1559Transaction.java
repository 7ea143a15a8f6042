package org.mpcwallet.crypto.eth;

import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.hash.Keccak256;

/**
 * An EIP-1559 transaction with its signature (https://eips.ethereum.org/EIPS/eip-1559). The signature is not
 * checked against any sender here: sender recovery is the node's job.
 */
public record SignedEip1559Transaction(Eip1559Transaction transaction, EcdsaSignature signature) {
    public SignedEip1559Transaction {
        if (transaction == null) {
            throw new IllegalArgumentException("transaction must not be null");
        }
        TxFields.requireSignature(signature);
    }

    /** {@code 0x02 || rlp([9 fields, yParity, r, s])}. */
    public byte[] encoded() {
        return transaction.encodeSigned(signature);
    }

    /** The transaction hash as nodes report it: Keccak-256 of {@link #encoded()} (EIP-2718). */
    public byte[] transactionHash() {
        return Keccak256.hash(encoded());
    }
}
