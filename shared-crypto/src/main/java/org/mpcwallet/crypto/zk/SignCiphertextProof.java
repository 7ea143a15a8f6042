package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import java.util.Arrays;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.hash.Transcript;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;

/**
 * Π^aff-ec, P2's proof that its signing ciphertext is well formed (docs/zk-proofs.md §9; checklist row 2,
 * CVE-2023-33242). A variant of CGGMP21 Π^aff-g (Fig. 15) in which the prover has no Paillier key: both secret
 * integers are tied to curve points with base R2 instead.
 *
 * <p>Statement (built by each side from its own state): the verifier's Paillier key N, C = c_key, D = c3, R2,
 * X_a = r·Q2, X_b = m'·G, the verifier's ring-Pedersen parameters (N̂, s, t), the proof context and the key
 * fingerprint. The prover knows integers a ∈ [0, 2^256), b ∈ [0, 2^1280) and u ∈ Z_N^* with
 * D = C^a · (1+N)^b · u^N mod N², (a mod q)·R2 = X_a and (b mod q)·R2 = X_b.
 *
 * <p>Prover: α ← ±2^{256+ε}, β ← ±2^{1280+ε}, r_A ← Z_N^*, m, μ ← ±2^ℓ·N̂, γ, δ ← ±2^{ℓ+ε}·N̂;
 * A = C^α (1+N)^β r_A^N mod N², B_a = α·R2, B_b = β·R2, E = s^α t^γ, S = s^a t^m, F = s^β t^δ, T = s^b t^μ
 * (mod N̂); e = H(everything above) ∈ [0, q); z1 = α + e·a, z2 = β + e·b, z3 = γ + e·m, z4 = δ + e·μ,
 * w = r_A·u^e mod N. Verifier: ranges |z1| <= 2^{256+ε}, |z2| <= 2^{1280+ε}, |z3|, |z4| <= 2^{ℓ+ε+1}·N̂; units;
 * C^{z1}(1+N)^{z2}w^N = A·D^e mod N²; (z1 mod q)·R2 = B_a + e·X_a; (z2 mod q)·R2 = B_b + e·X_b;
 * s^{z1}t^{z3} = E·S^e and s^{z2}t^{z4} = F·T^e mod N̂.
 *
 * <p>Everything but T and the responses is independent of the message: {@link #precompute} does it at presign time
 * (T is split as T = s^{b0}·(s^{b_high}·t^μ) with b = b0 + b_high, b0 = k2⁻¹·m' mod q), so the online step costs
 * two short exponentiations. Wire form: {@code unsigned(A) || B_a(33) || B_b(33) || unsigned(E) || unsigned(S) ||
 * unsigned(F) || unsigned(T) || signed(z1) || signed(z2) || signed(z3) || signed(z4) || unsigned(w)}.
 */
