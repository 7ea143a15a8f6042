package org.mpcwallet.crypto.eth;

import java.math.BigInteger;
import java.util.Arrays;
import org.mpcwallet.crypto.ec.EcdsaSignature;

/** Field validation and strict RLP field decoding shared by the transaction types. */
final class TxFields {
    static final BigInteger TWO_POW_64 = BigInteger.ONE.shiftLeft(64);
    /** EIP-2681: a transaction nonce must be below 2^64 - 1. */
    static final BigInteger NONCE_LIMIT = TWO_POW_64.subtract(BigInteger.ONE);

    private TxFields() {}

    /** Requires 0 <= v < 2^bits. */
    static BigInteger uint(BigInteger v, int bits, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (v.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        if (v.bitLength() > bits) {
            throw new IllegalArgumentException(name + " must be below 2^" + bits);
        }
        return v;
    }

    /**
     * The bound proposed by EIP-2294, {@code floor((2^64 - 1) / 2) - 36}: the largest chain id whose EIP-155 {@code v} still fits in
     * an unsigned 64-bit integer (tooling that keeps v in 64 bits breaks beyond it).
     */
    static final BigInteger MAX_CHAIN_ID = TWO_POW_64.subtract(BigInteger.ONE).shiftRight(1)
            .subtract(BigInteger.valueOf(36));

    /** Requires 1 <= chainId <= {@link #MAX_CHAIN_ID} (EIP-2294). */
    static BigInteger chainId(BigInteger chainId) {
        uint(chainId, 64, "chainId");
        if (chainId.signum() == 0) {
            throw new IllegalArgumentException("chainId must be positive");
        }
        if (chainId.compareTo(MAX_CHAIN_ID) > 0) {
            throw new IllegalArgumentException("chainId must not exceed floor((2^64 - 1) / 2) - 36 (EIP-2294)");
        }
        return chainId;
    }

    /** Requires 0 <= nonce < 2^64 - 1 (EIP-2681). */
    static BigInteger nonce(BigInteger nonce) {
        uint(nonce, 64, "nonce");
        if (nonce.compareTo(NONCE_LIMIT) >= 0) {
            throw new IllegalArgumentException("nonce must be below 2^64 - 1 (EIP-2681)");
        }
        return nonce;
    }

    static EthAddress to(EthAddress to) {
        if (to == null) {
            throw new IllegalArgumentException("to must not be null (contract creation is not supported)");
        }
        return to;
    }

    static byte[] data(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null (use an empty array)");
        }
        return data.clone();
    }

    // ---- strict decoding of RLP fields ----

    static RlpList list(RlpItem item, int size, String what) {
        if (!(item instanceof RlpList list)) {
            throw new IllegalArgumentException(what + " must be an RLP list");
        }
        if (list.size() != size) {
            throw new IllegalArgumentException(what + " must have " + size + " fields, found " + list.size());
        }
        return list;
    }

    static RlpString string(RlpItem item, String name) {
        if (!(item instanceof RlpString s)) {
            throw new IllegalArgumentException(name + " must be an RLP string, not a list");
        }
        return s;
    }

    static BigInteger scalar(RlpItem item, int maxBits, String name) {
        return string(item, name).toUnsigned(maxBits, name);
    }

    static byte[] bytes(RlpItem item, String name) {
        return string(item, name).bytes();
    }

    static EthAddress address(RlpItem item) {
        byte[] b = bytes(item, "to");
        if (b.length == 0) {
            throw new IllegalArgumentException("to is empty: contract creation is not supported");
        }
        if (b.length != EthAddress.LENGTH) {
            throw new IllegalArgumentException("to must be 20 bytes, found " + b.length);
        }
        return new EthAddress(b);
    }

    static EcdsaSignature signature(RlpItem r, RlpItem s, int recoveryId) {
        BigInteger rv = scalar(r, 256, "signature r");
        BigInteger sv = scalar(s, 256, "signature s");
        try {
            return new EcdsaSignature(rv, sv, recoveryId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid signature: " + e.getMessage(), e);
        }
    }

    static RlpString r(EcdsaSignature signature) {
        return RlpString.ofUnsigned(signature.r());
    }

    static RlpString s(EcdsaSignature signature) {
        return RlpString.ofUnsigned(signature.s());
    }

    static EcdsaSignature requireSignature(EcdsaSignature signature) {
        if (signature == null) {
            throw new IllegalArgumentException("signature must not be null");
        }
        return signature;
    }

    /** Splits an EIP-2718 typed envelope {@code type || payload} after checking the type byte. */
    static RlpList typedPayload(byte[] encoded, int type, int size, String what) {
        if (encoded == null || encoded.length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        int first = encoded[0] & 0xff;
        if (first >= 0xc0) {
            throw new IllegalArgumentException(what + " is a legacy (untyped) transaction, expected type 0x0" + type);
        }
        if (first != type) {
            throw new IllegalArgumentException(what + " has transaction type 0x" + Integer.toHexString(first)
                    + ", expected 0x0" + type);
        }
        return list(Rlp.decode(Arrays.copyOfRange(encoded, 1, encoded.length)), size, what);
    }

    /** Untyped (legacy) transaction: the whole input is one RLP list. */
    static RlpList legacyPayload(byte[] encoded, int size, String what) {
        if (encoded == null || encoded.length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if ((encoded[0] & 0xff) < 0xc0) {
            throw new IllegalArgumentException(what + " is not an RLP list (typed transaction type 0x"
                    + Integer.toHexString(encoded[0] & 0xff) + "?)");
        }
        return list(Rlp.decode(encoded), size, what);
    }
}
