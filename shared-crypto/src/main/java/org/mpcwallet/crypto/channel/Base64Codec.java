package org.mpcwallet.crypto.channel;

/**
 * Standard base64 (RFC 4648 §4, padded) for the channel's {@code payload}, TeaVM-safe. Decoding is strict: only the
 * alphabet, length a multiple of 4, padding only at the end, and the unused bits of the last group zero (the one
 * encoding of each byte string). Returns null for anything else.
 */
public final class Base64Codec {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private Base64Codec() {
    }

    public static String encode(byte[] data) {
        StringBuilder b = new StringBuilder((data.length + 2) / 3 * 4);
        for (int i = 0; i < data.length; i += 3) {
            int n = (data[i] & 0xff) << 16;
            if (i + 1 < data.length) {
                n |= (data[i + 1] & 0xff) << 8;
            }
            if (i + 2 < data.length) {
                n |= data[i + 2] & 0xff;
            }
            b.append(ALPHABET[n >> 18 & 63]).append(ALPHABET[n >> 12 & 63]);
            b.append(i + 1 < data.length ? ALPHABET[n >> 6 & 63] : '=');
            b.append(i + 2 < data.length ? ALPHABET[n & 63] : '=');
        }
        return b.toString();
    }

    /** The bytes, or null when {@code text} is not canonical padded standard base64. */
    public static byte[] decode(String text) {
        if (text == null || text.length() % 4 != 0) {
            return null;
        }
        int pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        int groups = text.length() / 4;
        byte[] out = new byte[groups * 3 - pad];
        int o = 0;
        for (int g = 0; g < groups; g++) {
            int n = 0;
            for (int k = 0; k < 4; k++) {
                int at = g * 4 + k;
                char c = text.charAt(at);
                int v;
                if (c == '=' && at >= text.length() - pad) {
                    v = 0;
                } else if (c < 128 && VALUES[c] >= 0) {
                    v = VALUES[c];
                } else {
                    return null;
                }
                n = n << 6 | v;
            }
            boolean last = g == groups - 1;
            if (last && pad == 2 && (n & 0xffff) != 0 || last && pad == 1 && (n & 0xff) != 0) {
                return null; // non-zero unused bits: not the canonical encoding
            }
            out[o++] = (byte) (n >> 16);
            if (o < out.length) {
                out[o++] = (byte) (n >> 8);
            }
            if (o < out.length) {
                out[o++] = (byte) n;
            }
        }
        return out;
    }
}
