package org.mpcwallet.crypto.paillier;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.RandomSource;

/**
 * Paillier public key N with generator g = N + 1 (Paillier 1999; docs/protocol.md §3). Encryption of m in [0, N):
 * c = (1 + m·N) · ρ^N mod N². Holding this type says nothing about N's validity: only
 * {@link VerifiedPaillierKey} does.
 */
public final class PaillierPublicKey {
    private final BigInteger n;
    private final BigInteger nSquared;

    public PaillierPublicKey(BigInteger n) {
        if (n == null || n.signum() <= 0 || !n.testBit(0)) {
            throw new IllegalArgumentException("Paillier modulus must be a positive odd integer");
        }
        this.n = n;
        this.nSquared = n.multiply(n);
    }

    public BigInteger n() {
        return n;
    }

    public BigInteger nSquared() {
        return nSquared;
    }

    public int bitLength() {
        return n.bitLength();
    }

    /** Uniform ρ in Z_N^* (rejection sampling). */
    public BigInteger randomUnit(RandomSource rng) {
        return randomUnit(n, rng);
    }

    static BigInteger randomUnit(BigInteger modulus, RandomSource rng) {
        byte[] buf = new byte[(modulus.bitLength() + 7) / 8];
        int excess = buf.length * 8 - modulus.bitLength();
        while (true) {
            rng.nextBytes(buf);
            buf[0] &= (byte) (0xff >>> excess);
            BigInteger r = new BigInteger(1, buf);
            if (r.signum() > 0 && r.compareTo(modulus) < 0 && r.gcd(modulus).equals(BigInteger.ONE)) {
                return r;
            }
        }
    }

    /** ρ^N mod N², the expensive part of an encryption (can be precomputed). */
    public BigInteger randomizer(BigInteger rho, ModPow mp) {
        return mp.modPow(rho, n, nSquared);
    }

    /** (1 + m·N) mod N² for an integer m (any sign: m is taken mod N). */
    public BigInteger plaintextPart(BigInteger m) {
        return BigInteger.ONE.add(m.mod(n).multiply(n)).mod(nSquared);
    }

    public BigInteger encrypt(BigInteger m, BigInteger rho, ModPow mp) {
        return plaintextPart(m).multiply(randomizer(rho, mp)).mod(nSquared);
    }

    /** Homomorphic addition: Dec(c1 ⊕ c2) = m1 + m2 mod N. */
    public BigInteger add(BigInteger c1, BigInteger c2) {
        return c1.multiply(c2).mod(nSquared);
    }

    /** Homomorphic scalar multiplication by k >= 0: Dec(k ⊙ c) = k·m mod N. */
    public BigInteger multiply(BigInteger c, BigInteger k, ModPow mp) {
        if (k.signum() < 0) {
            throw new IllegalArgumentException("scalar must be non-negative");
        }
        return mp.modPow(c, k, nSquared);
    }

    /** True when c is a canonical ciphertext: 0 < c < N² and gcd(c, N) = 1. */
    public boolean isValidCiphertext(BigInteger c) {
        return c.signum() > 0 && c.compareTo(nSquared) < 0 && c.gcd(n).equals(BigInteger.ONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaillierPublicKey other && n.equals(other.n);
    }

    @Override
    public int hashCode() {
        return n.hashCode();
    }

    @Override
    public String toString() {
        return "PaillierPublicKey[" + n.bitLength() + " bits]";
    }
}
