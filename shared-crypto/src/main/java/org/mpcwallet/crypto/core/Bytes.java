package org.mpcwallet.crypto.core;

import java.math.BigInteger;

/** Byte-array helpers: hex, concatenation, fixed-width integers, constant-time comparison. */
public final class Bytes {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Bytes() {}

    public static String toHex(byte[] data) {
        char[] out = new char[data.length * 2];
        for (int i = 0; i < data.length; i++) {
            out[2 * i] = HEX[(data[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[data[i] & 0xf];
        }
        return new String(out);
    }

    /** Strict hex decoding: even length, ASCII [0-9a-fA-F] only; an optional "0x" prefix is accepted. */
    public static byte[] fromHex(String hex) {
        String s = hex.startsWith("0x") ? hex.substring(2) : hex;
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("hex string has odd length");
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = hexDigit(s.charAt(2 * i));
            int lo = hexDigit(s.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("invalid hex character at offset " + (2 * i));
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** ASCII hex digit value, or -1 (Character.digit would also accept non-ASCII digits such as '０'). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    public static byte[] concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] out = new byte[len];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    public static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    public static byte[] int64(long v) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    /** Constant-time equality for secrets and MACs (length is not secret). */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff |= a[i] ^ b[i];
        }
        return diff == 0;
    }

    /** Unsigned big-endian encoding of a non-negative integer in exactly {@code width} bytes. */
    public static byte[] fixedWidth(BigInteger v, int width) {
        if (v.signum() < 0 || v.bitLength() > width * 8) {
            throw new IllegalArgumentException("integer does not fit in " + width + " bytes");
        }
        byte[] raw = v.toByteArray();
        byte[] out = new byte[width];
        int copy = Math.min(raw.length, width);
        System.arraycopy(raw, raw.length - copy, out, width - copy, copy);
        return out;
    }

    /** Minimal unsigned big-endian encoding of a non-negative integer (zero is the empty array). */
    public static byte[] unsigned(BigInteger v) {
        if (v.signum() < 0) {
            throw new IllegalArgumentException("negative integer has no unsigned encoding");
        }
        return fixedWidth(v, (v.bitLength() + 7) / 8);
    }

    public static BigInteger toUnsigned(byte[] data) {
        return new BigInteger(1, data);
    }

    public static byte[] copy(byte[] data) {
        return data.clone();
    }

    /** Overwrites a buffer that held secret material. */
    public static void wipe(byte[] data) {
        if (data != null) {
            java.util.Arrays.fill(data, (byte) 0);
        }
    }
}
