package org.mpcwallet.crypto.ec;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.RandomSource;

/** Scalars modulo the group order n: sampling, strict 32-byte encoding, range checks. */
public final class Scalars {
    private Scalars() {}

    /** Uniform scalar in [1, n) by rejection sampling of 32-byte strings. */
    public static BigInteger randomNonZero(RandomSource rng) {
        byte[] buf = new byte[32];
        while (true) {
            rng.nextBytes(buf);
            BigInteger k = new BigInteger(1, buf);
            if (k.signum() > 0 && k.compareTo(Secp256k1.N) < 0) {
                Bytes.wipe(buf);
                return k;
            }
        }
    }

    public static BigInteger requireNonZero(BigInteger k) {
        if (k == null || k.signum() <= 0 || k.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("scalar out of range [1, n)");
        }
        return k;
    }

    /** Strict decoding: exactly 32 bytes, value in [0, n). */
    public static BigInteger decode(byte[] data) {
        if (data == null || data.length != 32) {
            throw new IllegalArgumentException("scalar encoding must be 32 bytes");
        }
        BigInteger k = new BigInteger(1, data);
        if (k.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("scalar is not below the group order");
        }
        return k;
    }

    public static byte[] encode(BigInteger k) {
        if (k.signum() < 0 || k.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("scalar out of range [0, n)");
        }
        return Bytes.fixedWidth(k, 32);
    }

    /** A 32-byte message hash as an integer mod n (SEC 1, 4.1.3 step 5 for a 256-bit hash). */
    public static BigInteger fromHash(byte[] hash32) {
        if (hash32 == null || hash32.length != 32) {
            throw new IllegalArgumentException("message hash must be 32 bytes");
        }
        return new BigInteger(1, hash32).mod(Secp256k1.N);
    }
}
