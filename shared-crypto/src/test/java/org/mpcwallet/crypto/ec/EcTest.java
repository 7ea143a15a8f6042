package org.mpcwallet.crypto.ec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.RandomSource;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * Curve layer: strict point and scalar decoding, encode/decode round trips, scalar multiplication cross-checked
 * against Bouncy Castle's independent secp256k1 definition (CustomNamedCurves), and ECDSA canonicalisation and
 * verification cross-checked against web3j's signer and public-key recovery.
 */
class EcTest {
    private static final X9ECParameters BC = CustomNamedCurves.getByName("secp256k1");
    private static final BigInteger N = Secp256k1.N;
    private static final BigInteger P = Secp256k1.P;

    private static byte[] compressed(int prefix, BigInteger x) {
        return Bytes.concat(new byte[] {(byte) prefix}, Bytes.fixedWidth(x, 32));
    }

    /** Euler's criterion: does x^3 + 7 have a square root mod p, i.e. is x the abscissa of a curve point? */
    private static boolean onCurveX(BigInteger x) {
        BigInteger rhs = x.pow(3).add(BigInteger.valueOf(7)).mod(P);
        return rhs.signum() == 0 || rhs.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
    }

    private static byte[] bcMulG(BigInteger k) {
        return BC.getG().multiply(k).normalize().getEncoded(true);
    }

