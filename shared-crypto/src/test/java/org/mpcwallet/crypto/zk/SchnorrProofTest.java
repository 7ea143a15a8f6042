package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mpcwallet.crypto.zk.ZkTestSupport.ctx;
import static org.mpcwallet.crypto.zk.ZkTestSupport.rejected;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.ec.Secp256k1;

class SchnorrProofTest {
    private static final DeterministicRandom RNG = ZkTestSupport.rng("schnorr");
    private static final BigInteger X = Scalars.randomNonZero(RNG);
    private static final Point BIG_X = Point.mulG(X);
    private static final SchnorrProof PROOF = SchnorrProof.prove(ctx(), BIG_X, X, RNG);

    @Test
    void honestProofsVerify() {
        SchnorrProof.verify(ctx(), BIG_X, PROOF);
        for (BigInteger x : new BigInteger[] {BigInteger.ONE, BigInteger.TWO, Secp256k1.N.subtract(BigInteger.ONE),
            Scalars.randomNonZero(RNG)}) {
            Point bigX = Point.mulG(x);
            SchnorrProof p = SchnorrProof.prove(ctx(), bigX, x, RNG);
            assertDoesNotThrow(() -> SchnorrProof.verify(ctx(), bigX, p));
        }
    }

    @Test
    void encodingRoundTrips() {
        byte[] enc = PROOF.encode();
        assertEquals(SchnorrProof.ENCODED_BYTES, enc.length);
        SchnorrProof back = SchnorrProof.decode(enc);
        assertEquals(PROOF, back);
        assertArrayEquals(enc, back.encode());
        SchnorrProof.verify(ctx(), BIG_X, back);
    }

    @Test
    void everyFieldTamperedIsRejected() {
        Point otherA = PROOF.commitment().add(Point.G);
        rejected(FailureKind.PROOF_INVALID,
                () -> SchnorrProof.verify(ctx(), BIG_X, new SchnorrProof(otherA, PROOF.response())));
        BigInteger z1 = PROOF.response().add(BigInteger.ONE).mod(Secp256k1.N);
        rejected(FailureKind.PROOF_INVALID,
                () -> SchnorrProof.verify(ctx(), BIG_X, new SchnorrProof(PROOF.commitment(), z1)));
        BigInteger negZ = Secp256k1.N.subtract(PROOF.response());
        rejected(FailureKind.PROOF_INVALID,
                () -> SchnorrProof.verify(ctx(), BIG_X, new SchnorrProof(PROOF.commitment(), negZ)));
        // every byte of the 73-byte encoding changed (lowest and highest bit)
        ZkTestSupport.everyByteRejected(PROOF.encode(), SchnorrProof::decode,
                p -> SchnorrProof.verify(ctx(), BIG_X, p));
    }

    @Test
    void strictDecodingRejectsMalformedBytes() {
        byte[] enc = PROOF.encode();
        for (int len = 0; len < enc.length; len++) {
            byte[] cut = Arrays.copyOf(enc, len);
            rejected(FailureKind.MALFORMED_MESSAGE, () -> SchnorrProof.decode(cut));
        }
        rejected(FailureKind.MALFORMED_MESSAGE, () -> SchnorrProof.decode(ZkTestSupport.withTrailingByte(enc)));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> SchnorrProof.decode(null));
        byte[] a = PROOF.commitment().encode();
        // zero response, response = q, response too short
        rejected(FailureKind.MALFORMED_MESSAGE,
                () -> SchnorrProof.decode(new WireWriter().bytes(a).bytes(new byte[32]).toByteArray()));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> SchnorrProof.decode(
                new WireWriter().bytes(a).bytes(Bytes.fixedWidth(Secp256k1.N, 32)).toByteArray()));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> SchnorrProof.decode(
                new WireWriter().bytes(a).bytes(new byte[] {1}).toByteArray()));
        // all-zero encoding of the right length (a "zero proof", checklist row 3)
        rejected(FailureKind.MALFORMED_MESSAGE, () -> SchnorrProof.decode(new byte[enc.length]));
        // point off the curve (x = 5 has no y on secp256k1), uncompressed prefix, x >= p
        byte[] off = new byte[33];
        off[0] = 2;
        off[32] = 5;
        byte[] z = Scalars.encode(PROOF.response());
        rejected(FailureKind.MALFORMED_MESSAGE,
                () -> SchnorrProof.decode(new WireWriter().bytes(off).bytes(z).toByteArray()));
        byte[] prefix4 = a.clone();
        prefix4[0] = 4;
        rejected(FailureKind.MALFORMED_MESSAGE,
                () -> SchnorrProof.decode(new WireWriter().bytes(prefix4).bytes(z).toByteArray()));
        byte[] bigX = new byte[33];
        Arrays.fill(bigX, (byte) 0xff);
        bigX[0] = 2;
        rejected(FailureKind.MALFORMED_MESSAGE,
                () -> SchnorrProof.decode(new WireWriter().bytes(bigX).bytes(z).toByteArray()));
    }

    @Test
    void proofFromAnotherContextIsRejected() {
        for (ProofContext wrong : ZkTestSupport.wrongContexts()) {
            rejected(FailureKind.PROOF_INVALID, () -> SchnorrProof.verify(wrong, BIG_X, PROOF));
        }
    }

    @Test
    void challengeBindsTheStatement() {
        rejected(FailureKind.PROOF_INVALID, () -> SchnorrProof.verify(ctx(), BIG_X.add(Point.G), PROOF));
        rejected(FailureKind.PROOF_INVALID, () -> SchnorrProof.verify(ctx(), Point.G, PROOF));
    }

    @Test
    void forgeryWithoutTheWitnessFails() {
        // the classic attack on a transcript that omits A: choose z and e first, then A = z·G - e·X
        for (int i = 0; i < 8; i++) {
            BigInteger z = Scalars.randomNonZero(RNG);
            BigInteger e = Scalars.randomNonZero(RNG);
            Point a = Point.mulG(z).add(BIG_X.mul(Secp256k1.N.subtract(e)));
            rejected(FailureKind.PROOF_INVALID, () -> SchnorrProof.verify(ctx(), BIG_X, new SchnorrProof(a, z)));
        }
    }

    @Test
    void missingProofAndBadWitnessAreRefused() {
        rejected(FailureKind.PROOF_INVALID, () -> SchnorrProof.verify(ctx(), BIG_X, null));
        assertThrows(IllegalArgumentException.class, () -> new SchnorrProof(null, BigInteger.ONE));
        assertThrows(IllegalArgumentException.class, () -> new SchnorrProof(Point.G, BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new SchnorrProof(Point.G, Secp256k1.N));
        assertThrows(IllegalArgumentException.class,
                () -> SchnorrProof.prove(ctx(), BIG_X, X.add(BigInteger.ONE), RNG));
    }
}
