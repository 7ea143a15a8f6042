package org.mpcwallet.crypto.core;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/**
 * Canonical length-prefixed encoding (docs/protocol.md §2.2): every field is a 4-byte big-endian length followed by
 * that many bytes. Non-negative integers are minimal unsigned big-endian (zero = empty); signed integers are one
 * sign byte (0 = non-negative, 1 = negative) followed by the minimal magnitude.
 */
public final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public WireWriter raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    public WireWriter u8(int v) {
        if (v < 0 || v > 255) {
            throw new IllegalArgumentException("u8 out of range");
        }
        out.write(v);
        return this;
    }

    public WireWriter bytes(byte[] b) {
        raw(Bytes.int32(b.length));
        return raw(b);
    }

    public WireWriter unsigned(BigInteger v) {
        return bytes(Bytes.unsigned(v));
    }

    public WireWriter signed(BigInteger v) {
        byte[] mag = Bytes.unsigned(v.abs());
        byte[] b = new byte[mag.length + 1];
        b[0] = (byte) (v.signum() < 0 ? 1 : 0);
        System.arraycopy(mag, 0, b, 1, mag.length);
        return bytes(b);
    }

    public WireWriter count(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative count");
        }
        return raw(Bytes.int32(n));
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
