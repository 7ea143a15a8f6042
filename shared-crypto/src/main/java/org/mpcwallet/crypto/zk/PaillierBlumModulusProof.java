package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.hash.Transcript;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;

/**
 * Paillier-Blum modulus proof Π^mod: CGGMP21 (eprint 2021/060) Fig. 16, with Fiat-Shamir challenges
 * and {@link #ITERATIONS} = 128 repetitions (checklist rows 1 and 5; docs/zk-proofs.md §4): soundness error
 * 2^-128, so grinding the Fiat-Shamir challenges costs about 2^128 hash evaluations, as for the rest of the system.
 *
 * <p>Statement: N = p·q with p ≡ q ≡ 3 (mod 4) distinct primes and gcd(N, φ(N)) = 1. The prover sends w with
 * Jacobi(w, N) = -1; the challenges y_1..y_128 ∈ Z_N^* are derived from the transcript (ctx, N, w); for each i the
 * prover sends a_i, b_i ∈ {0,1} with y'_i = (-1)^{a_i} w^{b_i} y_i a quadratic residue, x_i = y'_i^{1/4} mod N and
 * z_i = y_i^{N^{-1} mod φ(N)} mod N. The verifier checks N odd, N > 1, N not prime, N not a perfect square,
 * 0 < w < N with Jacobi(w, N) = -1, every x_i, z_i in [1, N), x_i^4 = (-1)^{a_i} w^{b_i} y_i and z_i^N = y_i
 * (mod N). Beyond the figure, x_i must be the canonical root (2·x_i < N and Jacobi(x_i, N) = 1: exactly one of the
 * four fourth roots of a Blum-integer residue qualifies, and the honest prover always sends it), so a valid proof
 * has exactly one encoding and any changed field is rejected.
 *
 * <p>Wire form: {@code unsigned(w) || count(128) || 128 × (unsigned(x_i) || unsigned(z_i) || u8(a_i) || u8(b_i))}.
 *
 * @param w the non-residue with Jacobi symbol -1
 * @param iterations exactly {@link #ITERATIONS} responses
 */
public record PaillierBlumModulusProof(BigInteger w, List<Iteration> iterations) {
    /** Number of repetitions M; soundness error 2^-128. A proof with any other count is rejected. */
    public static final int ITERATIONS = 128;
    static final String STEP = "zk/paillier-blum-modulus";
    static final String DOMAIN = "mpcwallet/zk/paillier-blum-modulus/v1";
    private static final int MR_CERTAINTY = 64;

    /**
     * One repetition of Π^mod.
     *
     * @param x fourth root of (-1)^a w^b y mod N
     * @param z N-th root of y mod N
     * @param a multiply by -1
     * @param b multiply by w
     */
    public record Iteration(BigInteger x, BigInteger z, boolean a, boolean b) {
        public Iteration {
            if (x == null || z == null || x.signum() <= 0 || z.signum() <= 0) {
                throw new IllegalArgumentException("Π^mod responses x, z must be positive");
            }
        }
    }

    public PaillierBlumModulusProof {
        if (w == null || w.signum() <= 0) {
            throw new IllegalArgumentException("Π^mod w must be positive");
        }
        if (iterations == null || iterations.size() != ITERATIONS) {
            throw new IllegalArgumentException("Π^mod needs exactly " + ITERATIONS + " iterations");
        }
        iterations = List.copyOf(iterations); // rejects null elements
    }

