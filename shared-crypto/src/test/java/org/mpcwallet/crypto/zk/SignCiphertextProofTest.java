package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mpcwallet.crypto.zk.ZkTestSupport.MP;
import static org.mpcwallet.crypto.zk.ZkTestSupport.assertReasonContains;
import static org.mpcwallet.crypto.zk.ZkTestSupport.rejected;

import java.math.BigInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.parity.TestRingPedersen;

/**
 * Π^aff-ec (docs/zk-proofs.md §9; checklist rows 2, 3, 5, 7, 8): completeness, the decrypted value, the threshold
 * attack of CVE-2023-33242 refused, every field tampered, replaced from another session, or out of range.
 */
class SignCiphertextProofTest {
    private static final BigInteger Q = Secp256k1.N;
    private static final DeterministicRandom RNG = ZkTestSupport.rng("sign-ciphertext");
    private static final PaillierPrivateKey KEY = ZkTestSupport.key();
    private static final PaillierPublicKey PK = KEY.publicKey();
    private static final VerifiedRingPedersen RP =
            TestRingPedersen.proven("zk-test", MP).verify(ZkTestSupport.ctx(), MP);
    private static final byte[] FINGERPRINT = ZkTestSupport.sid(7);

    /** One honest signing instance: the secrets of both parties and the public statement. */
    record Instance(BigInteger x1, BigInteger x2, BigInteger k2, BigInteger r, BigInteger mPrime, BigInteger a,
            BigInteger b0, BigInteger bHigh, BigInteger u, BigInteger c, BigInteger d, Point r2,
            SignCiphertextProof.Statement statement) {}

    static ProofContext ctx(int sid) {
        return new ProofContext("mpcwallet/sign/v1", ZkTestSupport.sid(sid), Party.P2);
    }

    static Instance instance(String label, int sid) {
        DeterministicRandom rng = ZkTestSupport.rng("instance/" + label);
        BigInteger x1 = Scalars.randomNonZero(rng);
        BigInteger x2 = Scalars.randomNonZero(rng);
        BigInteger c = PK.encrypt(x1, PK.randomUnit(rng), MP);
        BigInteger k2 = Scalars.randomNonZero(rng);
        BigInteger r = Scalars.randomNonZero(rng);
        BigInteger mPrime = Scalars.randomNonZero(rng);
        BigInteger k2Inv = k2.modInverse(Q);
        BigInteger a = k2Inv.multiply(r).multiply(x2).mod(Q);
        BigInteger b0 = k2Inv.multiply(mPrime).mod(Q);
        BigInteger bHigh = new BigInteger(1024, new java.util.Random(label.hashCode())).multiply(Q);
        BigInteger u = PK.randomUnit(rng);
        BigInteger d = PK.multiply(c, a, MP).multiply(PK.encrypt(b0.add(bHigh), u, MP)).mod(PK.nSquared());
        Point r2 = Point.mulG(k2);
        Point q2 = Point.mulG(x2);
        SignCiphertextProof.Statement st = new SignCiphertextProof.Statement(ctx(sid), FINGERPRINT, RP.params(), PK, c,
                d, r2, q2.mul(r), Point.mulG(mPrime));
        return new Instance(x1, x2, k2, r, mPrime, a, b0, bHigh, u, c, d, r2, st);
    }

    static SignCiphertextProof prove(Instance in) {
        SignCiphertextProof.Precomputation pre =
                SignCiphertextProof.precompute(RP, PK, in.c(), in.r2(), in.a(), in.bHigh(), RNG, MP);
        return SignCiphertextProof.prove(in.statement(), pre, in.a(), in.b0(), in.bHigh(), in.u(), MP);
    }

    private static final Instance IN = instance("main", 1);
    private static final SignCiphertextProof PROOF = prove(IN);
    private static final SignCiphertextProof OTHER = prove(instance("other", 2));

    private static void verify(SignCiphertextProof p) {
        SignCiphertextProof.verify(IN.statement(), p, MP);
    }

    @Test
    void anHonestProofVerifiesAndTheCiphertextDecryptsToTheSignatureShare() {
        assertDoesNotThrow(() -> verify(PROOF));
        BigInteger sPrime = KEY.decryptSigned(IN.d(), MP);
        BigInteger expected = IN.k2().modInverse(Q).multiply(IN.r().multiply(IN.x1()).multiply(IN.x2())
                .add(IN.mPrime())).mod(Q);
        assertEquals(expected, sPrime.mod(Q));
    }

