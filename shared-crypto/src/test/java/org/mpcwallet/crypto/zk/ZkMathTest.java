package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.DeterministicRandom;

/** The integer helpers the proofs rest on: Newton square root, Jacobi symbol, signed powers, signed sampling. */
class ZkMathTest {
    @Test
    void isqrtIsTheFloorOfTheSquareRoot() {
        for (int v = 0; v < 2000; v++) {
            BigInteger r = ZkMath.isqrt(BigInteger.valueOf(v));
            assertEquals((long) Math.floor(Math.sqrt(v)), r.longValue(), "isqrt(" + v + ")");
        }
        DeterministicRandom rng = ZkTestSupport.rng("isqrt");
        for (int bits : new int[] {63, 64, 65, 1023, 2047, 2048, 4095, 6000}) {
            BigInteger n = ZkMath.below(BigInteger.ONE.shiftLeft(bits), rng).setBit(bits - 1);
            BigInteger r = ZkMath.isqrt(n);
            assertTrue(r.multiply(r).compareTo(n) <= 0);
            assertTrue(r.add(BigInteger.ONE).pow(2).compareTo(n) > 0);
            // exact squares and their neighbours
            BigInteger sq = r.multiply(r);
            assertEquals(r, ZkMath.isqrt(sq));
            assertEquals(r.subtract(BigInteger.ONE), ZkMath.isqrt(sq.subtract(BigInteger.ONE)));
            assertTrue(ZkMath.isPerfectSquare(sq));
            assertFalse(ZkMath.isPerfectSquare(sq.add(BigInteger.ONE)));
        }
        assertThrows(IllegalArgumentException.class, () -> ZkMath.isqrt(BigInteger.ONE.negate()));
    }

    @Test
    void jacobiMatchesEulersCriterionForPrimesAndIsMultiplicative() {
        DeterministicRandom rng = ZkTestSupport.rng("jacobi");
        BigInteger p = ZkTestSupport.blumPrime(256, "jacobi-p");
        BigInteger q = BigInteger.valueOf(1000003);
        for (int i = 0; i < 200; i++) {
            BigInteger a = ZkMath.below(p, rng);
            BigInteger euler = a.modPow(p.shiftRight(1), p);
            int expected = a.signum() == 0 ? 0 : euler.equals(BigInteger.ONE) ? 1 : -1;
            assertEquals(expected, ZkMath.jacobi(a, p));
            assertEquals(ZkMath.jacobi(a, p) * ZkMath.jacobi(a, q), ZkMath.jacobi(a, p.multiply(q)));
        }
        assertEquals(-1, ZkMath.jacobi(BigInteger.ONE.negate(), p), "-1 is a non-residue mod a Blum prime");
        assertEquals(0, ZkMath.jacobi(BigInteger.valueOf(21), BigInteger.valueOf(15)));
        assertEquals(1, ZkMath.jacobi(BigInteger.ONE, BigInteger.ONE));
        // small table: (2/n) = 1 for n = ±1 mod 8, -1 for n = ±3 mod 8
        assertEquals(1, ZkMath.jacobi(BigInteger.TWO, BigInteger.valueOf(7)));
        assertEquals(-1, ZkMath.jacobi(BigInteger.TWO, BigInteger.valueOf(11)));
        assertThrows(IllegalArgumentException.class, () -> ZkMath.jacobi(BigInteger.ONE, BigInteger.TEN));
    }

    @Test
    void signedPowerUsesTheInverseForNegativeExponents() {
        BigInteger m = BigInteger.valueOf(1000003L * 999983L);
        BigInteger b = BigInteger.valueOf(123456789);
        BigInteger e = BigInteger.valueOf(987654321);
        BigInteger pos = ZkMath.powSigned(ZkTestSupport.MP, b, e, m);
        BigInteger neg = ZkMath.powSigned(ZkTestSupport.MP, b, e.negate(), m);
        assertEquals(BigInteger.ONE, pos.multiply(neg).mod(m));
        assertEquals(BigInteger.ONE, ZkMath.powSigned(ZkTestSupport.MP, b, BigInteger.ZERO, m));
    }

    @Test
    void signedSamplingCoversTheClosedRangeAndNothingElse() {
        DeterministicRandom rng = ZkTestSupport.rng("signed");
        BigInteger bound = BigInteger.valueOf(3);
        boolean[] seen = new boolean[7];
        for (int i = 0; i < 500; i++) {
            BigInteger v = ZkMath.signed(bound, rng);
            assertTrue(ZkMath.inSignedRange(v, bound));
            seen[v.intValue() + 3] = true;
        }
        for (boolean s : seen) {
            assertTrue(s, "every value of [-3, 3] is sampled");
        }
        BigInteger big = BigInteger.ONE.shiftLeft(768);
        for (int i = 0; i < 50; i++) {
            assertTrue(ZkMath.inSignedRange(ZkMath.signed(big, rng), big));
        }
    }
}