    /** Proves that the key's modulus is a Paillier-Blum modulus (the key's primes must be ≡ 3 mod 4). */
    public static PaillierBlumModulusProof prove(ProofContext ctx, PaillierPrivateKey key, RandomSource rng,
            ModPow mp) {
        BigInteger p = key.p();
        BigInteger q = key.q();
        BigInteger n = key.publicKey().n();
        if (n.bitLength() > ZkMath.MAX_PAILLIER_BITS) {
            throw new IllegalArgumentException("modulus larger than " + ZkMath.MAX_PAILLIER_BITS + " bits");
        }
        BigInteger w;
        do {
            w = key.randomUnit(rng);
        } while (ZkMath.jacobi(w, n) != -1);
        BigInteger[] ys = challenges(ctx, n, w);
        if (ys == null) {
            throw new IllegalArgumentException("challenge shares a factor with N");
        }
        BigInteger nInvPhi = n.modInverse(key.phi());
        BigInteger qInvP = q.modInverse(p);
        // 4th root mod a Blum prime r of a residue: u^{((r+1)/4)^2 mod (r-1)}
        BigInteger ep = fourthRootExponent(p);
        BigInteger eq = fourthRootExponent(q);
        int wp = ZkMath.jacobi(w, p);
        int wq = ZkMath.jacobi(w, q);
        List<Iteration> out = new ArrayList<>(ITERATIONS);
        for (BigInteger y : ys) {
            int yp = ZkMath.jacobi(y, p);
            int yq = ZkMath.jacobi(y, q);
            // -1 is a non-residue modulo both Blum primes; w is a residue modulo exactly one of them
            boolean a = false;
            boolean b = false;
            search:
            for (int ai = 0; ai < 2; ai++) {
                for (int bi = 0; bi < 2; bi++) {
                    int sp = yp * (ai == 1 ? -1 : 1) * (bi == 1 ? wp : 1);
                    int sq = yq * (ai == 1 ? -1 : 1) * (bi == 1 ? wq : 1);
                    if (sp == 1 && sq == 1) {
                        a = ai == 1;
                        b = bi == 1;
                        break search;
                    }
                }
            }
            BigInteger yPrime = twist(y, w, a, b, n);
            BigInteger xp = mp.modPow(yPrime.mod(p), ep, p);
            BigInteger xq = mp.modPow(yPrime.mod(q), eq, q);
            BigInteger x = xq.add(q.multiply(xp.subtract(xq).multiply(qInvP).mod(p)));
            // x is a residue mod p and mod q (Jacobi 1); of ±x (both Jacobi 1 as Jacobi(-1, N) = 1) send the
            // smaller: the canonical root the verifier demands, so a valid proof has exactly one encoding
            if (x.shiftLeft(1).compareTo(n) >= 0) {
                x = n.subtract(x);
            }
            BigInteger z = key.powModN(y, nInvPhi, mp);
            out.add(new Iteration(x, z, a, b));
        }
        return new PaillierBlumModulusProof(w, out);
    }

    private static BigInteger fourthRootExponent(BigInteger r) {
        BigInteger k = r.add(BigInteger.ONE).shiftRight(2);
        return k.multiply(k).mod(r.subtract(BigInteger.ONE));
    }

    /** (-1)^a · w^b · y mod n. */
    static BigInteger twist(BigInteger y, BigInteger w, boolean a, boolean b, BigInteger n) {
        BigInteger v = b ? y.multiply(w).mod(n) : y.mod(n);
        return a ? n.subtract(v).mod(n) : v;
    }

    /**
     * Verifies that {@code n} is a Paillier-Blum modulus. Throws a {@link org.mpcwallet.crypto.core.ProtocolException}
     * (INVALID_PARAMETER for an unusable N, PROOF_INVALID for a failing proof; culprit = prover) unless valid.
     */
    public static void verify(ProofContext ctx, BigInteger n, PaillierBlumModulusProof proof, ModPow mp) {
        if (ctx == null || n == null || mp == null) {
            throw new IllegalArgumentException("context, modulus and ModPow are required");
        }
        if (proof == null) {
            throw ZkMath.invalid(STEP, ctx, "proof missing");
        }
        if (n.signum() <= 0 || n.equals(BigInteger.ONE) || !n.testBit(0)) {
            throw ZkMath.badParameter(STEP, ctx, "N must be odd and > 1");
        }
        if (n.bitLength() > ZkMath.MAX_PAILLIER_BITS) {
            throw ZkMath.badParameter(STEP, ctx, "N is larger than " + ZkMath.MAX_PAILLIER_BITS + " bits");
        }
        if (n.isProbablePrime(MR_CERTAINTY)) {
            throw ZkMath.badParameter(STEP, ctx, "N is prime");
        }
        if (ZkMath.isPerfectSquare(n)) {
            throw ZkMath.badParameter(STEP, ctx, "N is a perfect square");
        }
        BigInteger w = proof.w;
        if (w.compareTo(n) >= 0 || ZkMath.jacobi(w, n) != -1) {
            throw ZkMath.invalid(STEP, ctx, "w is not in (0, N) with Jacobi symbol -1");
        }
        List<Iteration> its = proof.iterations;
        for (int i = 0; i < ITERATIONS; i++) {
            Iteration it = its.get(i);
            if (it.x.compareTo(n) >= 0 || it.z.compareTo(n) >= 0) {
                throw ZkMath.invalid(STEP, ctx, "x_i or z_i not in [1, N) at iteration " + i);
            }
            if (it.x.shiftLeft(1).compareTo(n) >= 0) {
                throw ZkMath.invalid(STEP, ctx, "x_i is not the canonical fourth root (x >= N/2) at iteration " + i);
            }
        }
        BigInteger[] ys = challenges(ctx, n, w);
        if (ys == null) {
            throw ZkMath.badParameter(STEP, ctx, "a challenge y_i is not a unit modulo N");
        }
        // the cheap fourth-root checks first, then the N-th-root checks (one full-size modPow each)
        for (int i = 0; i < ITERATIONS; i++) {
            Iteration it = its.get(i);
            BigInteger x2 = it.x.multiply(it.x).mod(n);
            if (!x2.multiply(x2).mod(n).equals(twist(ys[i], w, it.a, it.b, n))) {
                throw ZkMath.invalid(STEP, ctx, "x_i^4 != (-1)^a_i w^b_i y_i at iteration " + i);
            }
            if (ZkMath.jacobi(it.x, n) != 1) {
                throw ZkMath.invalid(STEP, ctx, "x_i is not the canonical fourth root (Jacobi != 1) at iteration "
                        + i);
            }
        }
        for (int i = 0; i < ITERATIONS; i++) {
            if (!mp.modPow(its.get(i).z, n, n).equals(ys[i])) {
                throw ZkMath.invalid(STEP, ctx, "z_i^N != y_i at iteration " + i);
            }
        }
    }

