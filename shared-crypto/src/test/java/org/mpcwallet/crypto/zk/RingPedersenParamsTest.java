package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.paillier.Primes;

/** The fixed ring-Pedersen parameters: N̂ is RSA-2048, s and t are re-derived here from the written spec. */
class RingPedersenParamsTest {
    /** RSA-2048 as RSA Laboratories published it (hex), an independent cross-check of the decimal constant. */
    private static final String RSA_2048_HEX = "c7970ceedcc3b0754490201a7aa613cd73911081c790f5f1a8726f463550bb5b"
            + "7ff0db8e1ea1189ec72f93d1650011bd721aeeacc2acde32a04107f0648c2813a31f5b0b7765ff8b44b4b6ffc93384b6"
            + "46eb09c7cf5e8592d40ea33c80039f35b4f14a04b51f7bfd781be4d1673164ba8eb991c2c4d730bbbe35f592bdef524a"
            + "f7e8daefd26c66fc02c479af89d64d373f442709439de66ceb955f3ea37d5159f6135809f85334b5cb1813addc80cd05"
            + "609f10ac6a95ad65872c909525bdad32bc729592642920f24c61dc5b3c3b7923e56b16a4d9d373d8721f24a3fc0f1b31"
            + "31f55615172866bccc30f95054c824e733a5eb6817f7bc16399d48c6361cc7e5";

    @Test
    void nHatIsTheRsa2048ChallengeModulus() {
        BigInteger nHat = RingPedersenParams.standard().nHat();
        String dec = nHat.toString();
        assertEquals(617, dec.length());
        assertEquals(2048, nHat.bitLength());
        int digitSum = 0;
        for (int i = 0; i < dec.length(); i++) {
            digitSum += dec.charAt(i) - '0';
        }
        assertEquals(2738, digitSum);
        assertTrue(nHat.toString(16).startsWith("c7970cee"));
        assertEquals(new BigInteger(RSA_2048_HEX, 16), nHat);
        assertFalse(nHat.isProbablePrime(64));
        assertFalse(Primes.hasSmallFactor(nHat));
    }

    @Test
    void sAndTFollowTheDocumentedDerivation() throws Exception {
        RingPedersenParams rp = RingPedersenParams.standard();
        BigInteger nHat = rp.nHat();
        BigInteger t = independentExpand("mpcwallet/ring-pedersen/t/v1").mod(nHat);
        BigInteger s = independentExpand("mpcwallet/ring-pedersen/s/v1").mod(nHat);
        assertEquals(t.multiply(t).mod(nHat), rp.t());
        assertEquals(s.multiply(s).mod(nHat), rp.s());
    }

    @Test
    void sAndTAreNonTrivialSquaresOfTheGroup() {
        RingPedersenParams rp = RingPedersenParams.standard();
        for (BigInteger g : new BigInteger[] {rp.s(), rp.t()}) {
            assertTrue(rp.isElement(g));
            assertNotEquals(BigInteger.ONE, g);
            assertNotEquals(rp.nHat().subtract(BigInteger.ONE), g);
            assertEquals(1, ZkMath.jacobi(g, rp.nHat()), "a square has Jacobi symbol 1");
        }
        assertNotEquals(rp.s(), rp.t());
        assertSame(rp, RingPedersenParams.standard());
    }

    @Test
    void commitmentIsHomomorphicAndHandlesNegativeExponents() {
        RingPedersenParams rp = RingPedersenParams.standard();
        BigInteger m = BigInteger.valueOf(-12345);
        BigInteger r = BigInteger.ONE.shiftLeft(300).negate();
        BigInteger c = rp.commit(m, r, ZkTestSupport.MP);
        BigInteger c2 = rp.commit(m.negate(), r.negate(), ZkTestSupport.MP);
        assertEquals(BigInteger.ONE, c.multiply(c2).mod(rp.nHat()));
        assertEquals(rp.commit(BigInteger.TWO, BigInteger.ZERO, ZkTestSupport.MP), rp.s().pow(2).mod(rp.nHat()));
    }

    /**
     * H_expand(tag) straight from docs/zk-proofs.md with the JDK's SHA-256: transcript encoding
     * E = u32(6) "domain" u32(|tag|) tag; seed = SHA-256(E); block_i = SHA-256(seed u32(6) "expand" u32(i));
     * the first 272 bytes of block_0 block_1 ... as a big-endian integer.
     */
    private static BigInteger independentExpand(String tag) throws Exception {
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        writeField(enc, "domain".getBytes(StandardCharsets.UTF_8));
        writeField(enc, tag.getBytes(StandardCharsets.UTF_8));
        byte[] seed = MessageDigest.getInstance("SHA-256").digest(enc.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; out.size() < 272; i++) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(seed);
            ByteArrayOutputStream suffix = new ByteArrayOutputStream();
            writeField(suffix, "expand".getBytes(StandardCharsets.UTF_8));
            suffix.write(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            d.update(suffix.toByteArray());
            out.write(d.digest());
        }
        byte[] all = out.toByteArray();
        byte[] first = java.util.Arrays.copyOf(all, 272);
        return new BigInteger(1, first);
    }

    private static void writeField(ByteArrayOutputStream o, byte[] b) {
        int n = b.length;
        o.write(n >>> 24);
        o.write(n >>> 16);
        o.write(n >>> 8);
        o.write(n);
        o.write(b, 0, b.length);
    }
}
