package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mpcwallet.crypto.zk.ZkTestSupport.MP;
import static org.mpcwallet.crypto.zk.ZkTestSupport.rp;
import static org.mpcwallet.crypto.zk.ZkTestSupport.vrp;
import static org.mpcwallet.crypto.zk.ZkTestSupport.assertReasonContains;
import static org.mpcwallet.crypto.zk.ZkTestSupport.ctx;
import static org.mpcwallet.crypto.zk.ZkTestSupport.rejected;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;

class PaillierEncLogProofTest {
    private static final DeterministicRandom RNG = ZkTestSupport.rng("enc-log");
    private static final PaillierPrivateKey KEY = ZkTestSupport.key();
    private static final PaillierPublicKey PK = KEY.publicKey();
    /** Tests stand in for PaillierKeyProof.verify (its own tests cover it) through the package-private constructor. */
    private static final VerifiedPaillierKey VK = new VerifiedPaillierKey(PK);
    private static final BigInteger NHAT = rp().nHat();
    private static final BigInteger X = Scalars.randomNonZero(RNG);
    private static final BigInteger RHO = PK.randomUnit(RNG);
    private static final BigInteger C = PK.encrypt(X, RHO, MP);
    private static final Point BIG_X = Point.mulG(X);
    private static final PaillierEncLogProof PROOF = PaillierEncLogProof.prove(ctx(), vrp(), PK, C, BIG_X, X, RHO, RNG, MP);

    private static void verify(PaillierEncLogProof p) {
        PaillierEncLogProof.verify(ctx(), rp(), VK, C, BIG_X, p, MP);
    }

    @Test
    void honestProofsVerify() {
        assertDoesNotThrow(() -> verify(PROOF));
        // the extremes of the statement: x = 1, the largest scalar, a negative plaintext, |x| = 2^256
        for (BigInteger x : new BigInteger[] {BigInteger.ONE, Secp256k1.N.subtract(BigInteger.ONE),
            BigInteger.valueOf(-5), BigInteger.ONE.shiftLeft(256)}) {
            BigInteger rho = PK.randomUnit(RNG);
            BigInteger c = PK.encrypt(x, rho, MP);
            Point bigX = Point.mulG(x.mod(Secp256k1.N));
            PaillierEncLogProof p = PaillierEncLogProof.prove(ctx(), vrp(), PK, c, bigX, x, rho, RNG, MP);
            assertDoesNotThrow(() -> PaillierEncLogProof.verify(ctx(), rp(), VK, c, bigX, p, MP));
        }
    }

    /** The verifier checks against its own parameters: a proof made under anybody else's is refused (row 17). */
    @Test
    void aProofUnderParametersOtherThanTheVerifiersIsRefused() {
        VerifiedRingPedersen others = new VerifiedRingPedersen(
                org.mpcwallet.crypto.parity.TestRingPedersen.setup("zk-someone-else", MP).params());
        PaillierEncLogProof p = PaillierEncLogProof.prove(ctx(), others, PK, C, BIG_X, X, RHO, RNG, MP);
        assertDoesNotThrow(() -> PaillierEncLogProof.verify(ctx(), others.params(), VK, C, BIG_X, p, MP));
        rejected(FailureKind.PROOF_INVALID, () -> verify(p));
        NoSmallFactorProof f = NoSmallFactorProof.prove(ctx(), others, KEY, RNG, MP);
        rejected(FailureKind.PROOF_INVALID, () -> NoSmallFactorProof.verify(ctx(), rp(), PK.n(), f, MP));
    }

    @Test
    void encodingRoundTrips() {
        byte[] enc = PROOF.encode();
        PaillierEncLogProof back = PaillierEncLogProof.decode(enc);
        assertEquals(PROOF, back);
        assertArrayEquals(enc, back.encode());
        verify(back);
    }

