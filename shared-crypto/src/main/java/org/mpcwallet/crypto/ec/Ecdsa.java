package org.mpcwallet.crypto.ec;

import java.math.BigInteger;

/** ECDSA verification and Ethereum canonicalisation (low-s, recovery id) over secp256k1 (SEC 1 v2, 4.1.4). */
public final class Ecdsa {
    private Ecdsa() {}

    /** SEC 1 4.1.4 verification of (r, s) on a 32-byte hash under public key q. Accepts high-s too. */
    public static boolean verify(byte[] hash32, BigInteger r, BigInteger s, Point q) {
        BigInteger n = Secp256k1.N;
        if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || s.compareTo(n) >= 0) {
            return false;
        }
        BigInteger e = Scalars.fromHash(hash32);
        BigInteger w = s.modInverse(n);
        BigInteger u1 = e.multiply(w).mod(n);
        BigInteger u2 = r.multiply(w).mod(n);
        Point x = q.sumOfMultiplies(u1, u2);
        return x != null && x.x().mod(n).equals(r);
    }

    public static boolean verify(byte[] hash32, EcdsaSignature sig, Point q) {
        return verify(hash32, sig.r(), sig.s(), q);
    }

    /**
     * Canonical Ethereum form of a signature whose nonce point is {@code bigR}: s is replaced by n - s when high
     * (EIP-2), which flips the recovery parity. Returns null when R.x >= n (recovery id 2/3, probability ~2^-128).
     */
    public static EcdsaSignature canonical(BigInteger r, BigInteger s, Point bigR) {
        if (bigR.x().compareTo(Secp256k1.N) >= 0) {
            return null;
        }
        int recId = bigR.yIsOdd() ? 1 : 0;
        if (s.compareTo(Secp256k1.HALF_N) > 0) {
            return new EcdsaSignature(r, Secp256k1.N.subtract(s), recId ^ 1);
        }
        return new EcdsaSignature(r, s, recId);
    }
}
