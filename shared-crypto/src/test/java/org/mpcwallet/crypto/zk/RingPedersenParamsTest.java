package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.parity.TestRingPedersen;

/** Ring-Pedersen parameters (docs/zk-proofs.md §2): the cheap checks of {@link RingPedersenParams#of}, commitments. */
class RingPedersenParamsTest {
    private static final RingPedersenParams RP = TestRingPedersen.setup("params-test", ZkTestSupport.MP).params();

    @Test
    void generatedParametersAreTwoDistinctNonTrivialSquares() {
        assertEquals(2048, RP.nHat().bitLength());
        for (BigInteger g : new BigInteger[] {RP.s(), RP.t()}) {
            assertTrue(ZkMath.isUnit(g, RP.nHat()));
            assertFalse(g.equals(BigInteger.ONE));
            assertEquals(1, ZkMath.jacobi(g, RP.nHat()), "a square has Jacobi symbol 1");
        }
        assertNotEquals(RP.s(), RP.t());
    }

    @Test
    void degenerateValuesAreRefused() {
        BigInteger n = RP.nHat();
        assertThrows(IllegalArgumentException.class, () -> RingPedersenParams.of(n.subtract(BigInteger.ONE), RP.s(),
                RP.t()), "even modulus");
        assertThrows(IllegalArgumentException.class, () -> RingPedersenParams.of(n, BigInteger.ONE, RP.t()));
        assertThrows(IllegalArgumentException.class, () -> RingPedersenParams.of(n, RP.s(), RP.s()));
        assertThrows(IllegalArgumentException.class, () -> RingPedersenParams.of(n, n, RP.t()), "not a unit");
        assertThrows(IllegalArgumentException.class, () -> RingPedersenParams.of(n, RP.s(), BigInteger.ZERO));
    }

    @Test
    void theFingerprintNamesTheParameters() {
        assertArrayEquals(RP.fingerprint(), RingPedersenParams.of(RP.nHat(), RP.s(), RP.t()).fingerprint());
        assertFalse(java.util.Arrays.equals(RP.fingerprint(),
                RingPedersenParams.of(RP.nHat(), RP.t(), RP.s()).fingerprint()));
    }

    @Test
    void commitmentIsHomomorphicAndHandlesNegativeExponents() {
        BigInteger m = BigInteger.valueOf(-12345);
        BigInteger r = BigInteger.ONE.shiftLeft(300).negate();
        BigInteger c = RP.commit(m, r, ZkTestSupport.MP);
        BigInteger c2 = RP.commit(m.negate(), r.negate(), ZkTestSupport.MP);
        assertEquals(BigInteger.ONE, c.multiply(c2).mod(RP.nHat()));
        assertEquals(RP.commit(BigInteger.TWO, BigInteger.ZERO, ZkTestSupport.MP), RP.s().pow(2).mod(RP.nHat()));
    }
}
