package org.mpcwallet.crypto.eth;

import java.math.BigInteger;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.hash.Keccak256;

/**
 * An unsigned transaction the wallet signs: an EIP-1559 fee-market transaction ({@link Eip1559Transaction}) or, for a
 * node without EIP-1559, a legacy transaction with EIP-155 replay protection ({@link LegacyTransaction}). The type is
 * part of what is signed (the payload's first byte), so both parties and the permit name it explicitly
 * (docs/custody-pipeline.md "Signing").
 */
public sealed interface EthTransaction permits Eip1559Transaction, LegacyTransaction {

    /** The two transaction kinds the wallet signs. */
    enum Type {
        /** EIP-1559, EIP-2718 type {@code 0x02}. */
        EIP1559,
        /** Untyped legacy transaction signed under EIP-155. */
        LEGACY;

        /** {@code EIP1559} or {@code LEGACY}; anything else is an {@link IllegalArgumentException}. */
        public static Type parse(String name) {
            if ("EIP1559".equals(name)) {
                return EIP1559;
            }
            if ("LEGACY".equals(name)) {
                return LEGACY;
            }
            throw new IllegalArgumentException("transaction type must be EIP1559 or LEGACY");
        }
    }

    Type type();

    BigInteger chainId();

    BigInteger nonce();

    BigInteger gasLimit();

    EthAddress to();

    BigInteger value();

    /** Copy of the call data. */
    byte[] data();

    /** The highest price per gas the sender can pay: {@code maxFeePerGas} (EIP-1559) or {@code gasPrice} (legacy). */
    BigInteger maxPricePerGas();

    /** The bytes whose Keccak-256 is signed. */
    byte[] signingPayload();

    /** Keccak-256 of {@link #signingPayload()}. */
    byte[] signingHash();

    /** The signed transaction as {@code eth_sendRawTransaction} takes it. */
    byte[] encodeSigned(EcdsaSignature signature);

    /** The transaction hash nodes report for {@link #encodeSigned}: Keccak-256 of the signed encoding. */
    default byte[] transactionHash(EcdsaSignature signature) {
        return Keccak256.hash(encodeSigned(signature));
    }

    /**
     * Strictly decodes a signing payload of either type. The first byte decides: {@code 0x02} is an EIP-1559 payload
     * ({@link Eip1559Transaction#decode}); an RLP list prefix ({@code >= 0xc0}) is an EIP-155 payload
     * ({@link LegacyTransaction#decode}); anything else (other EIP-2718 types such as {@code 0x01}, an empty payload)
     * is an {@link IllegalArgumentException}.
     */
    static EthTransaction decodeSigningPayload(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new IllegalArgumentException("empty signing payload");
        }
        int first = payload[0] & 0xff;
        if (first == Eip1559Transaction.TYPE) {
            return Eip1559Transaction.decode(payload);
        }
        if (first >= 0xc0) {
            return LegacyTransaction.decode(payload);
        }
        throw new IllegalArgumentException("unsupported transaction type 0x" + Integer.toHexString(first));
    }
}
