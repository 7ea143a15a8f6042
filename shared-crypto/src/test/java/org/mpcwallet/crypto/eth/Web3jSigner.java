package org.mpcwallet.crypto.eth;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/** Test-only {@link HashSigner}: web3j's deterministic (RFC 6979) ECDSA over a raw 32-byte hash. */
public final class Web3jSigner implements HashSigner {
    private final ECKeyPair key;

    public Web3jSigner(ECKeyPair key) {
        this.key = key;
    }

    public static Web3jSigner of(BigInteger privateKey) {
        return new Web3jSigner(ECKeyPair.create(privateKey));
    }

    @Override
    public EcdsaSignature sign(byte[] hash32) {
        return sign(key, hash32);
    }

    /** Our address for this key, computed by OUR code from web3j's public key. */
    public EthAddress address() {
        return EthAddress.fromPublicKey(uncompressedPublicKey(key));
    }

    public ECKeyPair keyPair() {
        return key;
    }

    static byte[] uncompressedPublicKey(ECKeyPair key) {
        return Bytes.concat(new byte[] {0x04}, Bytes.fixedWidth(key.getPublicKey(), 64));
    }

    /**
     * Signs the raw hash (no further hashing) and normalises: s is made low (s -> n - s flips the recovery id) and
     * the recovery id is web3j's v - 27.
     */
    static EcdsaSignature sign(ECKeyPair key, byte[] hash32) {
        if (hash32.length != 32) {
            throw new IllegalArgumentException("hash must be 32 bytes");
        }
        Sign.SignatureData sd = Sign.signMessage(hash32, key, false);
        BigInteger r = new BigInteger(1, sd.getR());
        BigInteger s = new BigInteger(1, sd.getS());
        int recId = (sd.getV()[0] & 0xff) - 27;
        if (recId != 0 && recId != 1) {
            throw new AssertionError("unexpected web3j v: " + (recId + 27));
        }
        if (s.compareTo(Secp256k1.HALF_N) > 0) {
            s = Secp256k1.N.subtract(s);
            recId ^= 1;
        }
        return new EcdsaSignature(r, s, recId);
    }
}