    @Test
    void everyFieldTamperedIsRejected() {
        PaillierEncLogProof p = PROOF;
        BigInteger one = BigInteger.ONE;
        PaillierEncLogProof[] bad = {
            new PaillierEncLogProof(p.capS().add(one), p.capA(), p.capY(), p.capD(), p.z1(), p.z2(), p.z3()),
            new PaillierEncLogProof(p.capS().modInverse(NHAT), p.capA(), p.capY(), p.capD(), p.z1(), p.z2(), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA().add(one), p.capY(), p.capD(), p.z1(), p.z2(), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA().multiply(PK.randomizer(PK.randomUnit(RNG), MP))
                    .mod(PK.nSquared()), p.capY(), p.capD(), p.z1(), p.z2(), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA(), p.capY().add(Point.G), p.capD(), p.z1(), p.z2(), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA(), p.capY(), p.capD().add(one), p.z1(), p.z2(), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA(), p.capY(), p.capD(), p.z1().add(one), p.z2(), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA(), p.capY(), p.capD(), p.z1().negate(), p.z2(), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA(), p.capY(), p.capD(), p.z1().add(Secp256k1.N), p.z2(), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA(), p.capY(), p.capD(), p.z1(), p.z2().add(one), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA(), p.capY(), p.capD(), p.z1(), PK.n().subtract(p.z2()), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA(), p.capY(), p.capD(), p.z1(), p.z2().add(PK.n()), p.z3()),
            new PaillierEncLogProof(p.capS(), p.capA(), p.capY(), p.capD(), p.z1(), p.z2(), p.z3().add(one)),
            new PaillierEncLogProof(p.capS(), p.capA(), p.capY(), p.capD(), p.z1(), p.z2(), p.z3().negate()),
        };
        for (PaillierEncLogProof b : bad) {
            rejected(FailureKind.PROOF_INVALID, () -> verify(b));
        }
    }

    @Test
    void bitFlipsInTheEncodingAreRejected() {
        ZkTestSupport.everyFlipRejected(PROOF.encode(), 40, PaillierEncLogProof::decode, PaillierEncLogProofTest::verify);
    }

