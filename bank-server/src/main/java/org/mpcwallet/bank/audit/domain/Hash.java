package org.mpcwallet.bank.audit.domain;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 value; immutable (copies in and out). */
public final class Hash {
    public static final int LENGTH = 32;
    /** The genesis {@code prev_hash}: 32 zero bytes. */
    public static final Hash ZERO = new Hash(new byte[LENGTH]);

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Hash of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a hash is 32 bytes");
        }
        return new Hash(bytes.clone());
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && MessageDigest.isEqual(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