    /** P1's CRT path (its own Paillier key) gives the same verdicts as the public-key path. */
    @Test
    void theVerifiersCrtPathAgreesWithThePlainOne() {
        assertDoesNotThrow(() -> SignCiphertextProof.verify(IN.statement(), PROOF, MP, KEY));
        rejected(FailureKind.PROOF_INVALID, () -> SignCiphertextProof.verify(IN.statement(), with(PROOF, 11,
                PROOF.w().add(BigInteger.ONE)), MP, KEY));
        rejected(FailureKind.PROOF_INVALID, () -> SignCiphertextProof.verify(IN.statement(), OTHER, MP, KEY));
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 20; i++) {
            BigInteger x = PK.randomUnit(ZkTestSupport.rng("crt/" + i)).multiply(BigInteger.valueOf(i + 2))
                    .mod(PK.nSquared());
            BigInteger e = new BigInteger(1 + r.nextInt(2100), r);
            if (!PK.isValidCiphertext(x)) {
                continue;
            }
            assertEquals(x.modPow(e, PK.nSquared()), KEY.powModNSquared(x, e, MP));
        }
    }

    @Test
    void theEncodingRoundTripsAndStaysUnderItsBudget() {
        byte[] enc = PROOF.encode();
        SignCiphertextProof back = SignCiphertextProof.decode(enc);
        assertArrayEquals(enc, back.encode());
        assertDoesNotThrow(() -> verify(back));
        // the whole 4-message sign must stay within 4 KB on the wire (issue 9); the proof is most of it
        assertEquals(true, enc.length < 3300, "proof is " + enc.length + " bytes");
        SignCiphertextProof.Precomputation pre =
                SignCiphertextProof.precompute(RP, PK, IN.c(), IN.r2(), IN.a(), IN.bHigh(), RNG, MP);
        assertArrayEquals(pre.encode(), SignCiphertextProof.Precomputation.decode(pre.encode()).encode());
    }

    /**
     * CVE-2023-33242's threshold attack: c3 = c_key^a'·Enc(b) with a' = a + q·A. The curve relation still holds
     * (q·R2 = O), so only the range proof stands between the device and one bit of x1 per session. A prover that
     * runs the honest algorithm on the large a' (no range check of its own) is refused.
     */
    @Test
    void theThresholdAttackIsRefusedBeforeDecryption() {
        for (int shift : new int[] {1024, 1536, 1700}) {
            BigInteger bigA = IN.a().add(Q.shiftLeft(shift));
            BigInteger n2 = PK.nSquared();
            BigInteger d = PK.multiply(IN.c(), bigA, MP).multiply(PK.encrypt(IN.b0().add(IN.bHigh()), IN.u(), MP))
                    .mod(n2);
            SignCiphertextProof.Statement st = new SignCiphertextProof.Statement(IN.statement().ctx(), FINGERPRINT,
                    RP.params(), PK, IN.c(), d, IN.r2(), IN.statement().xa(), IN.statement().xb());
            SignCiphertextProof forged = CheatingProver.prove(st, bigA, IN.b0().add(IN.bHigh()), IN.u(), RNG);
            ProtocolFailure f = rejected(FailureKind.PROOF_INVALID, () -> SignCiphertextProof.verify(st, forged, MP));
            assertReasonContains(f, "|z1| > 2^768");
        }
        // the same with a huge additive term b (another way to make the decryption wrap)
        BigInteger bigB = IN.b0().add(Q.shiftLeft(1900));
        BigInteger d = PK.multiply(IN.c(), IN.a(), MP).multiply(PK.encrypt(bigB, IN.u(), MP)).mod(PK.nSquared());
        SignCiphertextProof.Statement st = new SignCiphertextProof.Statement(IN.statement().ctx(), FINGERPRINT,
                RP.params(), PK, IN.c(), d, IN.r2(), IN.statement().xa(), IN.statement().xb());
        ProtocolFailure f = rejected(FailureKind.PROOF_INVALID,
                () -> SignCiphertextProof.verify(st, CheatingProver.prove(st, IN.a(), bigB, IN.u(), RNG), MP));
        assertReasonContains(f, "|z2| > 2^1792");
    }

    /** A ciphertext of another a (wrong t) or another b (wrong message) has no valid proof. */
    @Test
    void aCiphertextOfOtherValuesIsRefused() {
        BigInteger wrongA = IN.a().add(BigInteger.ONE);
        BigInteger d = PK.multiply(IN.c(), wrongA, MP).multiply(PK.encrypt(IN.b0().add(IN.bHigh()), IN.u(), MP))
                .mod(PK.nSquared());
        SignCiphertextProof.Statement st = new SignCiphertextProof.Statement(IN.statement().ctx(), FINGERPRINT,
                RP.params(), PK, IN.c(), d, IN.r2(), IN.statement().xa(), IN.statement().xb());
        rejected(FailureKind.PROOF_INVALID,
                () -> SignCiphertextProof.verify(st, CheatingProver.prove(st, wrongA, IN.b0().add(IN.bHigh()),
                        IN.u(), RNG), MP));
        // the honest proof for the honest D, checked against another message point X_b
        SignCiphertextProof.Statement otherMessage = new SignCiphertextProof.Statement(IN.statement().ctx(),
                FINGERPRINT, RP.params(), PK, IN.c(), IN.d(), IN.r2(), IN.statement().xa(), Point.mulG(BigInteger.TEN));
        rejected(FailureKind.PROOF_INVALID, () -> SignCiphertextProof.verify(otherMessage, PROOF, MP));
    }

    @Test
    void aProofFromAnotherSessionPartyProtocolOrKeyEpochIsRefused() {
        for (ProofContext wrong : new ProofContext[] {ctx(3), new ProofContext("mpcwallet/sign/v1",
                ZkTestSupport.sid(1), Party.P1), new ProofContext("mpcwallet/online/v1", ZkTestSupport.sid(1),
                Party.P2)}) {
            SignCiphertextProof.Statement st = new SignCiphertextProof.Statement(wrong, FINGERPRINT, RP.params(), PK,
                    IN.c(), IN.d(), IN.r2(), IN.statement().xa(), IN.statement().xb());
            rejected(FailureKind.PROOF_INVALID, () -> SignCiphertextProof.verify(st, PROOF, MP));
        }
        SignCiphertextProof.Statement otherEpoch = new SignCiphertextProof.Statement(IN.statement().ctx(),
                ZkTestSupport.sid(8), RP.params(), PK, IN.c(), IN.d(), IN.r2(), IN.statement().xa(),
                IN.statement().xb());
        rejected(FailureKind.PROOF_INVALID, () -> SignCiphertextProof.verify(otherEpoch, PROOF, MP));
        // the other session's complete, valid proof does not verify here either
        rejected(FailureKind.PROOF_INVALID, () -> verify(OTHER));
    }

    /** Each field in turn: taken from another session's proof, zeroed or set to 1, or pushed out of range. */
    @Test
    void everyFieldReplacedZeroedOrOutOfRangeIsRefused() {
        SignCiphertextProof p = PROOF;
        SignCiphertextProof o = OTHER;
        BigInteger nHat = RP.nHat();
        java.util.List<UnaryOperator<SignCiphertextProof>> edits = java.util.List.of(
                x -> with(x, 0, o.capA()), x -> with(x, 1, o.capBa()), x -> with(x, 2, o.capBb()),
                x -> with(x, 3, o.capE()), x -> with(x, 4, o.capS()), x -> with(x, 5, o.capF()),
                x -> with(x, 6, o.capT()), x -> with(x, 7, o.z1()), x -> with(x, 8, o.z2()),
                x -> with(x, 9, o.z3()), x -> with(x, 10, o.z4()), x -> with(x, 11, o.w()),
                x -> with(x, 0, BigInteger.ONE), x -> with(x, 3, BigInteger.ONE), x -> with(x, 4, BigInteger.ONE),
                x -> with(x, 5, BigInteger.ONE), x -> with(x, 6, BigInteger.ONE), x -> with(x, 11, BigInteger.ONE),
                x -> with(x, 7, BigInteger.ZERO), x -> with(x, 8, BigInteger.ZERO), x -> with(x, 9, BigInteger.ZERO),
                x -> with(x, 10, BigInteger.ZERO),
                x -> with(x, 0, PK.nSquared().add(x.capA())), x -> with(x, 3, x.capE().add(nHat)),
                x -> with(x, 6, x.capT().add(nHat)), x -> with(x, 11, x.w().add(PK.n())),
                x -> with(x, 7, x.z1().add(BigInteger.ONE.shiftLeft(769))),
                x -> with(x, 8, x.z2().add(BigInteger.ONE.shiftLeft(1793))),
                x -> with(x, 9, x.z3().add(nHat.shiftLeft(770))), x -> with(x, 10, x.z4().add(nHat.shiftLeft(770))),
                x -> with(x, 7, x.z1().add(Q)), x -> with(x, 8, x.z2().add(Q)), x -> with(x, 11, PK.n().subtract(x.w())));
        int i = 0;
        for (UnaryOperator<SignCiphertextProof> edit : edits) {
            int index = i++;
            SignCiphertextProof changed = edit.apply(p);
            ProtocolFailure f = rejected(() -> verify(changed));
            assertEquals(true, f.kind() == FailureKind.PROOF_INVALID, () -> "edit " + index + ": " + f);
            assertEquals(Party.P2, f.culprit(), "edit " + index);
        }
        rejected(FailureKind.PROOF_INVALID, () -> verify(null));
    }

    @Test
    void anInvalidCiphertextIsAParameterError() {
        SignCiphertextProof.Statement st = new SignCiphertextProof.Statement(IN.statement().ctx(), FINGERPRINT,
                RP.params(), PK, IN.c(), PK.n(), IN.r2(), IN.statement().xa(), IN.statement().xb());
        rejected(FailureKind.INVALID_PARAMETER, () -> SignCiphertextProof.verify(st, PROOF, MP));
    }

    @Test
    void flippedBitsAreRejected() {
        ZkTestSupport.everyFlipRejected(PROOF.encode(), 60, SignCiphertextProof::decode, SignCiphertextProofTest::verify);
        assertEquals(FailureKind.MALFORMED_MESSAGE,
                rejected(() -> SignCiphertextProof.decode(ZkTestSupport.withTrailingByte(PROOF.encode()))).kind());
    }

    private static SignCiphertextProof with(SignCiphertextProof x, int field, Object v) {
        Object[] f = {x.capA(), x.capBa(), x.capBb(), x.capE(), x.capS(), x.capF(), x.capT(), x.z1(), x.z2(), x.z3(),
            x.z4(), x.w()};
        f[field] = v;
        return new SignCiphertextProof((BigInteger) f[0], (Point) f[1], (Point) f[2], (BigInteger) f[3],
                (BigInteger) f[4], (BigInteger) f[5], (BigInteger) f[6], (BigInteger) f[7], (BigInteger) f[8],
                (BigInteger) f[9], (BigInteger) f[10], (BigInteger) f[11]);
    }

    /**
     * The honest prover's algorithm with no range checks and masks sized for the given witness, so that only the
     * verifier's checks decide (what a malicious device would run).
     */
    static final class CheatingProver {
        static SignCiphertextProof prove(SignCiphertextProof.Statement st, BigInteger a, BigInteger b, BigInteger u,
                DeterministicRandom rng) {
            RingPedersenParams rp = st.rp();
            BigInteger nHat = rp.nHat();
            BigInteger n2 = PK.nSquared();
            BigInteger alpha = ZkMath.signed(BigInteger.ONE.shiftLeft(768), rng);
            BigInteger beta = ZkMath.signed(BigInteger.ONE.shiftLeft(1792), rng);
            BigInteger rA = PK.randomUnit(rng);
            BigInteger m = ZkMath.signed(nHat.shiftLeft(256), rng);
            BigInteger mu = ZkMath.signed(nHat.shiftLeft(256), rng);
            BigInteger gamma = ZkMath.signed(nHat.shiftLeft(768), rng);
            BigInteger delta = ZkMath.signed(nHat.shiftLeft(768), rng);
            BigInteger capA = ZkMath.powSigned(MP, st.c(), alpha, n2).multiply(PK.plaintextPart(beta)).mod(n2)
                    .multiply(PK.randomizer(rA, MP)).mod(n2);
            Point ba = st.r2().mul(alpha.mod(Q));
            Point bb = st.r2().mul(beta.mod(Q));
            BigInteger capE = rp.commit(alpha, gamma, MP);
            BigInteger capS = rp.commit(a, m, MP);
            BigInteger capF = rp.commit(beta, delta, MP);
            BigInteger capT = rp.commit(b, mu, MP);
            BigInteger e = SignCiphertextProof.challenge(st, capA, ba, bb, capE, capS, capF, capT);
            BigInteger w = rA.multiply(MP.modPow(u, e, PK.n())).mod(PK.n());
            return new SignCiphertextProof(capA, ba, bb, capE, capS, capF, capT, alpha.add(e.multiply(a)),
                    beta.add(e.multiply(b)), gamma.add(e.multiply(m)), delta.add(e.multiply(mu)), w);
        }
    }
}
