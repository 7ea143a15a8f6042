package org.mpcwallet.web.vault;

/**
 * Strict UTF-8 encoding (RFC 3629) of passwords and wallet ids, the encoding docs/vault-format.md section 3.1
 * prescribes: an unpaired UTF-16 surrogate is refused with {@link IllegalArgumentException} (the browser's
 * {@code TextEncoder} would silently turn it into U+FFFD, the JDK's {@code getBytes} into {@code ?}: different keys).
 *
 * <p>A copy of what shared-crypto's package-private {@code org.mpcwallet.crypto.vault.Utf8.encode} does; to be
 * replaced by it once shared-crypto makes it public (see client-web/README.md, "Vault").
 */
final class StrictUtf8 {
    private StrictUtf8() {}

    static byte[] encode(char[] chars, String what) {
        int len = 0;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (c < 0x80) {
                len += 1;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= chars.length || !Character.isLowSurrogate(chars[i + 1])) {
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
        byte[] out = new byte[len];
        int o = 0;
        for (int i = 0; i < chars.length; i++) {
            int cp = chars[i];
            if (Character.isHighSurrogate(chars[i])) {
                cp = Character.toCodePoint(chars[i], chars[i + 1]);
                i++;
            }
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
        }
        return out;
    }

    static byte[] encode(String s, String what) {
        return encode(s.toCharArray(), what);
    }
}
