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

    /**
     * A random safe prime p = 2p' + 1 of exactly {@code bits} bits (p' prime), with the two top bits set so that a
     * product of two has exactly 2·bits bits. Safe primes above 7 are ≡ 3 (mod 4), so such a product is also a Blum
     * integer. For the ring-Pedersen modulus N̂ (CGGMP21 Def. 2.4; docs/zk-proofs.md §8). Sieves p and p' together
     * over the primes below 2^16 in windows, then Miller-Rabin on p' and p.
     */
    public static BigInteger safePrime(int bits, RandomSource rng) {
        if (bits < 32) {
            throw new IllegalArgumentException("safe primes of fewer than 32 bits are not supported");
        }
        byte[] buf = new byte[(bits + 7) / 8];
        while (true) {
            rng.nextBytes(buf);
            int excess = buf.length * 8 - bits;
            buf[0] &= (byte) (0xff >>> excess);
            buf[0] |= (byte) (0xc0 >>> excess);
            buf[buf.length - 1] |= 3; // p ≡ 3 (mod 4), so p' = (p - 1) / 2 is odd
            BigInteger found = safeSearchFrom(new BigInteger(1, buf), bits);
            if (found != null) {
                return found;
            }
        }
    }

    /** Candidates start, start+4, ...: a sieve marks those with p or (p-1)/2 divisible by a small prime. */
    private static BigInteger safeSearchFrom(BigInteger start, int bits) {
        final int window = 1 << 16;
        boolean[] out = new boolean[window];
        for (int i = 1; i < SMALL.length; i++) {
            int r = SMALL[i];
            int s = start.mod(BigInteger.valueOf(r)).intValue();
            // candidate j is start + 4j; it is bad when start + 4j ≡ 0 or ≡ 1 (mod r) (then r | p or r | p')
            int inv4 = BigInteger.valueOf(4).modInverse(BigInteger.valueOf(r)).intValue();
            for (int bad = 0; bad <= 1; bad++) {
                int j = (int) ((long) ((bad - s) % r + r) % r * inv4 % r);
                for (; j < window; j += r) {
                    out[j] = true;
                }
            }
        }
        for (int j = 0; j < window; j++) {
            if (out[j]) {
                continue;
            }
            BigInteger candidate = start.add(BigInteger.valueOf(4L * j));
            if (candidate.bitLength() != bits || !candidate.testBit(bits - 2)) {
                return null;
            }
            BigInteger half = candidate.shiftRight(1);
            if (half.isProbablePrime(100) && candidate.isProbablePrime(100)) {
                return candidate;
            }
        }
        return null;
    }
}
