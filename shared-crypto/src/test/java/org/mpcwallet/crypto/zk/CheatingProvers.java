package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.core.RandomSource;

/**
 * Malicious provers that do their best for a modulus that is not a Paillier-Blum modulus (checklist row 1). They
 * know the factorisation and answer every Π^mod challenge they can; the tests show the verifier still refuses.
 */
final class CheatingProvers {
    private CheatingProvers() {}

    /**
     * Best-effort Π^mod for N = product of the given distinct primes, each ≡ 3 (mod 4). For each challenge y it
     * looks for a, b with (-1)^a w^b y a residue modulo every prime; where there is one it sends a fourth root (the
     * canonical one if any of the 2^k candidates is canonical); where there is none it sends its best guess. z is
     * y^(N^-1 mod λ(N)) when N is invertible mod λ(N), else y.
     */
    static PaillierBlumModulusProof bestEffortMod(ProofContext ctx, List<BigInteger> primes, RandomSource rng) {
        BigInteger n = BigInteger.ONE;
        BigInteger lambda = BigInteger.ONE;
        for (BigInteger p : primes) {
            if (!p.testBit(1) || !p.testBit(0)) {
                throw new IllegalArgumentException("this cheater handles primes ≡ 3 mod 4 only");
            }
            n = n.multiply(p);
            BigInteger pm1 = p.subtract(BigInteger.ONE);
            lambda = lambda.divide(lambda.gcd(pm1)).multiply(pm1);
        }
        BigInteger w;
        do {
            w = ZkMath.below(n, rng);
        } while (w.signum() == 0 || ZkMath.jacobi(w, n) != -1);
        // with small factors some challenges are not units; the cheater answers them anyway
        BigInteger[] ys = PaillierBlumModulusProof.rawChallenges(ctx, n, w);
        boolean invertible = n.gcd(lambda).equals(BigInteger.ONE);
        BigInteger d = invertible ? n.modInverse(lambda) : BigInteger.ONE;
        List<PaillierBlumModulusProof.Iteration> its = new ArrayList<>();
        for (BigInteger y : ys) {
            boolean a = false;
            boolean b = false;
            boolean found = false;
            for (int ai = 0; ai < 2 && !found; ai++) {
                for (int bi = 0; bi < 2 && !found; bi++) {
                    BigInteger yp = PaillierBlumModulusProof.twist(y, w, ai == 1, bi == 1, n);
                    boolean residueEverywhere = true;
                    for (BigInteger p : primes) {
                        residueEverywhere &= ZkMath.jacobi(yp, p) == 1;
                    }
                    if (residueEverywhere) {
                        a = ai == 1;
                        b = bi == 1;
                        found = true;
                    }
                }
            }
            BigInteger yPrime = PaillierBlumModulusProof.twist(y, w, a, b, n);
            BigInteger x = canonicalFourthRoot(yPrime, primes, n);
            BigInteger z = crt(y, d, primes);
            its.add(new PaillierBlumModulusProof.Iteration(x, z.signum() == 0 ? BigInteger.ONE : z, a, b));
        }
        return new PaillierBlumModulusProof(w, its);
    }

    /** y^d mod N by the CRT over the distinct primes of N (exponent reduced mod p - 1). */
    private static BigInteger crt(BigInteger y, BigInteger d, List<BigInteger> primes) {
        BigInteger x = BigInteger.ZERO;
        BigInteger m = BigInteger.ONE;
        for (BigInteger p : primes) {
            BigInteger r = y.mod(p).modPow(d.mod(p.subtract(BigInteger.ONE)), p);
            BigInteger t = r.subtract(x).multiply(m.modInverse(p)).mod(p);
            x = x.add(m.multiply(t));
            m = m.multiply(p);
        }
        return x;
    }

    /** A fourth root by CRT over primes ≡ 3 mod 4, preferring a canonical one (2x < N, Jacobi 1). */
    private static BigInteger canonicalFourthRoot(BigInteger v, List<BigInteger> primes, BigInteger n) {
        int k = primes.size();
        BigInteger[] roots = new BigInteger[k];
        for (int i = 0; i < k; i++) {
            BigInteger p = primes.get(i);
            BigInteger e = p.add(BigInteger.ONE).shiftRight(2);
            roots[i] = v.mod(p).modPow(e, p).modPow(e, p);
        }
        BigInteger first = null;
        int combos = k <= 6 ? 1 << k : 1;
        for (int mask = 0; mask < combos; mask++) {
            BigInteger x = BigInteger.ZERO;
            BigInteger m = BigInteger.ONE;
            for (int i = 0; i < k; i++) {
                BigInteger p = primes.get(i);
                BigInteger r = ((mask >> i) & 1) == 1 ? p.subtract(roots[i]).mod(p) : roots[i];
                // CRT step: x ≡ x (mod m), x ≡ r (mod p)
                BigInteger t = r.subtract(x).multiply(m.modInverse(p)).mod(p);
                x = x.add(m.multiply(t));
                m = m.multiply(p);
            }
            x = x.mod(n);
            if (x.signum() == 0) {
                x = BigInteger.ONE;
            }
            if (first == null) {
                first = x;
            }
            if (x.shiftLeft(1).compareTo(n) < 0 && ZkMath.jacobi(x, n) == 1) {
                return x;
            }
        }
        return first;
    }
}
