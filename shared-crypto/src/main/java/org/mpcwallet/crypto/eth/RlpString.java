package org.mpcwallet.crypto.eth;

import java.math.BigInteger;
import java.util.Arrays;
import org.mpcwallet.crypto.core.Bytes;

/**
 * An RLP byte string (Yellow Paper, Appendix B). Immutable: the constructor and {@link #bytes()} copy.
 *
 * <p>Integers ("scalars" in the Yellow Paper) are byte strings holding the minimal big-endian encoding, zero being
 * the empty string; {@link #ofUnsigned(BigInteger)} produces that form and {@link #toUnsigned(int, String)} accepts
 * only that form.
 */
public record RlpString(byte[] bytes) implements RlpItem {
    /** The empty string (also the canonical encoding of the integer zero). */
    public static final RlpString EMPTY = new RlpString(new byte[0]);

    public RlpString {
        if (bytes == null) {
            throw new IllegalArgumentException("RLP string bytes must not be null");
        }
        bytes = bytes.clone();
    }

    /** Copy of the content. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** Canonical scalar: minimal unsigned big-endian bytes, zero as the empty string. */
    public static RlpString ofUnsigned(BigInteger value) {
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException("RLP scalar must be a non-negative integer");
        }
        return new RlpString(Bytes.unsigned(value));
    }

    /**
     * Strictly decodes this string as a canonical scalar of at most {@code maxBits} bits: no leading zero byte (so
     * zero must be the empty string, never {@code 0x00}).
     *
     * @param field name used in the error message
     */
    public BigInteger toUnsigned(int maxBits, String field) {
        if (bytes.length > 0 && bytes[0] == 0) {
            throw new IllegalArgumentException(field + ": non-canonical integer (leading zero byte)");
        }
        BigInteger v = new BigInteger(1, bytes);
        if (v.bitLength() > maxBits) {
            throw new IllegalArgumentException(field + ": integer exceeds " + maxBits + " bits");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RlpString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "RlpString[0x" + Bytes.toHex(bytes) + "]";
    }
}
