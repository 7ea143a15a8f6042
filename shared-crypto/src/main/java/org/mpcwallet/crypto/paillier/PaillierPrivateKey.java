package org.mpcwallet.crypto.paillier;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.RandomSource;

/**
 * Paillier secret key: Blum primes p ≡ q ≡ 3 (mod 4) of equal size, N = p·q of exactly the agreed bit length.
 * Decryption uses the CRT (Paillier 1999, §7). Secret: toString is redacted.
 */
public final class PaillierPrivateKey {
    private final BigInteger p;
    private final BigInteger q;
    private final PaillierPublicKey publicKey;
    private final BigInteger pSquared;
    private final BigInteger qSquared;
    private final BigInteger hp;
    private final BigInteger hq;
    private final BigInteger qInvP;
    private final BigInteger phi;

    public PaillierPrivateKey(BigInteger p, BigInteger q) {
        if (p.equals(q) || !p.testBit(0) || !q.testBit(0) || !p.testBit(1) || !q.testBit(1)) {
            throw new IllegalArgumentException("Paillier primes must be distinct and ≡ 3 mod 4");
        }
        this.p = p;
        this.q = q;
        this.publicKey = new PaillierPublicKey(p.multiply(q));
        this.pSquared = p.multiply(p);
        this.qSquared = q.multiply(q);
        BigInteger g = publicKey.n().add(BigInteger.ONE);
        this.hp = lFunction(g.modPow(p.subtract(BigInteger.ONE), pSquared), p).modInverse(p);
        this.hq = lFunction(g.modPow(q.subtract(BigInteger.ONE), qSquared), q).modInverse(q);
        this.qInvP = q.modInverse(p);
        this.phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
    }

    /** A fresh key whose modulus has exactly {@code modulusBits} bits (two Blum primes of modulusBits/2 bits). */
    public static PaillierPrivateKey generate(int modulusBits, RandomSource rng) {
        if (modulusBits % 2 != 0) {
            throw new IllegalArgumentException("modulus size must be even");
        }
        while (true) {
            BigInteger p = Primes.blumPrime(modulusBits / 2, rng);
            BigInteger q = Primes.blumPrime(modulusBits / 2, rng);
            if (!p.equals(q) && p.multiply(q).bitLength() == modulusBits) {
                return new PaillierPrivateKey(p, q);
            }
        }
    }

    private static BigInteger lFunction(BigInteger u, BigInteger m) {
        return u.subtract(BigInteger.ONE).divide(m);
    }

    public PaillierPublicKey publicKey() {
        return publicKey;
    }

    /** Dec(c) in [0, N). The caller must have checked {@link PaillierPublicKey#isValidCiphertext}. */
    public BigInteger decrypt(BigInteger c, ModPow mp) {
        BigInteger mp1 = lFunction(mp.modPow(c.mod(pSquared), p.subtract(BigInteger.ONE), pSquared), p)
                .multiply(hp).mod(p);
        BigInteger mq1 = lFunction(mp.modPow(c.mod(qSquared), q.subtract(BigInteger.ONE), qSquared), q)
                .multiply(hq).mod(q);
        // CRT (Garner): m = mq + q·((mp - mq)·q^{-1} mod p)
        return mq1.add(q.multiply(mp1.subtract(mq1).multiply(qInvP).mod(p)));
    }

    /**
     * Signed decoding (checklist row 11, cb-mpc fix 23b1ac6): a plaintext m >= (N+1)/2 stands for the negative
     * integer m - N. Returns a value in (-N/2, N/2].
     */
    public BigInteger decryptSigned(BigInteger c, ModPow mp) {
        BigInteger m = decrypt(c, mp);
        BigInteger n = publicKey.n();
        return m.compareTo(n.add(BigInteger.ONE).shiftRight(1)) >= 0 ? m.subtract(n) : m;
    }

    public BigInteger p() {
        return p;
    }

    public BigInteger q() {
        return q;
    }

    /** φ(N) = (p-1)(q-1). */
    public BigInteger phi() {
        return phi;
    }

    /** x^e mod N computed by the CRT with exponents reduced mod p-1 and q-1 (for the prover's roots). */
    public BigInteger powModN(BigInteger x, BigInteger e, ModPow mp) {
        BigInteger xp = mp.modPow(x.mod(p), e.mod(p.subtract(BigInteger.ONE)), p);
        BigInteger xq = mp.modPow(x.mod(q), e.mod(q.subtract(BigInteger.ONE)), q);
        return xq.add(q.multiply(xp.subtract(xq).multiply(qInvP).mod(p)));
    }

    /**
     * x^e mod N² for a unit x of Z_{N²}^* and e >= 0, by the CRT over p² and q² with the exponent reduced modulo the
     * group orders p(p-1) and q(q-1): the same value as a direct modPow, at about half the cost. For the holder's own
     * verifications (P1 checking P2's proof under its own Paillier key).
     */
    public BigInteger powModNSquared(BigInteger x, BigInteger e, ModPow mp) {
        if (e.signum() < 0) {
            throw new IllegalArgumentException("exponent must be non-negative");
        }
        BigInteger xp = mp.modPow(x.mod(pSquared), e.mod(pSquared.subtract(p)), pSquared);
        BigInteger xq = mp.modPow(x.mod(qSquared), e.mod(qSquared.subtract(q)), qSquared);
        // Garner: r = xq + q²·((xp - xq)·(q²)^{-1} mod p²)
        return xq.add(qSquared.multiply(xp.subtract(xq).multiply(qSquaredInvPSquared()).mod(pSquared)));
    }

    private BigInteger qSquaredInvPSquared;

    private synchronized BigInteger qSquaredInvPSquared() {
        if (qSquaredInvPSquared == null) {
            qSquaredInvPSquared = qSquared.modInverse(pSquared);
        }
        return qSquaredInvPSquared;
    }

    /** Uniform unit of Z_N^* for proofs. */
    public BigInteger randomUnit(RandomSource rng) {
        return publicKey.randomUnit(rng);
    }

    @Override
    public String toString() {
        return "PaillierPrivateKey[" + publicKey.bitLength() + " bits, secret redacted]";
    }
}
