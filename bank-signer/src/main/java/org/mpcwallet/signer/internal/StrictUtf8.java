package org.mpcwallet.signer.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** UTF-8 that refuses unpaired surrogates (encoding) and malformed sequences (decoding) instead of replacing them. */
public final class StrictUtf8 {
    private StrictUtf8() {}

    /** UTF-8 bytes of {@code s}; null if {@code s} contains an unpaired surrogate. */
    public static byte[] encode(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            return Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The string of well-formed UTF-8 {@code b}; null if {@code b} is malformed. */
    public static String decode(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** UTF-8 of {@code s} with a byte length in [min, max], else IllegalArgumentException naming {@code what}. */
    public static byte[] require(String s, int min, int max, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        byte[] b = encode(s);
        if (b == null) {
            throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate)");
        }
        if (b.length < min || b.length > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + " bytes of UTF-8");
        }
        return b;
    }
}
