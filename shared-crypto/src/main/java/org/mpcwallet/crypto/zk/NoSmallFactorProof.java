package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.hash.Transcript;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;

/**
 * No-small-factor proof Π^fac: CGGMP21 (eprint 2021/060) Fig. 28, over the fixed
 * {@link RingPedersenParams} with ℓ = 256, ε = 512, Fiat-Shamir challenge e uniform in [0, q) (q = the secp256k1
 * order; docs/zk-proofs.md §5). Checklist row 1.
 *
 * <p>Statement: N0 = p·q with |p|, |q| <= √N0·2^{ℓ+ε}, so both factors exceed √N0 / 2^{ℓ+ε+1} (about 2^255 for a
 * 2048-bit N0). Prover: α, β ← ±2^{ℓ+ε}·√N0, μ, ν ← ±2^ℓ·N̂, σ ← ±2^ℓ·N0·N̂, r ← ±2^{ℓ+ε}·N0·N̂,
 * x, y ← ±2^{ℓ+ε}·N̂; P = s^p t^μ, Q = s^q t^ν, A = s^α t^x, B = s^β t^y, T = Q^α t^r (mod N̂); e = H(ctx, N̂, s, t,
 * N0, P, Q, A, B, T, σ); z1 = α + e·p, z2 = β + e·q, w1 = x + e·μ, w2 = y + e·ν, v = r + e·(σ − ν·p).
 * Verifier: s^{z1} t^{w1} = A·P^e, s^{z2} t^{w2} = B·Q^e, Q^{z1} t^v = T·R^e with R = s^{N0} t^σ, |z1|, |z2| <=
 * √N0·2^{ℓ+ε} (integer square root), every group element in Z_N̂^*, and (bounds that an honest proof always meets,
 * kept so no one can make the verifier exponentiate by huge numbers) |σ| <= 2^ℓ·N0·N̂, |w1|, |w2| <= 2^{ℓ+ε+1}·N̂,
 * |v| <= 2^{ℓ+ε+1}·N0·N̂.
 *
 * <p>Wire form: {@code unsigned(P) || unsigned(Q) || unsigned(A) || unsigned(B) || unsigned(T) || signed(σ) ||
 * signed(z1) || signed(z2) || signed(w1) || signed(w2) || signed(v)}.
 */
