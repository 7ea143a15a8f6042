package org.mpcwallet.crypto.eth;

import java.math.BigInteger;
import java.util.Random;
import org.mpcwallet.crypto.ec.Secp256k1;

/** Seeded generators for cross-checks: edge values (zero, one, 0x7f/0x80 boundaries, maxima) mixed with random ones. */
final class RandomValues {
    /** floor((2^64 - 1) / 2) - 36, EIP-2294. */
    static final BigInteger MAX_CHAIN_ID = new BigInteger("9223372036854775771");

    private RandomValues() {}

    /** A value in [0, 2^bits), biased towards encoding edge cases. */
    static BigInteger uint(Random rnd, int bits) {
        return below(rnd, BigInteger.ONE.shiftLeft(bits));
    }

    /** A value in [0, limit), biased towards encoding edge cases. */
    static BigInteger below(Random rnd, BigInteger limit) {
        BigInteger v;
        switch (rnd.nextInt(9)) {
            case 0 -> v = BigInteger.ZERO;
            case 1 -> v = BigInteger.ONE;
            case 2 -> v = BigInteger.valueOf(new long[] {0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000}[rnd.nextInt(6)]);
            case 3 -> v = BigInteger.valueOf(rnd.nextInt(256));
            case 4 -> v = new BigInteger(1 + rnd.nextInt(32), rnd);
            case 5 -> v = limit.subtract(BigInteger.ONE);
            case 6 -> v = limit.subtract(BigInteger.valueOf(1 + rnd.nextInt(1000)));
            default -> v = new BigInteger(1 + rnd.nextInt(limit.bitLength()), rnd);
        }
        return v.signum() < 0 ? BigInteger.ZERO : v.mod(limit);
    }

    static byte[] bytes(Random rnd, int length) {
        byte[] b = new byte[length];
        rnd.nextBytes(b);
        return b;
    }

    /** Call data: empty, one byte below/above 0x80, the 55/56 short/long boundary, ERC-20-sized, or longer. */
    static byte[] data(Random rnd) {
        switch (rnd.nextInt(8)) {
            case 0:
                return new byte[0];
            case 1:
                return new byte[] {(byte) rnd.nextInt(0x80)};
            case 2:
                return new byte[] {(byte) (0x80 + rnd.nextInt(0x80))};
            case 3:
                return bytes(rnd, 55);
            case 4:
                return bytes(rnd, 56);
            case 5:
                return Erc20.transferCalldata(address(rnd), uint(rnd, 256));
            case 6:
                return bytes(rnd, 256 + rnd.nextInt(2000));
            default:
                return bytes(rnd, rnd.nextInt(200));
        }
    }

    static EthAddress address(Random rnd) {
        byte[] b = bytes(rnd, 20);
        if (rnd.nextInt(10) == 0) {
            java.util.Arrays.fill(b, 0, 1 + rnd.nextInt(19), (byte) 0);
        }
        return new EthAddress(b);
    }

    /** A private key in [1, n). */
    static BigInteger privateKey(Random rnd) {
        BigInteger k;
        do {
            k = new BigInteger(256, rnd);
        } while (k.signum() == 0 || k.compareTo(Secp256k1.N) >= 0);
        return k;
    }

    /** chainId in [1, EIP-2294 maximum] (web3j takes a long, which holds it), with the common ones. */
    static BigInteger chainId(Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0:
                return BigInteger.ONE;
            case 1:
                return BigInteger.valueOf(new long[] {5, 137, 11155111, 31337, 17000}[rnd.nextInt(5)]);
            case 2:
                return MAX_CHAIN_ID;
            default:
                return BigInteger.valueOf(1 + rnd.nextInt(1 << 30)).shiftLeft(rnd.nextInt(32));
        }
    }
}
