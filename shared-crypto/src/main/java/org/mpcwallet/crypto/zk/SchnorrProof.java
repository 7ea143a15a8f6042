package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.hash.Transcript;

/**
 * Non-interactive Schnorr proof of knowledge of x with X = x·G on secp256k1: CGGMP21 (eprint 2021/060) Π^sch,
 * Fig. 22, made non-interactive by Fiat-Shamir (docs/zk-proofs.md §3).
 *
 * <p>Prover: a ← [1, q), A = a·G, e = H(ctx, X, A) ∈ [0, q), z = a + e·x mod q. Verifier: z ≠ 0 and
 * z·G = A + e·X (a sum equal to the identity is rejected). Wire form: {@code bytes(A: 33) || bytes(z: 32)}.
 *
 * @param commitment A = a·G (never the identity, on the curve: enforced by {@link Point})
 * @param response z in [1, q)
 */
public record SchnorrProof(Point commitment, BigInteger response) {
    static final String STEP = "zk/schnorr";
    static final String DOMAIN = "mpcwallet/zk/schnorr/v1";
    /** Encoded size: two 4-byte length prefixes, a 33-byte compressed point and a 32-byte scalar. */
    public static final int ENCODED_BYTES = 4 + 33 + 4 + 32;

    public SchnorrProof {
        if (commitment == null) {
            throw new IllegalArgumentException("Schnorr commitment A is required");
        }
        Scalars.requireNonZero(response);
    }

    /** Proves knowledge of {@code x} in [1, q) with {@code bigX = x·G}. */
    public static SchnorrProof prove(ProofContext ctx, Point bigX, BigInteger x, RandomSource rng) {
        Scalars.requireNonZero(x);
        if (!Point.mulG(x).equals(bigX)) {
            throw new IllegalArgumentException("witness does not match the statement X = x·G");
        }
        while (true) {
            BigInteger a = Scalars.randomNonZero(rng);
            Point bigA = Point.mulG(a);
            BigInteger e = challenge(ctx, bigX, bigA);
            BigInteger z = a.add(e.multiply(x)).mod(ZkMath.Q);
            if (z.signum() != 0) {
                return new SchnorrProof(bigA, z);
            }
            // z = 0 happens with probability 1/q; resample so the proof never carries a zero response
        }
    }

    /** Throws a {@link org.mpcwallet.crypto.core.ProtocolException} (PROOF_INVALID, culprit = prover) unless valid. */
    public static void verify(ProofContext ctx, Point bigX, SchnorrProof proof) {
        if (ctx == null || bigX == null) {
            throw new IllegalArgumentException("context and statement are required");
        }
        if (proof == null) {
            throw ZkMath.invalid(STEP, ctx, "proof missing");
        }
        BigInteger e = challenge(ctx, bigX, proof.commitment);
        Point rhs = ZkMath.plusMul(proof.commitment, bigX, e);
        if (rhs == null) {
            throw ZkMath.invalid(STEP, ctx, "A + e·X is the identity");
        }
        if (!Point.mulG(proof.response).equals(rhs)) {
            throw ZkMath.invalid(STEP, ctx, "z·G != A + e·X");
        }
    }

    static BigInteger challenge(ProofContext ctx, Point bigX, Point bigA) {
        Transcript t = new Transcript(DOMAIN);
        ctx.absorbInto(t);
        t.append("X", bigX.encode());
        t.append("A", bigA.encode());
        return ZkMath.challenge(t);
    }

    public byte[] encode() {
        return new WireWriter().bytes(commitment.encode()).bytes(Scalars.encode(response)).toByteArray();
    }

    /** Strict decoding: exact field sizes, point on the curve, 0 < z < q, no trailing bytes. */
    public static SchnorrProof decode(byte[] data) {
        if (data == null) {
            throw ZkMath.malformed(STEP, "proof missing");
        }
        WireReader r = new WireReader(data, STEP);
        byte[] a = r.fixed("A", 33);
        byte[] z = r.fixed("z", 32);
        r.end();
        try {
            return new SchnorrProof(Point.decode(a), Scalars.decode(z));
        } catch (IllegalArgumentException e) {
            throw ZkMath.malformed(STEP, e.getMessage());
        }
    }
}
