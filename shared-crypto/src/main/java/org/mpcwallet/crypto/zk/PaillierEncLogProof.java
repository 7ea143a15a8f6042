package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.hash.Transcript;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;

/**
 * Knowledge of exponent vs Paillier encryption Π^log*: CGGMP21 (eprint 2021/060) Fig. 25 with g = G of secp256k1,
 * the fixed {@link RingPedersenParams}, ℓ = 256, ε = 512 and a Fiat-Shamir challenge e uniform in [0, q)
 * (docs/zk-proofs.md §6). Checklist row 7 (the plaintext is proved small).
 *
 * <p>Statement: the prover knows x, ρ with C = (1+N0)^x ρ^{N0} mod N0², X = x·G and |x| <= 2^ℓ. Prover:
 * α ← ±2^{ℓ+ε}, μ ← ±2^ℓ·N̂, r ← Z_{N0}^*, γ ← ±2^{ℓ+ε}·N̂; S = s^x t^μ, A = (1+N0)^α r^{N0} mod N0²,
 * Y = (α mod q)·G, D = s^α t^γ (mod N̂); e = H(ctx, N̂, s, t, N0, C, X, S, A, Y, D); z1 = α + e·x, z2 = r·ρ^e mod N0,
 * z3 = γ + e·μ. Verifier: C, A ∈ Z_{N0²}^*, z2 ∈ Z_{N0}^*, S, D ∈ Z_N̂^*, |z1| <= 2^{ℓ+ε}, |z3| <= 2^{ℓ+ε+1}·N̂
 * (an honest proof always meets it), (1+N0)^{z1} z2^{N0} = A·C^e mod N0², (z1 mod q)·G = Y + e·X (neither side
 * the identity), s^{z1} t^{z3} = D·S^e mod N̂.
 *
 * <p>Wire form: {@code unsigned(S) || unsigned(A) || bytes(Y: 33) || unsigned(D) || signed(z1) || unsigned(z2) ||
 * signed(z3)}.
 */
