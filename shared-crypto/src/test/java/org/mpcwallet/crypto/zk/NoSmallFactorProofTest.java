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
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;

class NoSmallFactorProofTest {
    private static final PaillierPrivateKey KEY = ZkTestSupport.key();
    private static final BigInteger N0 = KEY.publicKey().n();
    private static final BigInteger NHAT = rp().nHat();
    private static final NoSmallFactorProof PROOF = NoSmallFactorProof.prove(ctx(), vrp(), KEY, ZkTestSupport.rng("fac"), MP);

    private static void verify(NoSmallFactorProof p) {
        NoSmallFactorProof.verify(ctx(), rp(), N0, p, MP);
    }

    private static BigInteger[] fields(NoSmallFactorProof p) {
        return new BigInteger[] {p.capP(), p.capQ(), p.capA(), p.capB(), p.capT(), p.sigma(), p.z1(), p.z2(), p.w1(),
            p.w2(), p.v()};
    }

    private static NoSmallFactorProof with(int field, BigInteger value) {
        BigInteger[] f = fields(PROOF);
        f[field] = value;
        return new NoSmallFactorProof(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]);
    }

    @Test
    void honestProofVerifies() {
        assertDoesNotThrow(() -> verify(PROOF));
    }

    @Test
    void encodingRoundTrips() {
        byte[] enc = PROOF.encode();
        NoSmallFactorProof back = NoSmallFactorProof.decode(enc);
        assertEquals(PROOF, back);
        assertArrayEquals(enc, back.encode());
        verify(back);
    }

    @Test
    void everyFieldTamperedIsRejected() {
        BigInteger[] f = fields(PROOF);
        for (int i = 0; i < f.length; i++) {
            int field = i;
            rejected(FailureKind.PROOF_INVALID, () -> verify(with(field, f[field].add(BigInteger.ONE))));
            if (i >= 5) {
                rejected(FailureKind.PROOF_INVALID, () -> verify(with(field, f[field].negate())));
            } else {
                // group elements: another element of Z_Nhat^* (the inverse) and a value outside [1, Nhat)
                rejected(FailureKind.PROOF_INVALID, () -> verify(with(field, f[field].modInverse(NHAT))));
                rejected(FailureKind.PROOF_INVALID, () -> verify(with(field, f[field].add(NHAT))));
            }
        }
    }

    @Test
    void bitFlipsInTheEncodingAreRejected() {
        ZkTestSupport.everyFlipRejected(PROOF.encode(), 30, NoSmallFactorProof::decode, NoSmallFactorProofTest::verify);
    }

    @Test
    void strictDecodingRejectsMalformedBytes() {
        byte[] enc = PROOF.encode();
        for (int len : new int[] {0, 3, 4, 100, enc.length / 2, enc.length - 1}) {
            byte[] cut = Arrays.copyOf(enc, len);
            rejected(FailureKind.MALFORMED_MESSAGE, () -> NoSmallFactorProof.decode(cut));
        }
        rejected(FailureKind.MALFORMED_MESSAGE, () -> NoSmallFactorProof.decode(ZkTestSupport.withTrailingByte(enc)));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> NoSmallFactorProof.decode(null));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> NoSmallFactorProof.decode(new byte[enc.length]));
        BigInteger[] f = fields(PROOF);
        // a group element of 257 bytes; zero as a group element; a signed field with negative zero / no sign byte /
        // non-minimal magnitude; an over-long response
        rejected(FailureKind.MALFORMED_MESSAGE, () -> NoSmallFactorProof.decode(encode(f, 0, w ->
                w.unsigned(BigInteger.ONE.shiftLeft(2048)))));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> NoSmallFactorProof.decode(encode(f, 1, w ->
                w.unsigned(BigInteger.ZERO))));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> NoSmallFactorProof.decode(encode(f, 6, w ->
                w.bytes(new byte[] {1}))));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> NoSmallFactorProof.decode(encode(f, 6, w ->
                w.bytes(new byte[0]))));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> NoSmallFactorProof.decode(encode(f, 7, w ->
                w.bytes(new byte[] {0, 0, 5}))));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> NoSmallFactorProof.decode(encode(f, 10, w ->
                w.signed(BigInteger.ONE.shiftLeft(8 * ZkMath.MAX_RESPONSE_BYTES)))));
        assertDoesNotThrow(() -> NoSmallFactorProof.decode(encode(f, 0, w -> w.unsigned(f[0]))));
    }

    /** The encoding with field {@code replace} written by {@code writer}. */
    private static byte[] encode(BigInteger[] f, int replace, java.util.function.Consumer<WireWriter> writer) {
        WireWriter w = new WireWriter();
        for (int i = 0; i < f.length; i++) {
            if (i == replace) {
                writer.accept(w);
            } else if (i < 5) {
                w.unsigned(f[i]);
            } else {
                w.signed(f[i]);
            }
        }
        return w.toByteArray();
    }

    @Test
    void proofFromAnotherContextIsRejected() {
        for (ProofContext wrong : ZkTestSupport.wrongContexts()) {
            rejected(FailureKind.PROOF_INVALID, () -> NoSmallFactorProof.verify(wrong, rp(), N0, PROOF, MP));
        }
    }

    @Test
    void challengeBindsTheModulus() {
        BigInteger other = ZkTestSupport.otherKey().publicKey().n();
        rejected(FailureKind.PROOF_INVALID, () -> NoSmallFactorProof.verify(ctx(), rp(), other, PROOF, MP));
        rejected(FailureKind.PROOF_INVALID,
                () -> NoSmallFactorProof.verify(ctx(), rp(), N0.add(BigInteger.TWO), PROOF, MP));
    }

    @Test
    void rangeAndMembershipChecksNameTheirCheck() {
        BigInteger zBound = ZkMath.isqrt(N0).shiftLeft(768);
        assertReasonContains(rejected(FailureKind.PROOF_INVALID, () -> verify(with(6, zBound.add(BigInteger.ONE)))),
                "z1");
        assertReasonContains(rejected(FailureKind.PROOF_INVALID, () -> verify(with(7, zBound.negate()
                .subtract(BigInteger.ONE)))), "z2");
        assertReasonContains(rejected(FailureKind.PROOF_INVALID, () -> verify(with(0, NHAT))), "Z_Nhat");
        assertReasonContains(rejected(FailureKind.PROOF_INVALID, () -> verify(with(4, BigInteger.ONE.shiftLeft(2048)
                .subtract(BigInteger.ONE)))), "Z_Nhat");
        assertReasonContains(rejected(FailureKind.PROOF_INVALID, () -> verify(with(5, N0.multiply(NHAT)
                .shiftLeft(256).add(BigInteger.ONE)))), "sigma");
        assertReasonContains(rejected(FailureKind.PROOF_INVALID, () -> verify(with(8, NHAT.shiftLeft(769)
                .add(BigInteger.ONE)))), "w1");
        assertReasonContains(rejected(FailureKind.PROOF_INVALID, () -> verify(with(10, N0.multiply(NHAT)
                .shiftLeft(769).add(BigInteger.ONE)))), "v");
    }

    @Test
    void smallFactorFailsEvenWithAnHonestProver() {
        PaillierPrivateKey weak = ZkTestSupport.smallFactorKey();
        BigInteger n = weak.publicKey().n();
        NoSmallFactorProof p = NoSmallFactorProof.prove(ctx(), vrp(), weak, ZkTestSupport.rng("fac-weak"), MP);
        assertReasonContains(rejected(FailureKind.PROOF_INVALID, () -> NoSmallFactorProof.verify(ctx(), rp(), n, p, MP)),
                "too small");
    }

    @Test
    void unusableModuliAndMissingProofsAreRejected() {
        rejected(FailureKind.PROOF_INVALID, () -> NoSmallFactorProof.verify(ctx(), rp(), N0, null, MP));
        rejected(FailureKind.INVALID_PARAMETER, () -> NoSmallFactorProof.verify(ctx(), rp(), N0.add(BigInteger.ONE), PROOF, MP));
        rejected(FailureKind.INVALID_PARAMETER, () -> NoSmallFactorProof.verify(ctx(), rp(), BigInteger.ONE, PROOF, MP));
        rejected(FailureKind.INVALID_PARAMETER, () -> NoSmallFactorProof.verify(ctx(), rp(), BigInteger.ONE.shiftLeft(3072)
                .add(BigInteger.ONE), PROOF, MP));
        BigInteger[] f = fields(PROOF);
        assertThrows(IllegalArgumentException.class, () -> new NoSmallFactorProof(null, f[1], f[2], f[3], f[4], f[5],
                f[6], f[7], f[8], f[9], f[10]));
        assertThrows(IllegalArgumentException.class, () -> new NoSmallFactorProof(f[0], f[1], f[2], f[3], f[4], f[5],
                f[6], f[7], f[8], f[9], null));
    }
}
