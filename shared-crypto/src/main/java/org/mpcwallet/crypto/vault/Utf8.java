package org.mpcwallet.crypto.vault;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 (RFC 3629) without java.nio.charset coders: unpaired surrogates are rejected when encoding, and
 * overlong forms, surrogate code points, code points above U+10FFFF and truncated sequences when validating. The JDK's
 * lenient {@code String.getBytes} would silently turn an unpaired surrogate into '?', which WebCrypto's TextEncoder
 * turns into U+FFFD: the two sides would derive different keys from "the same" password.
 *
 * <p>Public so that platform implementations of the vault (client-web's WebCrypto vault) encode passwords and wallet
 * ids with this very code; docs/vault-format.md sections 1 and 3.1.
 */
public final class Utf8 {
    private Utf8() {}

    /**
     * Strict UTF-8 of {@code chars}, without making a String of them (for passwords; the caller wipes the result).
     *
     * @param what the argument's name for the exception message (the text itself is never put in a message)
     * @throws IllegalArgumentException on an unpaired surrogate ("{@code <what> contains an unpaired surrogate at
     *     index <i>}") or null
     */
    public static byte[] encode(char[] chars, String what) {
        if (chars == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        int len = encodedLength(chars, chars.length, what);
        byte[] out = new byte[len];
        int o = 0;
        for (int i = 0; i < chars.length; i++) {
            int cp = chars[i];
            if (Character.isHighSurrogate(chars[i])) {
                cp = Character.toCodePoint(chars[i], chars[i + 1]);
                i++;
            }
            o = put(out, o, cp);
        }
        return out;
    }

    /** {@link #encode(char[], String)} of a string's chars. */
    public static byte[] encode(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        char[] chars = s.toCharArray();
        return encode(chars, what);
    }

    /** Checks that {@code chars} has a UTF-8 encoding (no unpaired surrogate), as {@link #encode} would. */
    static void requireWellFormed(char[] chars, String what) {
        encodedLength(chars, chars.length, what);
    }

    private static int encodedLength(char[] chars, int n, String what) {
        int len = 0;
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            if (c < 0x80) {
                len += 1;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(chars[i + 1])) {
                    throw new IllegalArgumentException(what + " contains an unpaired surrogate at index " + i);
                }
                len += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException(what + " contains an unpaired surrogate at index " + i);
            } else {
                len += 3;
            }
        }
        return len;
    }

    private static int put(byte[] out, int o, int cp) {
        if (cp < 0x80) {
            out[o++] = (byte) cp;
        } else if (cp < 0x800) {
            out[o++] = (byte) (0xc0 | (cp >> 6));
            out[o++] = (byte) (0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out[o++] = (byte) (0xe0 | (cp >> 12));
            out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            out[o++] = (byte) (0x80 | (cp & 0x3f));
        } else {
            out[o++] = (byte) (0xf0 | (cp >> 18));
            out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
            out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            out[o++] = (byte) (0x80 | (cp & 0x3f));
        }
        return o;
    }

    /** True iff {@code data} is well-formed UTF-8 (RFC 3629, Unicode table 3-7). */
    public static boolean isValid(byte[] data) {
        int i = 0;
        while (i < data.length) {
            int b0 = data[i] & 0xff;
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xbf;
            if (b0 >= 0xc2 && b0 <= 0xdf) {
                need = 1;
            } else if (b0 >= 0xe0 && b0 <= 0xef) {
                need = 2;
                if (b0 == 0xe0) {
                    lo = 0xa0; // no overlong 3-byte forms
                } else if (b0 == 0xed) {
                    hi = 0x9f; // no surrogates U+D800..U+DFFF
                }
            } else if (b0 >= 0xf0 && b0 <= 0xf4) {
                need = 3;
                if (b0 == 0xf0) {
                    lo = 0x90; // no overlong 4-byte forms
                } else if (b0 == 0xf4) {
                    hi = 0x8f; // nothing above U+10FFFF
                }
            } else {
                return false; // continuation byte, overlong 2-byte lead C0/C1, or F5..FF
            }
            if (i + need >= data.length) {
                return false; // truncated sequence
            }
            int b1 = data[i + 1] & 0xff;
            if (b1 < lo || b1 > hi) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                int b = data[i + k] & 0xff;
                if (b < 0x80 || b > 0xbf) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }

    /** Decodes bytes already checked by {@link #isValid}. */
    static String decodeValid(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