public record PaillierEncLogProof(BigInteger capS, BigInteger capA, Point capY, BigInteger capD, BigInteger z1,
        BigInteger z2, BigInteger z3) {
    static final String STEP = "zk/paillier-enc-log";
    static final String DOMAIN = "mpcwallet/zk/paillier-enc-log/v1";
    private static final int LE = ZkMath.ELL + ZkMath.EPSILON;
    private static final int ELEMENT_BYTES = 256;
    private static final int Z1_BYTES = 128;

    public PaillierEncLogProof {
        if (capS == null || capA == null || capD == null || z2 == null || capS.signum() <= 0 || capA.signum() <= 0
                || capD.signum() <= 0 || z2.signum() <= 0) {
            throw new IllegalArgumentException("Π^log* group elements must be positive");
        }
        if (capY == null || z1 == null || z3 == null) {
            throw new IllegalArgumentException("Π^log* Y, z1 and z3 are required");
        }
    }

    /**
     * Proves that {@code c} = Enc(x; rho) under {@code key} encrypts the discrete log of {@code bigX}, with
     * |x| <= 2^256.
     */
    public static PaillierEncLogProof prove(ProofContext ctx, VerifiedRingPedersen verifierParams,
            PaillierPublicKey key, BigInteger c, Point bigX, BigInteger x, BigInteger rho, RandomSource rng,
            ModPow mp) {
        BigInteger n0 = key.n();
        if (n0.bitLength() > ZkMath.MAX_PAILLIER_BITS) {
            throw new IllegalArgumentException("modulus larger than " + ZkMath.MAX_PAILLIER_BITS + " bits");
        }
        if (!ZkMath.inSignedRange(x, BigInteger.ONE.shiftLeft(ZkMath.ELL))) {
            throw new IllegalArgumentException("witness x is outside ±2^256");
        }
        if (!ZkMath.isUnit(rho, n0) || !key.isValidCiphertext(c) || !key.encrypt(x, rho, mp).equals(c)) {
            throw new IllegalArgumentException("witness does not match the statement C = Enc(x; rho)");
        }
        BigInteger xq = x.mod(ZkMath.Q);
        if (xq.signum() == 0 || !Point.mulG(xq).equals(bigX)) {
            throw new IllegalArgumentException("witness does not match the statement X = x·G");
        }
        RingPedersenParams rp = verifierParams.params();
        BigInteger nHat = rp.nHat();
        BigInteger n0Squared = key.nSquared();
        while (true) {
            BigInteger alpha = ZkMath.signed(BigInteger.ONE.shiftLeft(LE), rng);
            BigInteger alphaQ = alpha.mod(ZkMath.Q);
            if (alphaQ.signum() == 0) {
                continue; // Y would be the identity (probability 2^-512)
            }
            BigInteger mu = ZkMath.signed(nHat.shiftLeft(ZkMath.ELL), rng);
            BigInteger r = key.randomUnit(rng);
            BigInteger gamma = ZkMath.signed(nHat.shiftLeft(LE), rng);

            BigInteger capS = rp.commit(x, mu, mp);
            BigInteger capA = key.plaintextPart(alpha).multiply(key.randomizer(r, mp)).mod(n0Squared);
            Point capY = Point.mulG(alphaQ);
            BigInteger capD = rp.commit(alpha, gamma, mp);
            BigInteger e = challenge(ctx, rp, n0, c, bigX, capS, capA, capY, capD);

            BigInteger z1 = alpha.add(e.multiply(x));
            if (z1.mod(ZkMath.Q).signum() == 0) {
                continue; // Y + e·X would be the identity (probability about 2^-256)
            }
            BigInteger z2 = r.multiply(mp.modPow(rho, e, n0)).mod(n0);
            BigInteger z3 = gamma.add(e.multiply(mu));
            return new PaillierEncLogProof(capS, capA, capY, capD, z1, z2, z3);
        }
    }

    /**
     * Verifies the proof for the statement (key, c, bigX). Throws a {@link org.mpcwallet.crypto.core.ProtocolException}
     * (INVALID_PARAMETER for an invalid ciphertext C, PROOF_INVALID for a failing proof; culprit = prover) unless
     * valid. The key must be a {@link VerifiedPaillierKey}: Π^log* is only sound for a modulus proved well-formed.
     */
    public static void verify(ProofContext ctx, RingPedersenParams ownParams, VerifiedPaillierKey key, BigInteger c,
            Point bigX, PaillierEncLogProof proof, ModPow mp) {
        if (ctx == null || ownParams == null || key == null || c == null || bigX == null || mp == null) {
            throw new IllegalArgumentException("context, key, statement and ModPow are required");
        }
        if (proof == null) {
            throw ZkMath.invalid(STEP, ctx, "proof missing");
        }
        PaillierPublicKey pk = key.publicKey();
        BigInteger n0 = pk.n();
        BigInteger n0Squared = pk.nSquared();
        if (!pk.isValidCiphertext(c)) {
            throw ZkMath.badParameter(STEP, ctx, "C is not a valid ciphertext (0 < C < N0^2, gcd(C, N0) = 1)");
        }
        RingPedersenParams rp = ownParams;
        BigInteger nHat = rp.nHat();
        if (!rp.isElement(proof.capS) || !rp.isElement(proof.capD)) {
            throw ZkMath.invalid(STEP, ctx, "S or D is not in Z_Nhat^*");
        }
        if (!pk.isValidCiphertext(proof.capA)) {
            throw ZkMath.invalid(STEP, ctx, "A is not in Z_(N0^2)^*");
        }
        if (!ZkMath.isUnit(proof.z2, n0)) {
            throw ZkMath.invalid(STEP, ctx, "z2 is not in Z_N0^*");
        }
        if (!ZkMath.inSignedRange(proof.z1, BigInteger.ONE.shiftLeft(LE))) {
            throw ZkMath.invalid(STEP, ctx, "|z1| > 2^768: the plaintext is not small");
        }
        if (!ZkMath.inSignedRange(proof.z3, nHat.shiftLeft(LE + 1))) {
            throw ZkMath.invalid(STEP, ctx, "|z3| > 2^769*Nhat");
        }
        BigInteger e = challenge(ctx, rp, n0, c, bigX, proof.capS, proof.capA, proof.capY, proof.capD);

        BigInteger z1q = proof.z1.mod(ZkMath.Q);
        if (z1q.signum() == 0) {
            throw ZkMath.invalid(STEP, ctx, "z1 = 0 mod q");
        }
        Point rhsEc = ZkMath.plusMul(proof.capY, bigX, e);
        if (rhsEc == null || !Point.mulG(z1q).equals(rhsEc)) {
            throw ZkMath.invalid(STEP, ctx, "(z1 mod q)·G != Y + e·X");
        }
        BigInteger lhsEnc = pk.plaintextPart(proof.z1).multiply(pk.randomizer(proof.z2, mp)).mod(n0Squared);
        BigInteger rhsEnc = proof.capA.multiply(mp.modPow(c, e, n0Squared)).mod(n0Squared);
        if (!lhsEnc.equals(rhsEnc)) {
            throw ZkMath.invalid(STEP, ctx, "(1+N0)^z1 z2^N0 != A C^e mod N0^2");
        }
        BigInteger lhsRp = rp.commit(proof.z1, proof.z3, mp);
        BigInteger rhsRp = proof.capD.multiply(mp.modPow(proof.capS, e, nHat)).mod(nHat);
        if (!lhsRp.equals(rhsRp)) {
            throw ZkMath.invalid(STEP, ctx, "s^z1 t^z3 != D S^e mod Nhat");
        }
    }

    static BigInteger challenge(ProofContext ctx, RingPedersenParams rp, BigInteger n0, BigInteger c, Point bigX,
            BigInteger capS, BigInteger capA, Point capY, BigInteger capD) {
        Transcript t = new Transcript(DOMAIN);
        ctx.absorbInto(t);
        rp.absorbInto(t);
        t.append("N0", n0);
        t.append("C", c);
        t.append("X", bigX.encode());
        t.append("S", capS);
        t.append("A", capA);
        t.append("Y", capY.encode());
        t.append("D", capD);
        return ZkMath.challenge(t);
    }

    public byte[] encode() {
        return new WireWriter().unsigned(capS).unsigned(capA).bytes(capY.encode()).unsigned(capD).signed(z1)
                .unsigned(z2).signed(z3).toByteArray();
    }

    /** Strict decoding: bounded minimal integers, a valid compressed point, nothing after. */
    public static PaillierEncLogProof decode(byte[] data) {
        if (data == null) {
            throw ZkMath.malformed(STEP, "proof missing");
        }
        WireReader r = new WireReader(data, STEP);
        BigInteger capS = r.unsigned("S", ELEMENT_BYTES);
        BigInteger capA = r.unsigned("A", 2 * ZkMath.MAX_PAILLIER_BYTES);
        byte[] y = r.fixed("Y", 33);
        BigInteger capD = r.unsigned("D", ELEMENT_BYTES);
        BigInteger z1 = r.signed("z1", Z1_BYTES);
        BigInteger z2 = r.unsigned("z2", ZkMath.MAX_PAILLIER_BYTES);
        BigInteger z3 = r.signed("z3", ZkMath.MAX_RESPONSE_BYTES);
        r.end();
        try {
            return new PaillierEncLogProof(capS, capA, Point.decode(y), capD, z1, z2, z3);
        } catch (IllegalArgumentException e) {
            throw ZkMath.malformed(STEP, e.getMessage());
        }
    }
}