    @Test
    void strictDecodingRejectsMalformedBytes() {
        byte[] enc = PROOF.encode();
        for (int len : new int[] {0, 3, 4, 100, enc.length / 2, enc.length - 1}) {
            byte[] cut = Arrays.copyOf(enc, len);
            rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierEncLogProof.decode(cut));
        }
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierEncLogProof.decode(ZkTestSupport.withTrailingByte(enc)));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierEncLogProof.decode(null));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierEncLogProof.decode(new byte[enc.length]));
        PaillierEncLogProof p = PROOF;
        byte[] offCurve = new byte[33];
        offCurve[0] = 3;
        offCurve[32] = 5;
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierEncLogProof.decode(new WireWriter().unsigned(p.capS())
                .unsigned(p.capA()).bytes(offCurve).unsigned(p.capD()).signed(p.z1()).unsigned(p.z2())
                .signed(p.z3()).toByteArray()));
        // z1 longer than 128 bytes, zero z2, S longer than 256 bytes
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierEncLogProof.decode(new WireWriter().unsigned(p.capS())
                .unsigned(p.capA()).bytes(p.capY().encode()).unsigned(p.capD()).signed(BigInteger.ONE.shiftLeft(1024))
                .unsigned(p.z2()).signed(p.z3()).toByteArray()));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierEncLogProof.decode(new WireWriter().unsigned(p.capS())
                .unsigned(p.capA()).bytes(p.capY().encode()).unsigned(p.capD()).signed(p.z1())
                .unsigned(BigInteger.ZERO).signed(p.z3()).toByteArray()));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierEncLogProof.decode(new WireWriter()
                .unsigned(BigInteger.ONE.shiftLeft(2048)).unsigned(p.capA()).bytes(p.capY().encode())
                .unsigned(p.capD()).signed(p.z1()).unsigned(p.z2()).signed(p.z3()).toByteArray()));
    }

    @Test
    void proofFromAnotherContextIsRejected() {
        for (ProofContext wrong : ZkTestSupport.wrongContexts()) {
            rejected(FailureKind.PROOF_INVALID, () -> PaillierEncLogProof.verify(wrong, rp(), VK, C, BIG_X, PROOF, MP));
        }
    }

    @Test
    void challengeBindsEveryStatementValue() {
        // the same plaintext under fresh randomness: a true statement, but not the one proved
        BigInteger c2 = PK.add(C, PK.randomizer(PK.randomUnit(RNG), MP));
        rejected(FailureKind.PROOF_INVALID, () -> PaillierEncLogProof.verify(ctx(), rp(), VK, c2, BIG_X, PROOF, MP));
        rejected(FailureKind.PROOF_INVALID,
                () -> PaillierEncLogProof.verify(ctx(), rp(), VK, C, BIG_X.add(Point.G), PROOF, MP));
        VerifiedPaillierKey other = new VerifiedPaillierKey(ZkTestSupport.otherKey().publicKey());
        rejected(() -> PaillierEncLogProof.verify(ctx(), rp(), other, C, BIG_X, PROOF, MP));
    }

    @Test
    void invalidCiphertextIsRejected() {
        BigInteger n = PK.n();
        for (BigInteger c : new BigInteger[] {BigInteger.ZERO, n, KEY.p(), PK.nSquared(),
            PK.nSquared().add(BigInteger.ONE), BigInteger.ONE.negate()}) {
            assertReasonContains(rejected(FailureKind.INVALID_PARAMETER,
                    () -> PaillierEncLogProof.verify(ctx(), rp(), VK, c, BIG_X, PROOF, MP)), "ciphertext");
        }
        PaillierEncLogProof p = PROOF;
        rejected(FailureKind.PROOF_INVALID, () -> verify(new PaillierEncLogProof(p.capS(), n, p.capY(), p.capD(),
                p.z1(), p.z2(), p.z3())));
        rejected(FailureKind.PROOF_INVALID, () -> verify(new PaillierEncLogProof(NHAT, p.capA(), p.capY(),
                p.capD(), p.z1(), p.z2(), p.z3())));
        rejected(FailureKind.PROOF_INVALID, () -> verify(new PaillierEncLogProof(p.capS(), p.capA(), p.capY(),
                p.capD(), p.z1(), KEY.q(), p.z3())));
    }

    @Test
    void largePlaintextIsRejectedByTheRangeCheck() {
        // a cheater encrypts x' = x + 2^600·q: same X, but the plaintext is far outside ±2^256 (checklist row 7)
        BigInteger big = X.add(Secp256k1.N.shiftLeft(600));
        BigInteger rho = PK.randomUnit(RNG);
        BigInteger c = PK.encrypt(big, rho, MP);
        assertThrows(IllegalArgumentException.class,
                () -> PaillierEncLogProof.prove(ctx(), vrp(), PK, c, BIG_X, big, rho, RNG, MP));
        PaillierEncLogProof forged = proveWithoutRangeCheck(c, big, rho);
        assertReasonContains(rejected(FailureKind.PROOF_INVALID,
                () -> PaillierEncLogProof.verify(ctx(), rp(), VK, c, BIG_X, forged, MP)), "z1");
    }

    /** Π^log*'s prover with the |x| <= 2^256 guard removed. */
    private static PaillierEncLogProof proveWithoutRangeCheck(BigInteger c, BigInteger x, BigInteger rho) {
        RingPedersenParams rp = rp();
        BigInteger alpha = ZkMath.signed(BigInteger.ONE.shiftLeft(768), RNG);
        BigInteger mu = ZkMath.signed(NHAT.shiftLeft(256), RNG);
        BigInteger r = PK.randomUnit(RNG);
        BigInteger gamma = ZkMath.signed(NHAT.shiftLeft(768), RNG);
        BigInteger s = rp.commit(x, mu, MP);
        BigInteger a = PK.plaintextPart(alpha).multiply(PK.randomizer(r, MP)).mod(PK.nSquared());
        Point y = Point.mulG(alpha.mod(Secp256k1.N));
        BigInteger d = rp.commit(alpha, gamma, MP);
        BigInteger e = PaillierEncLogProof.challenge(ctx(), rp(), PK.n(), c, BIG_X, s, a, y, d);
        return new PaillierEncLogProof(s, a, y, d, alpha.add(e.multiply(x)),
                r.multiply(rho.modPow(e, PK.n())).mod(PK.n()), gamma.add(e.multiply(mu)));
    }

    @Test
    void proverRefusesAFalseStatementAndVerifierAMissingProof() {
        assertThrows(IllegalArgumentException.class,
                () -> PaillierEncLogProof.prove(ctx(), vrp(), PK, C, BIG_X.add(Point.G), X, RHO, RNG, MP));
        assertThrows(IllegalArgumentException.class,
                () -> PaillierEncLogProof.prove(ctx(), vrp(), PK, C, BIG_X, X.add(BigInteger.ONE), RHO, RNG, MP));
        assertThrows(IllegalArgumentException.class,
                () -> PaillierEncLogProof.prove(ctx(), vrp(), PK, C, BIG_X, X.add(BigInteger.ONE.shiftLeft(256)), RHO, RNG, MP));
        rejected(FailureKind.PROOF_INVALID, () -> PaillierEncLogProof.verify(ctx(), rp(), VK, C, BIG_X, null, MP));
        assertThrows(IllegalArgumentException.class, () -> new PaillierEncLogProof(PROOF.capS(), PROOF.capA(), null,
                PROOF.capD(), PROOF.z1(), PROOF.z2(), PROOF.z3()));
    }
}
