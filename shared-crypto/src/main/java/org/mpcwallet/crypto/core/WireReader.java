package org.mpcwallet.crypto.core;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Strict reader for {@link WireWriter}'s encoding. Every violation (truncation, over-long field, non-minimal
 * integer, negative zero, trailing bytes) throws a {@link ProtocolException} of kind
 * {@link FailureKind#MALFORMED_MESSAGE} naming the field, never the value.
 */
public final class WireReader {
    private final byte[] data;
    private final String step;
    private int pos;

    public WireReader(byte[] data, String step) {
        this.data = data;
        this.step = step;
    }

    private ProtocolException malformed(String what) {
        return new ProtocolException(FailureKind.MALFORMED_MESSAGE, step, null, what);
    }

    public byte[] raw(int n, String field) {
        if (n < 0 || data.length - pos < n) {
            throw malformed(field + ": truncated");
        }
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    public int u8(String field) {
        return raw(1, field)[0] & 0xff;
    }

    private int int32(String field) {
        byte[] b = raw(4, field);
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** A length-prefixed field of at most {@code maxLen} bytes. */
    public byte[] bytes(String field, int maxLen) {
        int len = int32(field + " length");
        if (len < 0 || len > maxLen) {
            throw malformed(field + ": length out of bounds");
        }
        return raw(len, field);
    }

    /** A length-prefixed field of exactly {@code len} bytes. */
    public byte[] fixed(String field, int len) {
        byte[] b = bytes(field, len);
        if (b.length != len) {
            throw malformed(field + ": expected " + len + " bytes");
        }
        return b;
    }

    public BigInteger unsigned(String field, int maxBytes) {
        byte[] b = bytes(field, maxBytes);
        if (b.length > 0 && b[0] == 0) {
            throw malformed(field + ": non-minimal integer encoding");
        }
        return new BigInteger(1, b);
    }

    public BigInteger signed(String field, int maxBytes) {
        byte[] b = bytes(field, maxBytes + 1);
        if (b.length == 0 || (b[0] != 0 && b[0] != 1)) {
            throw malformed(field + ": bad sign byte");
        }
        if (b.length > 1 && b[1] == 0) {
            throw malformed(field + ": non-minimal integer encoding");
        }
        BigInteger mag = new BigInteger(1, Arrays.copyOfRange(b, 1, b.length));
        if (b[0] == 1 && mag.signum() == 0) {
            throw malformed(field + ": negative zero");
        }
        return b[0] == 1 ? mag.negate() : mag;
    }

    /** A 4-byte element count that must equal {@code expected} exactly. */
    public void expectCount(String field, int expected) {
        int n = int32(field + " count");
        if (n != expected) {
            throw malformed(field + ": expected " + expected + " elements");
        }
    }

    public void end() {
        if (pos != data.length) {
            throw malformed("trailing bytes after message");
        }
    }
}
