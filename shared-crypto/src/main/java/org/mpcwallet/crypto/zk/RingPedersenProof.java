package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.hash.Transcript;

/**
 * Π^prm, ring-Pedersen parameters: CGGMP21 (eprint 2021/060) Fig. 17 with M = 128 binary challenges
 * (docs/zk-proofs.md §8; checklist rows 5, 17). Statement: (N̂, s, t) with s ∈ ⟨t⟩ in Z_N̂^*. The prover knows λ with
 * s = t^λ mod N̂ and φ(N̂). For i = 1..M: a_i ← [0, φ(N̂)), A_i = t^{a_i}; e = M bits of
 * H(N̂, s, t, A_1..A_M); z_i = a_i + e_i·λ mod φ(N̂). Verifier: A_i ∈ Z_N̂^*, 0 <= z_i < N̂ and
 * t^{z_i} = A_i · s^{e_i} mod N̂ for every i. Soundness error 2^-128: if s ∉ ⟨t⟩ a prover answers at most one of
 * the two challenges of each round. Honest-verifier zero-knowledge: z_i is uniform mod φ(N̂).
 *
 * <p>The statement is a property of public values, so the proof is not bound to a session: anyone may pass it on,
 * and it proves the same thing. Wire form: {@code count(M) || M × (unsigned(A_i) || unsigned(z_i))}.
 */
public record RingPedersenProof(BigInteger[] capA, BigInteger[] z) {
    /** Number of rounds (binary challenges); a proof with any other count is rejected. */
    public static final int ROUNDS = 128;
    static final String STEP = "zk/ring-pedersen";
    static final String DOMAIN = "mpcwallet/zk/ring-pedersen/v1";
    private static final int ELEMENT_BYTES = 256;

    public RingPedersenProof {
        if (capA == null || z == null || capA.length != ROUNDS || z.length != ROUNDS) {
            throw new IllegalArgumentException("Π^prm needs exactly " + ROUNDS + " rounds");
        }
        capA = capA.clone();
        z = z.clone();
        for (int i = 0; i < ROUNDS; i++) {
            if (capA[i] == null || z[i] == null || capA[i].signum() <= 0 || z[i].signum() < 0) {
                throw new IllegalArgumentException("Π^prm round " + i + " has a missing or negative value");
            }
        }
    }

    @Override
    public BigInteger[] capA() {
        return capA.clone();
    }

    @Override
    public BigInteger[] z() {
        return z.clone();
    }

    static RingPedersenProof prove(RingPedersenParams rp, BigInteger lambda, BigInteger phi, RandomSource rng,
            ModPow mp) {
        BigInteger[] a = new BigInteger[ROUNDS];
        BigInteger[] capA = new BigInteger[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            a[i] = ZkMath.below(phi, rng);
            capA[i] = mp.modPow(rp.t(), a[i], rp.nHat());
        }
        byte[] e = challenge(rp, capA);
        BigInteger[] z = new BigInteger[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            z[i] = bit(e, i) ? a[i].add(lambda).mod(phi) : a[i];
        }
        return new RingPedersenProof(capA, z);
    }

    /**
     * Checks the proof for (N̂, s, t); returns the parameters as verified. Throws a ProtocolException (PROOF_INVALID,
     * culprit = {@code ctx.prover()}) naming the failed check. N̂ must have exactly {@link RingPedersenSetup#MODULUS_BITS}
     * bits.
     */
    static VerifiedRingPedersen verify(ProofContext ctx, RingPedersenParams rp, RingPedersenProof proof, ModPow mp) {
        if (proof == null) {
            throw ZkMath.invalid(STEP, ctx, "proof missing");
        }
        BigInteger nHat = rp.nHat();
        if (nHat.bitLength() != RingPedersenSetup.MODULUS_BITS) {
            throw ZkMath.badParameter(STEP, ctx, "Nhat must have exactly " + RingPedersenSetup.MODULUS_BITS + " bits");
        }
        if (ZkMath.isPerfectSquare(nHat) || org.mpcwallet.crypto.paillier.Primes.hasSmallFactor(nHat)) {
            throw ZkMath.badParameter(STEP, ctx, "Nhat is a square or has a small factor");
        }
        for (int i = 0; i < ROUNDS; i++) {
            if (!rp.isElement(proof.capA[i])) {
                throw ZkMath.invalid(STEP, ctx, "A_" + i + " is not in Z_Nhat^*");
            }
            if (proof.z[i].compareTo(nHat) >= 0) {
                throw ZkMath.invalid(STEP, ctx, "z_" + i + " >= Nhat");
            }
        }
        byte[] e = challenge(rp, proof.capA);
        for (int i = 0; i < ROUNDS; i++) {
            BigInteger lhs = mp.modPow(rp.t(), proof.z[i], nHat);
            BigInteger rhs = bit(e, i) ? proof.capA[i].multiply(rp.s()).mod(nHat) : proof.capA[i];
            if (!lhs.equals(rhs)) {
                throw ZkMath.invalid(STEP, ctx, "t^z_" + i + " != A_" + i + "·s^e_" + i + " mod Nhat");
            }
        }
        return new VerifiedRingPedersen(rp);
    }

    private static byte[] challenge(RingPedersenParams rp, BigInteger[] capA) {
        Transcript t = new Transcript(DOMAIN);
        rp.absorbInto(t);
        t.append("M", ROUNDS);
        for (int i = 0; i < ROUNDS; i++) {
            t.append("A", capA[i]);
        }
        return t.challengeBytes("e", ROUNDS / 8);
    }

    private static boolean bit(byte[] e, int i) {
        return ((e[i >>> 3] >>> (i & 7)) & 1) == 1;
    }

    public byte[] encode() {
        WireWriter w = new WireWriter().count(ROUNDS);
        for (int i = 0; i < ROUNDS; i++) {
            w.unsigned(capA[i]).unsigned(z[i]);
        }
        return w.toByteArray();
    }

    /** Strict decoding: exactly {@link #ROUNDS} rounds of bounded minimal integers, nothing after. */
    public static RingPedersenProof decode(byte[] data) {
        if (data == null) {
            throw ZkMath.malformed(STEP, "proof missing");
        }
        WireReader r = new WireReader(data, STEP);
        r.expectCount("rounds", ROUNDS);
        BigInteger[] capA = new BigInteger[ROUNDS];
        BigInteger[] z = new BigInteger[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            capA[i] = r.unsigned("A", ELEMENT_BYTES);
            z[i] = r.unsigned("z", ELEMENT_BYTES);
        }
        r.end();
        try {
            return new RingPedersenProof(capA, z);
        } catch (IllegalArgumentException e) {
            throw ZkMath.malformed(STEP, e.getMessage());
        }
    }
}