public record SignCiphertextProof(BigInteger capA, Point capBa, Point capBb, BigInteger capE, BigInteger capS,
        BigInteger capF, BigInteger capT, BigInteger z1, BigInteger z2, BigInteger z3, BigInteger z4, BigInteger w) {
    static final String STEP = "zk/sign-ciphertext";
    static final String DOMAIN = "mpcwallet/zk/sign-ciphertext/v1";
    /** a < 2^A_BITS (a = k2⁻¹·r·x2 mod q). */
    public static final int A_BITS = 256;
    /** b < 2^B_BITS (b = k2⁻¹·m' mod q + ρ_mask·q with ρ_mask < 2^1024). */
    public static final int B_BITS = 1280;
    private static final int ELL = ZkMath.ELL;
    private static final int EPS = ZkMath.EPSILON;
    private static final int RP_BYTES = RingPedersenSetup.MODULUS_BITS / 8;

    public SignCiphertextProof {
        if (capA == null || capE == null || capS == null || capF == null || capT == null || w == null
                || capA.signum() <= 0 || capE.signum() <= 0 || capS.signum() <= 0 || capF.signum() <= 0
                || capT.signum() <= 0 || w.signum() <= 0) {
            throw new IllegalArgumentException("Π^aff-ec group elements must be positive");
        }
        if (capBa == null || capBb == null || z1 == null || z2 == null || z3 == null || z4 == null) {
            throw new IllegalArgumentException("Π^aff-ec points and responses are required");
        }
    }

    /**
     * The public statement. Each party builds it from its own state, never from the proof: the verifier (P1) uses its
     * own Paillier key, c_key, ring-Pedersen parameters, the R2 it stored at S3, its Q2 and the hash it approved.
     */
    public record Statement(ProofContext ctx, byte[] keyFingerprint, RingPedersenParams rp, PaillierPublicKey pk,
            BigInteger c, BigInteger d, Point r2, Point xa, Point xb) {
        public Statement {
            if (ctx == null || keyFingerprint == null || keyFingerprint.length != 32 || rp == null || pk == null
                    || c == null || d == null || r2 == null || xa == null || xb == null) {
                throw new IllegalArgumentException("every statement value is required");
            }
            keyFingerprint = keyFingerprint.clone();
        }
    }

    /**
     * The prover's message-independent first phase (secret; kept in P2's presignature, used once). Holds the
     * randomizers and the commitments A, B_a, B_b, E, S, F and T_high = s^{b_high}·t^μ.
     */
    public static final class Precomputation {
        private static final int FORMAT = 1;
        private final byte[] rpFingerprint;
        private final BigInteger alpha, beta, rA, gamma, m, delta, mu;
        private final BigInteger capA, capE, capS, capF, capTHigh;
        private final Point capBa, capBb;

        Precomputation(byte[] rpFingerprint, BigInteger alpha, BigInteger beta, BigInteger rA, BigInteger gamma,
                BigInteger m, BigInteger delta, BigInteger mu, BigInteger capA, Point capBa, Point capBb,
                BigInteger capE, BigInteger capS, BigInteger capF, BigInteger capTHigh) {
            this.rpFingerprint = rpFingerprint.clone();
            this.alpha = alpha;
            this.beta = beta;
            this.rA = rA;
            this.gamma = gamma;
            this.m = m;
            this.delta = delta;
            this.mu = mu;
            this.capA = capA;
            this.capBa = capBa;
            this.capBb = capBb;
            this.capE = capE;
            this.capS = capS;
            this.capF = capF;
            this.capTHigh = capTHigh;
        }

        /** Plaintext secret encoding, for P2's presignature store only. */
        public byte[] encode() {
            return new WireWriter().u8(FORMAT).raw(rpFingerprint).signed(alpha).signed(beta).unsigned(rA)
                    .signed(gamma).signed(m).signed(delta).signed(mu).unsigned(capA).bytes(capBa.encode())
                    .bytes(capBb.encode()).unsigned(capE).unsigned(capS).unsigned(capF).unsigned(capTHigh)
                    .toByteArray();
        }

        public static Precomputation decode(byte[] data) {
            String step = "Π^aff-ec precomputation";
            WireReader r = new WireReader(data, step);
            if (r.u8("format") != FORMAT) {
                throw ZkMath.malformed(step, "unsupported precomputation format");
            }
            byte[] fp = r.raw(32, "fingerprint");
            BigInteger alpha = r.signed("alpha", 200);
            BigInteger beta = r.signed("beta", 300);
            BigInteger rA = r.unsigned("rA", ZkMath.MAX_PAILLIER_BYTES);
            BigInteger gamma = r.signed("gamma", ZkMath.MAX_RESPONSE_BYTES);
            BigInteger m = r.signed("m", ZkMath.MAX_RESPONSE_BYTES);
            BigInteger delta = r.signed("delta", ZkMath.MAX_RESPONSE_BYTES);
            BigInteger mu = r.signed("mu", ZkMath.MAX_RESPONSE_BYTES);
            BigInteger capA = r.unsigned("A", 2 * ZkMath.MAX_PAILLIER_BYTES);
            Point ba = Point.decode(r.fixed("B_a", 33));
            Point bb = Point.decode(r.fixed("B_b", 33));
            BigInteger capE = r.unsigned("E", RP_BYTES);
            BigInteger capS = r.unsigned("S", RP_BYTES);
            BigInteger capF = r.unsigned("F", RP_BYTES);
            BigInteger capTHigh = r.unsigned("T_high", RP_BYTES);
            r.end();
            return new Precomputation(fp, alpha, beta, rA, gamma, m, delta, mu, capA, ba, bb, capE, capS, capF,
                    capTHigh);
        }

        @Override
        public String toString() {
            return "SignCiphertextProof.Precomputation[secret redacted]";
        }
    }

    /**
     * The message-independent first phase for witness a and b_high (the multiple of q that masks b), under the
     * verifier's proven parameters, its Paillier key and c_key, with base R2.
     */
    public static Precomputation precompute(VerifiedRingPedersen verifierParams, PaillierPublicKey pk, BigInteger c,
            Point r2, BigInteger a, BigInteger bHigh, RandomSource rng, ModPow mp) {
        if (a.signum() < 0 || a.bitLength() > A_BITS || bHigh.signum() < 0 || bHigh.bitLength() > B_BITS) {
            throw new IllegalArgumentException("witness outside its range");
        }
        RingPedersenParams rp = verifierParams.params();
        BigInteger nHat = rp.nHat();
        BigInteger n2 = pk.nSquared();
        while (true) {
            BigInteger alpha = ZkMath.signed(BigInteger.ONE.shiftLeft(A_BITS + EPS), rng);
            BigInteger beta = ZkMath.signed(BigInteger.ONE.shiftLeft(B_BITS + EPS), rng);
            BigInteger alphaQ = alpha.mod(ZkMath.Q);
            BigInteger betaQ = beta.mod(ZkMath.Q);
            if (alphaQ.signum() == 0 || betaQ.signum() == 0) {
                continue; // B_a or B_b would be the identity (probability 2^-255)
            }
            BigInteger rA = pk.randomUnit(rng);
            BigInteger m = ZkMath.signed(nHat.shiftLeft(ELL), rng);
            BigInteger mu = ZkMath.signed(nHat.shiftLeft(ELL), rng);
            BigInteger gamma = ZkMath.signed(nHat.shiftLeft(ELL + EPS), rng);
            BigInteger delta = ZkMath.signed(nHat.shiftLeft(ELL + EPS), rng);
            BigInteger capA = ZkMath.powSigned(mp, c, alpha, n2).multiply(pk.plaintextPart(beta)).mod(n2)
                    .multiply(pk.randomizer(rA, mp)).mod(n2);
            Point capBa = r2.mul(alphaQ);
            Point capBb = r2.mul(betaQ);
            BigInteger capE = rp.commit(alpha, gamma, mp);
            BigInteger capS = rp.commit(a, m, mp);
            BigInteger capF = rp.commit(beta, delta, mp);
            BigInteger capTHigh = rp.commit(bHigh, mu, mp);
            return new Precomputation(rp.fingerprint(), alpha, beta, rA, gamma, m, delta, mu, capA, capBa, capBb,
                    capE, capS, capF, capTHigh);
        }
    }

    /**
     * The online phase: T = s^{b0}·T_high, the challenge and the responses, for b = b0 + b_high. The caller must use
     * each precomputation once. Throws IllegalArgumentException when the inputs do not belong together.
     */
    public static SignCiphertextProof prove(Statement st, Precomputation pre, BigInteger a, BigInteger b0,
            BigInteger bHigh, BigInteger u, ModPow mp) {
        if (!Arrays.equals(pre.rpFingerprint, st.rp().fingerprint())) {
            throw new IllegalArgumentException("precomputation was made under other ring-Pedersen parameters");
        }
        if (b0.signum() < 0 || b0.compareTo(ZkMath.Q) >= 0) {
            throw new IllegalArgumentException("b0 must be in [0, q)");
        }
        RingPedersenParams rp = st.rp();
        BigInteger b = b0.add(bHigh);
        BigInteger capT = rp.commit(b0, BigInteger.ZERO, mp).multiply(pre.capTHigh).mod(rp.nHat());
        BigInteger e = challenge(st, pre.capA, pre.capBa, pre.capBb, pre.capE, pre.capS, pre.capF, capT);
        BigInteger z1 = pre.alpha.add(e.multiply(a));
        BigInteger z2 = pre.beta.add(e.multiply(b));
        BigInteger z3 = pre.gamma.add(e.multiply(pre.m));
        BigInteger z4 = pre.delta.add(e.multiply(pre.mu));
        if (!ZkMath.inSignedRange(z1, BigInteger.ONE.shiftLeft(A_BITS + EPS))
                || !ZkMath.inSignedRange(z2, BigInteger.ONE.shiftLeft(B_BITS + EPS))
                || z1.mod(ZkMath.Q).signum() == 0 || z2.mod(ZkMath.Q).signum() == 0) {
            // probability about 2^-255; the caller starts a new session
            throw new IllegalArgumentException("response out of range; retry with a new presignature");
        }
        BigInteger n = st.pk().n();
        BigInteger w = pre.rA.multiply(mp.modPow(u, e, n)).mod(n);
        return new SignCiphertextProof(pre.capA, pre.capBa, pre.capBb, pre.capE, pre.capS, pre.capF, capT, z1, z2,
                z3, z4, w);
    }

    /**
     * Verifies the proof for the statement, before anything is decrypted. Throws a ProtocolException
     * (INVALID_PARAMETER for an invalid D, PROOF_INVALID otherwise; culprit = the prover) naming the failed check.
     */
    public static void verify(Statement st, SignCiphertextProof proof, ModPow mp) {
        verify(st, proof, mp, null);
    }

    /**
     * As {@link #verify(Statement, SignCiphertextProof, ModPow)}; the verifier may pass its own Paillier secret key
     * (the statement's N must be its modulus), with which the three exponentiations modulo N² run by the CRT. The
     * result is the same.
     */
    public static void verify(Statement st, SignCiphertextProof proof, ModPow mp, PaillierPrivateKey verifierKey) {
        if (verifierKey != null && !verifierKey.publicKey().equals(st.pk())) {
            throw new IllegalArgumentException("the verifier's key is not the statement's Paillier key");
        }
        ProofContext ctx = st.ctx();
        if (proof == null) {
            throw ZkMath.invalid(STEP, ctx, "proof missing");
        }
        PaillierPublicKey pk = st.pk();
        BigInteger n = pk.n();
        BigInteger n2 = pk.nSquared();
        RingPedersenParams rp = st.rp();
        BigInteger nHat = rp.nHat();
        if (!pk.isValidCiphertext(st.d())) {
            throw ZkMath.badParameter(STEP, ctx, "D is not a unit of Z_(N^2)");
        }
        if (!pk.isValidCiphertext(st.c())) {
            throw ZkMath.badParameter(STEP, ctx, "C is not a unit of Z_(N^2)");
        }
        if (!pk.isValidCiphertext(proof.capA)) {
            throw ZkMath.invalid(STEP, ctx, "A is not in Z_(N^2)^*");
        }
        if (!ZkMath.isUnit(proof.w, n)) {
            throw ZkMath.invalid(STEP, ctx, "w is not in Z_N^*");
        }
        if (!rp.isElement(proof.capE) || !rp.isElement(proof.capS) || !rp.isElement(proof.capF)
                || !rp.isElement(proof.capT)) {
            throw ZkMath.invalid(STEP, ctx, "E, S, F or T is not in Z_Nhat^*");
        }
        if (!ZkMath.inSignedRange(proof.z1, BigInteger.ONE.shiftLeft(A_BITS + EPS))) {
            throw ZkMath.invalid(STEP, ctx, "|z1| > 2^768: a is not small");
        }
        if (!ZkMath.inSignedRange(proof.z2, BigInteger.ONE.shiftLeft(B_BITS + EPS))) {
            throw ZkMath.invalid(STEP, ctx, "|z2| > 2^1792: b is not small");
        }
        BigInteger rpBound = nHat.shiftLeft(ELL + EPS + 1);
        if (!ZkMath.inSignedRange(proof.z3, rpBound) || !ZkMath.inSignedRange(proof.z4, rpBound)) {
            throw ZkMath.invalid(STEP, ctx, "|z3| or |z4| > 2^769*Nhat");
        }
        BigInteger e = challenge(st, proof.capA, proof.capBa, proof.capBb, proof.capE, proof.capS, proof.capF,
                proof.capT);

        BigInteger z1q = proof.z1.mod(ZkMath.Q);
        BigInteger z2q = proof.z2.mod(ZkMath.Q);
        Point rhsA = ZkMath.plusMul(proof.capBa, st.xa(), e);
        if (z1q.signum() == 0 || rhsA == null || !st.r2().mul(z1q).equals(rhsA)) {
            throw ZkMath.invalid(STEP, ctx, "(z1 mod q)·R2 != B_a + e·X_a");
        }
        Point rhsB = ZkMath.plusMul(proof.capBb, st.xb(), e);
        if (z2q.signum() == 0 || rhsB == null || !st.r2().mul(z2q).equals(rhsB)) {
            throw ZkMath.invalid(STEP, ctx, "(z2 mod q)·R2 != B_b + e·X_b");
        }
        BigInteger lhsRp1 = rp.commit(proof.z1, proof.z3, mp);
        BigInteger rhsRp1 = proof.capE.multiply(mp.modPow(proof.capS, e, nHat)).mod(nHat);
        if (!lhsRp1.equals(rhsRp1)) {
            throw ZkMath.invalid(STEP, ctx, "s^z1 t^z3 != E S^e mod Nhat");
        }
        BigInteger lhsRp2 = rp.commit(proof.z2, proof.z4, mp);
        BigInteger rhsRp2 = proof.capF.multiply(mp.modPow(proof.capT, e, nHat)).mod(nHat);
        if (!lhsRp2.equals(rhsRp2)) {
            throw ZkMath.invalid(STEP, ctx, "s^z2 t^z4 != F T^e mod Nhat");
        }
        BigInteger lhs = powN2(verifierKey, st.c(), proof.z1, n2, mp).multiply(pk.plaintextPart(proof.z2)).mod(n2)
                .multiply(powN2(verifierKey, proof.w, n, n2, mp)).mod(n2);
        BigInteger rhs = proof.capA.multiply(powN2(verifierKey, st.d(), e, n2, mp)).mod(n2);
        if (!lhs.equals(rhs)) {
            throw ZkMath.invalid(STEP, ctx, "C^z1 (1+N)^z2 w^N != A D^e mod N^2");
        }
    }

    /** base^exp mod N² for an exponent of any sign (a negative one uses the inverse; base is a unit). */
    private static BigInteger powN2(PaillierPrivateKey key, BigInteger base, BigInteger exp, BigInteger n2, ModPow mp) {
        if (key == null) {
            return ZkMath.powSigned(mp, base, exp, n2);
        }
        return exp.signum() >= 0 ? key.powModNSquared(base, exp, mp)
                : key.powModNSquared(base.modInverse(n2), exp.negate(), mp);
    }

    static BigInteger challenge(Statement st, BigInteger capA, Point capBa, Point capBb, BigInteger capE,
            BigInteger capS, BigInteger capF, BigInteger capT) {
        Transcript t = new Transcript(DOMAIN);
        st.ctx().absorbInto(t);
        t.append("key", st.keyFingerprint());
        st.rp().absorbInto(t);
        t.append("N", st.pk().n());
        t.append("C", st.c());
        t.append("D", st.d());
        t.append("R2", st.r2().encode());
        t.append("Xa", st.xa().encode());
        t.append("Xb", st.xb().encode());
        t.append("A", capA);
        t.append("Ba", capBa.encode());
        t.append("Bb", capBb.encode());
        t.append("E", capE);
        t.append("S", capS);
        t.append("F", capF);
        t.append("T", capT);
        return ZkMath.challenge(t);
    }

    public byte[] encode() {
        return new WireWriter().unsigned(capA).bytes(capBa.encode()).bytes(capBb.encode()).unsigned(capE)
                .unsigned(capS).unsigned(capF).unsigned(capT).signed(z1).signed(z2).signed(z3).signed(z4).unsigned(w)
                .toByteArray();
    }

    /** Strict decoding: bounded minimal integers, valid compressed points, nothing after. */
    public static SignCiphertextProof decode(byte[] data) {
        if (data == null) {
            throw ZkMath.malformed(STEP, "proof missing");
        }
        WireReader r = new WireReader(data, STEP);
        BigInteger capA = r.unsigned("A", 2 * ZkMath.MAX_PAILLIER_BYTES);
        byte[] ba = r.fixed("B_a", 33);
        byte[] bb = r.fixed("B_b", 33);
        BigInteger capE = r.unsigned("E", RP_BYTES);
        BigInteger capS = r.unsigned("S", RP_BYTES);
        BigInteger capF = r.unsigned("F", RP_BYTES);
        BigInteger capT = r.unsigned("T", RP_BYTES);
        BigInteger z1 = r.signed("z1", (A_BITS + EPS) / 8 + 1);
        BigInteger z2 = r.signed("z2", (B_BITS + EPS) / 8 + 1);
        BigInteger z3 = r.signed("z3", ZkMath.MAX_RESPONSE_BYTES);
        BigInteger z4 = r.signed("z4", ZkMath.MAX_RESPONSE_BYTES);
        BigInteger w = r.unsigned("w", ZkMath.MAX_PAILLIER_BYTES);
        r.end();
        try {
            return new SignCiphertextProof(capA, Point.decode(ba), Point.decode(bb), capE, capS, capF, capT, z1, z2,
                    z3, z4, w);
        } catch (IllegalArgumentException e) {
            throw ZkMath.malformed(STEP, e.getMessage());
        }
    }
}
