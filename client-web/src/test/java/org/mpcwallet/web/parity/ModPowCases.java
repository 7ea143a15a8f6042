package org.mpcwallet.web.parity;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.ModPow;

/**
 * Reproducible modPow inputs for cross-checking a {@link ModPow} against the JVM's {@link BigInteger#modPow}: edge
 * cases, then {@code count} cases drawn from a {@link DeterministicRandom} seeded with {@code label} (odd and even
 * moduli of exactly {@code modBits} bits, bases up to 8 bits wider than the modulus, some negative, exponents of up
 * to {@code expBits} bits). Plain Java: runs on the JVM and in the browser.
 */
public final class ModPowCases {
    private ModPowCases() {}

    /** One line {@code i=hex} per case, in order. */
    public static String report(ModPow impl, String label, int count, int modBits, int expBits) {
        StringBuilder sb = new StringBuilder();
        DeterministicRandom rnd = DeterministicRandom.fromLabel("modpow/" + label + "/" + modBits + "/" + expBits);
        BigInteger m0 = odd(random(rnd, modBits, true));
        BigInteger[][] edges = {
            {BigInteger.ZERO, BigInteger.ZERO, m0},
            {BigInteger.ZERO, BigInteger.TEN, m0},
            {BigInteger.TWO, BigInteger.ZERO, m0},
            {BigInteger.TWO, BigInteger.ONE, m0},
            {m0, BigInteger.TEN, m0},
            {m0.subtract(BigInteger.ONE), BigInteger.TWO, m0},
            {BigInteger.valueOf(-3), BigInteger.valueOf(5), m0},
            {BigInteger.TWO, BigInteger.valueOf(-1), m0},
            {BigInteger.valueOf(7), BigInteger.valueOf(1000), BigInteger.ONE},
            {BigInteger.valueOf(3), BigInteger.ONE.shiftLeft(expBits).subtract(BigInteger.ONE), m0.shiftLeft(1)},
        };
        int i = 0;
        for (BigInteger[] c : edges) {
            sb.append(i++).append('=').append(impl.modPow(c[0], c[1], c[2]).toString(16)).append('\n');
        }
        for (int k = 0; k < count; k++) {
            BigInteger m = random(rnd, modBits, true);
            if (k % 3 != 2) {
                m = odd(m);
            }
            BigInteger b = random(rnd, modBits + 8, false);
            if (k % 5 == 4) {
                b = b.negate();
            }
            BigInteger e = random(rnd, expBits, false);
            sb.append(i++).append('=').append(impl.modPow(b, e, m).toString(16)).append('\n');
        }
        return sb.toString();
    }

    private static BigInteger odd(BigInteger v) {
        return v.setBit(0);
    }

    private static BigInteger random(DeterministicRandom rnd, int bits, boolean exactBits) {
        byte[] buf = new byte[(bits + 7) / 8];
        rnd.nextBytes(buf);
        BigInteger v = new BigInteger(1, buf);
        v = v.shiftRight(buf.length * 8 - bits);
        return exactBits ? v.setBit(bits - 1) : v;
    }
}