    /** y_i = H(ctx, N, w; "y/i") uniform in [0, N); null if one is not a unit (then N has a findable factor). */
    static BigInteger[] challenges(ProofContext ctx, BigInteger n, BigInteger w) {
        BigInteger[] ys = rawChallenges(ctx, n, w);
        for (BigInteger y : ys) {
            if (!ZkMath.isUnit(y, n)) {
                return null;
            }
        }
        return ys;
    }

    /** The challenges before the unit check. */
    static BigInteger[] rawChallenges(ProofContext ctx, BigInteger n, BigInteger w) {
        Transcript t = new Transcript(DOMAIN);
        ctx.absorbInto(t);
        t.append("N", n);
        t.append("w", w);
        t.append("M", ITERATIONS);
        BigInteger[] ys = new BigInteger[ITERATIONS];
        for (int i = 0; i < ITERATIONS; i++) {
            ys[i] = t.challengeBelow("y/" + i, n);
        }
        return ys;
    }

    public byte[] encode() {
        WireWriter out = new WireWriter().unsigned(w).count(ITERATIONS);
        for (Iteration it : iterations) {
            out.unsigned(it.x).unsigned(it.z).u8(it.a ? 1 : 0).u8(it.b ? 1 : 0);
        }
        return out.toByteArray();
    }

    /** Strict decoding: minimal integers of at most 384 bytes, exactly 128 iterations, flags 0/1, nothing after. */
    public static PaillierBlumModulusProof decode(byte[] data) {
        if (data == null) {
            throw ZkMath.malformed(STEP, "proof missing");
        }
        WireReader r = new WireReader(data, STEP);
        BigInteger w = r.unsigned("w", ZkMath.MAX_PAILLIER_BYTES);
        r.expectCount("iterations", ITERATIONS);
        List<Iteration> its = new ArrayList<>(ITERATIONS);
        for (int i = 0; i < ITERATIONS; i++) {
            BigInteger x = r.unsigned("x", ZkMath.MAX_PAILLIER_BYTES);
            BigInteger z = r.unsigned("z", ZkMath.MAX_PAILLIER_BYTES);
            boolean a = flag(r, "a");
            boolean b = flag(r, "b");
            try {
                its.add(new Iteration(x, z, a, b));
            } catch (IllegalArgumentException e) {
                throw ZkMath.malformed(STEP, e.getMessage());
            }
        }
        r.end();
        try {
            return new PaillierBlumModulusProof(w, its);
        } catch (IllegalArgumentException e) {
            throw ZkMath.malformed(STEP, e.getMessage());
        }
    }

    private static boolean flag(WireReader r, String field) {
        int v = r.u8(field);
        if (v > 1) {
            throw ZkMath.malformed(STEP, field + ": flag must be 0 or 1");
        }
        return v == 1;
    }
}