    private static List<BigInteger> scalars(String label, int count) {
        List<BigInteger> ks = new ArrayList<>(List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3),
                N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO), Secp256k1.HALF_N,
                Secp256k1.HALF_N.add(BigInteger.ONE), BigInteger.ONE.shiftLeft(128), BigInteger.ONE.shiftLeft(255),
                BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE).mod(N)));
        DeterministicRandom rng = DeterministicRandom.fromLabel(label);
        for (int i = 0; i < count; i++) {
            ks.add(Scalars.randomNonZero(rng));
        }
        return ks;
    }

    // ---------------------------------------------------------------- domain parameters

    @Test
    void domainParametersMatchBouncyCastle() {
        assertEquals(BC.getCurve().getField().getCharacteristic(), P);
        assertEquals(BC.getN(), N);
        assertEquals(BigInteger.ONE, BC.getH());
        assertEquals(N.subtract(BigInteger.ONE).shiftRight(1), Secp256k1.HALF_N);
        assertArrayEquals(BC.getG().getEncoded(false), Point.G.encodeUncompressed());
        assertArrayEquals(BC.getG().getEncoded(true), Point.G.encode());
        assertEquals(Point.G, Point.mulG(BigInteger.ONE));
    }

    // ---------------------------------------------------------------- Point.decode

    @Test
    void decodeRejectsWrongLengths() {
        byte[] g = Point.G.encode();
        assertThrows(IllegalArgumentException.class, () -> Point.decode(null));
        assertThrows(IllegalArgumentException.class, () -> Point.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Point.decode(new byte[] {0}), "SEC1 identity encoding");
        assertThrows(IllegalArgumentException.class, () -> Point.decode(Arrays.copyOf(g, 32)));
        assertThrows(IllegalArgumentException.class, () -> Point.decode(Arrays.copyOf(g, 34)));
        assertThrows(IllegalArgumentException.class, () -> Point.decode(Point.G.encodeUncompressed()),
                "uncompressed 65-byte form is not accepted");
        assertThrows(IllegalArgumentException.class, () -> Point.decode(new byte[33]), "all zero");
    }

    @Test
    void decodeRejectsWrongPrefixes() {
        byte[] g = Point.G.encode();
        for (int prefix : new int[] {0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0x82, 0x83, 0xff}) {
            byte[] bad = g.clone();
            bad[0] = (byte) prefix;
            assertThrows(IllegalArgumentException.class, () -> Point.decode(bad), "prefix " + prefix);
        }
    }

    @Test
    void decodeRejectsXNotBelowTheFieldPrime() {
        assertThrows(IllegalArgumentException.class, () -> Point.decode(compressed(2, P)));
        assertThrows(IllegalArgumentException.class, () -> Point.decode(compressed(3, P)));
        assertThrows(IllegalArgumentException.class,
                () -> Point.decode(compressed(2, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))));
        // x0 + p for an x0 that IS a valid abscissa: a non-canonical alias of a real point must be rejected
        BigInteger x0 = BigInteger.ONE;
        while (!onCurveX(x0)) {
            x0 = x0.add(BigInteger.ONE);
        }
        assertTrue(x0.add(P).bitLength() <= 256);
        Point.decode(compressed(2, x0)); // the canonical form is fine
        BigInteger alias = x0.add(P);
        assertThrows(IllegalArgumentException.class, () -> Point.decode(compressed(2, alias)));
        assertThrows(IllegalArgumentException.class, () -> Point.decode(compressed(3, alias)));
    }

    @Test
    void decodeRejectsXWithoutSquareRoot() {
        int offCurve = 0;
        DeterministicRandom rng = DeterministicRandom.fromLabel("off-curve-x");
        byte[] raw = new byte[32];
        for (int i = 0; i < 64; i++) {
            BigInteger x;
            if (i < 32) {
                x = BigInteger.valueOf(i);
            } else {
                rng.nextBytes(raw);
                x = new BigInteger(1, raw).mod(P);
            }
            if (onCurveX(x)) {
                assertTrue(Point.decode(compressed(2, x)).x().equals(x));
                continue;
            }
            offCurve++;
            BigInteger fx = x;
            assertThrows(IllegalArgumentException.class, () -> Point.decode(compressed(2, fx)), "x = " + x);
            assertThrows(IllegalArgumentException.class, () -> Point.decode(compressed(3, fx)), "x = " + x);
        }
        assertTrue(offCurve > 10, "about half of all x have no square root; got " + offCurve + " of 64");
    }

    @Test
    void bothParitiesDecodeToOppositePoints() {
        BigInteger gx = Point.G.x();
        Point even = Point.decode(compressed(2, gx));
        Point odd = Point.decode(compressed(3, gx));
        assertFalse(even.yIsOdd());
        assertTrue(odd.yIsOdd());
        assertEquals(Point.G, Point.G.yIsOdd() ? odd : even);
        assertEquals(Point.mulG(N.subtract(BigInteger.ONE)), Point.G.yIsOdd() ? even : odd, "-G");
        assertThrows(IllegalArgumentException.class, () -> even.add(odd), "P + (-P) is the identity");
    }

    // ---------------------------------------------------------------- round trips and Bouncy Castle cross-check

    @Test
    void encodeDecodeRoundTrip() {
        for (BigInteger k : scalars("ec-roundtrip", 100)) {
            Point p = Point.mulG(k);
            byte[] enc = p.encode();
            assertEquals(33, enc.length);
            assertEquals(p.yIsOdd() ? 3 : 2, enc[0]);
            assertEquals(p.x(), new BigInteger(1, Arrays.copyOfRange(enc, 1, 33)));
            Point back = Point.decode(enc);
            assertEquals(p, back);
            assertEquals(p.hashCode(), back.hashCode());
            assertArrayEquals(p.encodeUncompressed(), back.encodeUncompressed());
            assertArrayEquals(BC.getCurve().decodePoint(enc).getEncoded(false), p.encodeUncompressed());
            enc[5] ^= 1;
            assertArrayEquals(back.encode(), p.encode(), "encode() must return a copy");
        }
    }

    @Test
    void mulGMatchesBouncyCastle() {
        for (BigInteger k : scalars("ec-mulg", 200)) {
            assertArrayEquals(bcMulG(k), Point.mulG(k).encode(), "k = " + k.toString(16));
            assertEquals(Point.mulG(k), Point.G.mul(k));
        }
    }

    @Test
    void scalarMultiplicationRejectsOutOfRangeScalars() {
        for (BigInteger k : new BigInteger[] {null, BigInteger.ZERO, N, N.add(BigInteger.ONE), BigInteger.ONE.negate(),
            BigInteger.ONE.shiftLeft(256)}) {
            assertThrows(IllegalArgumentException.class, () -> Point.mulG(k), "mulG " + k);
            assertThrows(IllegalArgumentException.class, () -> Point.G.mul(k), "mul " + k);
        }
    }

    @Test
    void groupLawIsConsistent() {
        List<BigInteger> ks = scalars("ec-group-law", 30);
        for (int i = 0; i + 1 < ks.size(); i++) {
            BigInteger a = ks.get(i);
            BigInteger b = ks.get(i + 1);
            Point pa = Point.mulG(a);
            Point pb = Point.mulG(b);
            BigInteger sum = a.add(b).mod(N);
            BigInteger diff = a.subtract(b).mod(N);
            if (sum.signum() != 0) {
                assertEquals(Point.mulG(sum), pa.add(pb));
            }
            if (diff.signum() != 0) {
                assertEquals(Point.mulG(diff), pa.subtract(pb));
            }
            assertEquals(Point.mulG(a.multiply(b).mod(N)), pa.mul(b));
            assertThrows(IllegalArgumentException.class, () -> pa.subtract(pa), "P - P is the identity");
            assertThrows(IllegalArgumentException.class, () -> pa.add(Point.mulG(N.subtract(a))), "P + (-P)");
        }
    }

    // ---------------------------------------------------------------- Scalars

    @Test
    void scalarsDecodeIsStrict() {
        assertThrows(IllegalArgumentException.class, () -> Scalars.decode(null));
        assertThrows(IllegalArgumentException.class, () -> Scalars.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Scalars.decode(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Scalars.decode(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> Scalars.decode(Bytes.fixedWidth(N, 32)), "n");
        assertThrows(IllegalArgumentException.class, () -> Scalars.decode(Bytes.fixedWidth(N.add(BigInteger.ONE), 32)));
        byte[] max = new byte[32];
        Arrays.fill(max, (byte) 0xff);
        assertThrows(IllegalArgumentException.class, () -> Scalars.decode(max), "2^256 - 1");
        // documented range is [0, n): zero decodes, n - 1 decodes
        assertEquals(BigInteger.ZERO, Scalars.decode(new byte[32]));
        assertEquals(N.subtract(BigInteger.ONE), Scalars.decode(Bytes.fixedWidth(N.subtract(BigInteger.ONE), 32)));
        // a 33-byte encoding with a leading zero is still rejected (no non-canonical lengths)
        assertThrows(IllegalArgumentException.class,
                () -> Scalars.decode(Bytes.concat(new byte[1], Bytes.fixedWidth(BigInteger.ONE, 32))));
    }

    @Test
    void scalarsEncodeRoundTripAndRange() {
        for (BigInteger k : scalars("scalar-roundtrip", 50)) {
            byte[] enc = Scalars.encode(k);
            assertEquals(32, enc.length);
            assertEquals(k, Scalars.decode(enc));
        }
        byte[] one = new byte[32];
        one[31] = 1;
        assertArrayEquals(one, Scalars.encode(BigInteger.ONE));
        assertArrayEquals(new byte[32], Scalars.encode(BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Scalars.encode(N));
        assertThrows(IllegalArgumentException.class, () -> Scalars.encode(BigInteger.ONE.negate()));
        for (BigInteger k : new BigInteger[] {null, BigInteger.ZERO, N, BigInteger.ONE.negate()}) {
            assertThrows(IllegalArgumentException.class, () -> Scalars.requireNonZero(k), "requireNonZero " + k);
        }
        assertEquals(BigInteger.ONE, Scalars.requireNonZero(BigInteger.ONE));
    }

    @Test
    void fromHashReducesModN() {
        assertEquals(BigInteger.valueOf(5), Scalars.fromHash(Bytes.fixedWidth(N.add(BigInteger.valueOf(5)), 32)));
        assertEquals(BigInteger.ZERO, Scalars.fromHash(Bytes.fixedWidth(N, 32)));
        assertEquals(BigInteger.TEN, Scalars.fromHash(Bytes.fixedWidth(BigInteger.TEN, 32)));
        assertThrows(IllegalArgumentException.class, () -> Scalars.fromHash(null));
        assertThrows(IllegalArgumentException.class, () -> Scalars.fromHash(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Scalars.fromHash(new byte[33]));
    }

    @Test
    void randomNonZeroRejectsZeroAndValuesNotBelowN() {
        byte[] ff = new byte[32];
        Arrays.fill(ff, (byte) 0xff);
        byte[] good = Bytes.fixedWidth(BigInteger.valueOf(42), 32);
        Deque<byte[]> queue = new ArrayDeque<>(List.of(ff, new byte[32], Bytes.fixedWidth(N, 32), good));
        RandomSource scripted = out -> System.arraycopy(queue.removeFirst(), 0, out, 0, out.length);
        assertEquals(BigInteger.valueOf(42), Scalars.randomNonZero(scripted));
        assertTrue(queue.isEmpty());
        Deque<byte[]> edge = new ArrayDeque<>(List.of(Bytes.fixedWidth(N.subtract(BigInteger.ONE), 32)));
        assertEquals(N.subtract(BigInteger.ONE), Scalars.randomNonZero(out -> System.arraycopy(edge.removeFirst(),
                0, out, 0, out.length)));
    }

    // ---------------------------------------------------------------- ECDSA: canonical form, verify, web3j

    @Test
    void canonicalFlipsRecoveryIdExactlyWhenItFlipsS() {
        Point bigR = Point.mulG(BigInteger.valueOf(123_456_789));
        BigInteger r = bigR.x().mod(N);
        int parity = bigR.yIsOdd() ? 1 : 0;
        BigInteger half = Secp256k1.HALF_N;
        for (BigInteger s : new BigInteger[] {BigInteger.ONE, half.subtract(BigInteger.ONE), half}) {
            EcdsaSignature c = Ecdsa.canonical(r, s, bigR);
            assertEquals(s, c.s(), "low s kept");
            assertEquals(parity, c.recoveryId(), "low s keeps the parity");
        }
        for (BigInteger s : new BigInteger[] {half.add(BigInteger.ONE), N.subtract(BigInteger.ONE)}) {
            EcdsaSignature c = Ecdsa.canonical(r, s, bigR);
            assertEquals(N.subtract(s), c.s(), "high s flipped");
            assertEquals(parity ^ 1, c.recoveryId(), "flipping s flips the parity");
        }
    }

    @Test
    void canonicalRefusesNoncePointsWithXNotBelowN() {
        BigInteger x = N;
        while (!onCurveX(x)) {
            x = x.add(BigInteger.ONE);
        }
        assertTrue(x.compareTo(P) < 0);
        Point bigR = Point.decode(compressed(2, x));
        assertNull(Ecdsa.canonical(x.mod(N), BigInteger.ONE, bigR), "recovery ids 2/3 are not supported");
    }

    @Test
    void verifyRejectsOutOfRangeComponentsWithoutThrowing() {
        Point q = Point.mulG(BigInteger.valueOf(7));
        byte[] h = new byte[32];
        BigInteger[] bad = {BigInteger.ZERO, N, N.add(BigInteger.ONE), BigInteger.ONE.negate()};
        for (BigInteger v : bad) {
            assertFalse(Ecdsa.verify(h, v, BigInteger.ONE, q), "r = " + v);
            assertFalse(Ecdsa.verify(h, BigInteger.ONE, v, q), "s = " + v);
        }
        assertThrows(IllegalArgumentException.class, () -> Ecdsa.verify(new byte[31], BigInteger.ONE,
                BigInteger.ONE, q), "hash must be 32 bytes");
    }

    @Test
    void web3jSignaturesVerifyAndRecoveryIdsAgree() throws Exception {
        DeterministicRandom rng = DeterministicRandom.fromLabel("ec-web3j");
        int flipped = 0;
        for (int i = 0; i < 40; i++) {
            BigInteger priv = Scalars.randomNonZero(rng);
            ECKeyPair kp = ECKeyPair.create(priv);
            Point q = Point.mulG(priv);
            assertArrayEquals(Bytes.concat(new byte[] {4}, Bytes.fixedWidth(kp.getPublicKey(), 64)),
                    q.encodeUncompressed(), "our public key = web3j's");
            byte[] hash = new byte[32];
            rng.nextBytes(hash);

            Sign.SignatureData sd = Sign.signMessage(hash, kp, false);
            BigInteger r = new BigInteger(1, sd.getR());
            BigInteger s = new BigInteger(1, sd.getS());
            int web3jRecId = (sd.getV()[0] & 0xff) - 27;
            assertTrue(web3jRecId == 0 || web3jRecId == 1, "web3j v");

            // the nonce point R as web3j's recovery id describes it (x = r, y parity = recovery id)
            Point bigR = Point.decode(compressed(2 + web3jRecId, r));
            EcdsaSignature sig = Ecdsa.canonical(r, s, bigR);
            assertEquals(s.min(N.subtract(s)), sig.s(), "canonical s is the low one");
            if (!sig.s().equals(s)) {
                flipped++;
            }
            assertTrue(Ecdsa.verify(hash, sig, q), "web3j signature verifies under Ecdsa.verify");

            // the malleated twin (r, n - s) with nonce point -R canonicalises to the same signature
            Point minusR = Point.decode(compressed(3 - web3jRecId, r));
            EcdsaSignature twin = Ecdsa.canonical(r, N.subtract(s), minusR);
            assertEquals(sig, twin, "canonical form of the malleated twin");
            assertTrue(Ecdsa.verify(hash, r, N.subtract(s), q), "plain ECDSA verify accepts high-s");
            BigInteger highS = sig.s().equals(s) ? N.subtract(s) : s;
            assertThrows(IllegalArgumentException.class, () -> new EcdsaSignature(r, highS, 0), "high-s refused");

            // web3j's recovery with OUR recovery id gives back the signer's key; the other id does not
            Sign.SignatureData ours = new Sign.SignatureData((byte) (27 + sig.recoveryId()),
                    Bytes.fixedWidth(sig.r(), 32), Bytes.fixedWidth(sig.s(), 32));
            assertEquals(kp.getPublicKey(), Sign.signedMessageHashToKey(hash, ours), "recovery id agrees");
            Sign.SignatureData other = new Sign.SignatureData((byte) (27 + (sig.recoveryId() ^ 1)),
                    Bytes.fixedWidth(sig.r(), 32), Bytes.fixedWidth(sig.s(), 32));
            assertNotEquals(kp.getPublicKey(), Sign.signedMessageHashToKey(hash, other), "other recovery id");

            // negatives: other hash, other key, other r
            byte[] otherHash = hash.clone();
            otherHash[31] ^= 1;
            assertFalse(Ecdsa.verify(otherHash, sig, q), "wrong hash");
            assertFalse(Ecdsa.verify(hash, sig, Point.mulG(priv.add(BigInteger.ONE).mod(N).max(BigInteger.ONE))),
                    "wrong key");
            assertFalse(Ecdsa.verify(hash, r.add(BigInteger.ONE).mod(N).max(BigInteger.ONE), sig.s(), q), "wrong r");
        }
        assertEquals(0, flipped, "web3j already emits low-s signatures (EIP-2)");
    }
}