public record NoSmallFactorProof(BigInteger capP, BigInteger capQ, BigInteger capA, BigInteger capB,
        BigInteger capT, BigInteger sigma, BigInteger z1, BigInteger z2, BigInteger w1, BigInteger w2,
        BigInteger v) {
    static final String STEP = "zk/no-small-factor";
    static final String DOMAIN = "mpcwallet/zk/no-small-factor/v1";
    private static final int L = ZkMath.ELL;
    private static final int LE = ZkMath.ELL + ZkMath.EPSILON;
    private static final int ELEMENT_BYTES = 256;

    public NoSmallFactorProof {
        BigInteger[] group = {capP, capQ, capA, capB, capT};
        for (BigInteger g : group) {
            if (g == null || g.signum() <= 0) {
                throw new IllegalArgumentException("Π^fac group elements must be positive");
            }
        }
        if (sigma == null || z1 == null || z2 == null || w1 == null || w2 == null || v == null) {
            throw new IllegalArgumentException("Π^fac responses are required");
        }
    }

    /**
     * Proves that the key's modulus has no factor below about 2^255, under the verifier's ring-Pedersen parameters
     * (proven to the prover with Π^prm).
     */
    public static NoSmallFactorProof prove(ProofContext ctx, VerifiedRingPedersen verifierParams,
            PaillierPrivateKey key, RandomSource rng, ModPow mp) {
        return prove(ctx, verifierParams.params(), key.p(), key.q(), rng, mp);
    }

    /** The prover for N0 = p·q with any positive factors (package-private: tests play cheating provers with it). */
    static NoSmallFactorProof prove(ProofContext ctx, RingPedersenParams rp, BigInteger p, BigInteger q,
            RandomSource rng, ModPow mp) {
        BigInteger nHat = rp.nHat();
        BigInteger n0 = p.multiply(q);
        if (n0.bitLength() > ZkMath.MAX_PAILLIER_BITS) {
            throw new IllegalArgumentException("modulus larger than " + ZkMath.MAX_PAILLIER_BITS + " bits");
        }
        BigInteger n0nHat = n0.multiply(nHat);
        BigInteger alphaBound = ZkMath.isqrt(n0).shiftLeft(LE);
        BigInteger alpha = ZkMath.signed(alphaBound, rng);
        BigInteger beta = ZkMath.signed(alphaBound, rng);
        BigInteger mu = ZkMath.signed(nHat.shiftLeft(L), rng);
        BigInteger nu = ZkMath.signed(nHat.shiftLeft(L), rng);
        BigInteger sigma = ZkMath.signed(n0nHat.shiftLeft(L), rng);
        BigInteger r = ZkMath.signed(n0nHat.shiftLeft(LE), rng);
        BigInteger x = ZkMath.signed(nHat.shiftLeft(LE), rng);
        BigInteger y = ZkMath.signed(nHat.shiftLeft(LE), rng);

        BigInteger capP = rp.commit(p, mu, mp);
        BigInteger capQ = rp.commit(q, nu, mp);
        BigInteger capA = rp.commit(alpha, x, mp);
        BigInteger capB = rp.commit(beta, y, mp);
        BigInteger capT = ZkMath.powSigned(mp, capQ, alpha, nHat).multiply(rp.tPow(r, mp)).mod(nHat);
        BigInteger e = challenge(ctx, rp, n0, capP, capQ, capA, capB, capT, sigma);

        BigInteger z1 = alpha.add(e.multiply(p));
        BigInteger z2 = beta.add(e.multiply(q));
        BigInteger w1 = x.add(e.multiply(mu));
        BigInteger w2 = y.add(e.multiply(nu));
        BigInteger v = r.add(e.multiply(sigma.subtract(nu.multiply(p))));
        return new NoSmallFactorProof(capP, capQ, capA, capB, capT, sigma, z1, z2, w1, w2, v);
    }

    /**
     * Verifies that {@code n0} has no small factor. Throws a {@link org.mpcwallet.crypto.core.ProtocolException}
     * (INVALID_PARAMETER for an unusable N0, PROOF_INVALID for a failing proof; culprit = prover) unless valid.
     */
    public static void verify(ProofContext ctx, RingPedersenParams ownParams, BigInteger n0, NoSmallFactorProof proof,
            ModPow mp) {
        if (ctx == null || ownParams == null || n0 == null || mp == null) {
            throw new IllegalArgumentException("context, parameters, modulus and ModPow are required");
        }
        if (proof == null) {
            throw ZkMath.invalid(STEP, ctx, "proof missing");
        }
        if (n0.signum() <= 0 || n0.equals(BigInteger.ONE) || !n0.testBit(0)
                || n0.bitLength() > ZkMath.MAX_PAILLIER_BITS) {
            throw ZkMath.badParameter(STEP, ctx, "N0 must be odd, > 1 and at most "
                    + ZkMath.MAX_PAILLIER_BITS + " bits");
        }
        RingPedersenParams rp = ownParams;
        BigInteger nHat = rp.nHat();
        BigInteger[] group = {proof.capP, proof.capQ, proof.capA, proof.capB, proof.capT};
        for (BigInteger g : group) {
            if (!rp.isElement(g)) {
                throw ZkMath.invalid(STEP, ctx, "P, Q, A, B or T is not in Z_Nhat^*");
            }
        }
        BigInteger n0nHat = n0.multiply(nHat);
        if (!ZkMath.inSignedRange(proof.sigma, n0nHat.shiftLeft(L))) {
            throw ZkMath.invalid(STEP, ctx, "|sigma| > 2^256*N0*Nhat");
        }
        BigInteger zBound = ZkMath.isqrt(n0).shiftLeft(LE);
        if (!ZkMath.inSignedRange(proof.z1, zBound) || !ZkMath.inSignedRange(proof.z2, zBound)) {
            throw ZkMath.invalid(STEP, ctx, "|z1| or |z2| > sqrt(N0)*2^768: a factor of N0 is too small");
        }
        BigInteger wBound = nHat.shiftLeft(LE + 1);
        if (!ZkMath.inSignedRange(proof.w1, wBound) || !ZkMath.inSignedRange(proof.w2, wBound)) {
            throw ZkMath.invalid(STEP, ctx, "|w1| or |w2| > 2^769*Nhat");
        }
        if (!ZkMath.inSignedRange(proof.v, n0nHat.shiftLeft(LE + 1))) {
            throw ZkMath.invalid(STEP, ctx, "|v| > 2^769*N0*Nhat");
        }
        BigInteger e = challenge(ctx, rp, n0, proof.capP, proof.capQ, proof.capA, proof.capB, proof.capT, proof.sigma);

        BigInteger lhs1 = rp.commit(proof.z1, proof.w1, mp);
        BigInteger rhs1 = proof.capA.multiply(mp.modPow(proof.capP, e, nHat)).mod(nHat);
        if (!lhs1.equals(rhs1)) {
            throw ZkMath.invalid(STEP, ctx, "s^z1 t^w1 != A P^e");
        }
        BigInteger lhs2 = rp.commit(proof.z2, proof.w2, mp);
        BigInteger rhs2 = proof.capB.multiply(mp.modPow(proof.capQ, e, nHat)).mod(nHat);
        if (!lhs2.equals(rhs2)) {
            throw ZkMath.invalid(STEP, ctx, "s^z2 t^w2 != B Q^e");
        }
        BigInteger capR = rp.commit(n0, proof.sigma, mp);
        BigInteger lhs3 = ZkMath.powSigned(mp, proof.capQ, proof.z1, nHat).multiply(rp.tPow(proof.v, mp)).mod(nHat);
        BigInteger rhs3 = proof.capT.multiply(mp.modPow(capR, e, nHat)).mod(nHat);
        if (!lhs3.equals(rhs3)) {
            throw ZkMath.invalid(STEP, ctx, "Q^z1 t^v != T R^e");
        }
    }

    static BigInteger challenge(ProofContext ctx, RingPedersenParams rp, BigInteger n0, BigInteger capP,
            BigInteger capQ, BigInteger capA, BigInteger capB, BigInteger capT, BigInteger sigma) {
        Transcript t = new Transcript(DOMAIN);
        ctx.absorbInto(t);
        rp.absorbInto(t);
        t.append("N0", n0);
        t.append("P", capP);
        t.append("Q", capQ);
        t.append("A", capA);
        t.append("B", capB);
        t.append("T", capT);
        t.append("sigma", sigma);
        return ZkMath.challenge(t);
    }

    public byte[] encode() {
        return new WireWriter().unsigned(capP).unsigned(capQ).unsigned(capA).unsigned(capB).unsigned(capT)
                .signed(sigma).signed(z1).signed(z2).signed(w1).signed(w2).signed(v).toByteArray();
    }

    /** Strict decoding: five minimal integers of at most 256 bytes, six minimal signed integers, nothing after. */
    public static NoSmallFactorProof decode(byte[] data) {
        if (data == null) {
            throw ZkMath.malformed(STEP, "proof missing");
        }
        WireReader r = new WireReader(data, STEP);
        BigInteger capP = r.unsigned("P", ELEMENT_BYTES);
        BigInteger capQ = r.unsigned("Q", ELEMENT_BYTES);
        BigInteger capA = r.unsigned("A", ELEMENT_BYTES);
        BigInteger capB = r.unsigned("B", ELEMENT_BYTES);
        BigInteger capT = r.unsigned("T", ELEMENT_BYTES);
        BigInteger sigma = r.signed("sigma", ZkMath.MAX_RESPONSE_BYTES);
        BigInteger z1 = r.signed("z1", ZkMath.MAX_RESPONSE_BYTES);
        BigInteger z2 = r.signed("z2", ZkMath.MAX_RESPONSE_BYTES);
        BigInteger w1 = r.signed("w1", ZkMath.MAX_RESPONSE_BYTES);
        BigInteger w2 = r.signed("w2", ZkMath.MAX_RESPONSE_BYTES);
        BigInteger v = r.signed("v", ZkMath.MAX_RESPONSE_BYTES);
        r.end();
        try {
            return new NoSmallFactorProof(capP, capQ, capA, capB, capT, sigma, z1, z2, w1, w2, v);
        } catch (IllegalArgumentException e) {
            throw ZkMath.malformed(STEP, e.getMessage());
        }
    }
}
