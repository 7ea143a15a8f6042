package org.mpcwallet.crypto.ec;

import java.math.BigInteger;

/**
 * A secp256k1 ECDSA signature in Ethereum's canonical form: 1 <= r, s < n, s <= n/2 (low-s, EIP-2), and the
 * recovery id (0 or 1: the parity of R.y; 2/3 for the astronomically rare R.x >= n are rejected).
 */
public record EcdsaSignature(BigInteger r, BigInteger s, int recoveryId) {
    public EcdsaSignature {
        BigInteger n = Secp256k1.N;
        if (r == null || s == null || r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0
                || s.compareTo(n) >= 0) {
            throw new IllegalArgumentException("signature component out of range [1, n)");
        }
        if (s.compareTo(Secp256k1.HALF_N) > 0) {
            throw new IllegalArgumentException("signature is not low-s");
        }
        if (recoveryId != 0 && recoveryId != 1) {
            throw new IllegalArgumentException("recovery id must be 0 or 1");
        }
    }
}
