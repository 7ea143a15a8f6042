package org.mpcwallet.crypto.paillier;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.RandomSource;

/** Small-prime table and Blum-prime generation for Paillier keys. */
public final class Primes {
    /** Every prime below 2^16 (6542 primes), for sieving and for trial division of a peer's modulus. */
    static final int[] SMALL = sieve(1 << 16);

    private Primes() {}

    private static int[] sieve(int limit) {
        boolean[] composite = new boolean[limit];
        int count = 0;
        for (int i = 2; i < limit; i++) {
            if (!composite[i]) {
                count++;
                for (long j = (long) i * i; j < limit; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 2; i < limit; i++) {
            if (!composite[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** True when n is divisible by a prime below 2^16 (and n is not that prime itself). */
    public static boolean hasSmallFactor(BigInteger n) {
        for (int p : SMALL) {
            BigInteger bp = BigInteger.valueOf(p);
            if (n.mod(bp).signum() == 0 && !n.equals(bp)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A random prime p of exactly {@code bits} bits with the two top bits set (so a product of two such primes has
     * exactly 2·bits bits) and p ≡ 3 (mod 4) (a Blum prime, as Π^mod needs).
     */
    public static BigInteger blumPrime(int bits, RandomSource rng) {
        byte[] buf = new byte[(bits + 7) / 8];
        while (true) {
            rng.nextBytes(buf);
            int excess = buf.length * 8 - bits;
            buf[0] &= (byte) (0xff >>> excess);
            buf[0] |= (byte) (0xc0 >>> excess);
            buf[buf.length - 1] |= 3;
            BigInteger start = new BigInteger(1, buf);
            BigInteger found = searchFrom(start, bits);
            if (found != null) {
                return found;
            }
        }
    }

    /** Incremental search start, start+4, ... with a sieve over small primes, then Miller-Rabin (error < 2^-100). */
    private static BigInteger searchFrom(BigInteger start, int bits) {
        final int window = 4096;
        int[] residues = new int[SMALL.length];
        for (int i = 1; i < SMALL.length; i++) {
            residues[i] = start.mod(BigInteger.valueOf(SMALL[i])).intValue();
        }
        for (int step = 0; step < window; step++) {
            int delta = 4 * step;
            boolean divisible = false;
            for (int i = 1; i < SMALL.length; i++) {
                if ((residues[i] + delta) % SMALL[i] == 0) {
                    divisible = true;
                    break;
                }
            }
            if (divisible) {
                continue;
            }
            BigInteger candidate = start.add(BigInteger.valueOf(delta));
            if (candidate.bitLength() != bits || !candidate.testBit(bits - 2)) {
                return null;
            }
            if (candidate.isProbablePrime(100)) {
                return candidate;
            }
        }
        return null;
    }
}
