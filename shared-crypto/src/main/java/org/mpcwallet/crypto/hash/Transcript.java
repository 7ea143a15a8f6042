package org.mpcwallet.crypto.hash;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.mpcwallet.crypto.core.Bytes;

/**
 * Fiat-Shamir transcript with an injective encoding (docs/protocol.md §2.3, checklist rows 4 and 8). It starts with
 * a domain-separation tag; every appended element is {@code len(label) || label || len(value) || value} with 4-byte
 * big-endian lengths, so two different sequences of elements never encode to the same bytes. Challenges are
 * derived from SHA-256 of the encoding in counter mode.
 */
public final class Transcript {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    public Transcript(String domain) {
        append("domain", domain.getBytes(StandardCharsets.UTF_8));
    }

    public Transcript append(String label, byte[] value) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        write(Bytes.int32(l.length));
        write(l);
        write(Bytes.int32(value.length));
        write(value);
        return this;
    }

    /** Appends an integer by its two's-complement big-endian encoding (injective over all integers). */
    public Transcript append(String label, BigInteger value) {
        return append(label, value.toByteArray());
    }

    public Transcript append(String label, int value) {
        return append(label, Bytes.int32(value));
    }

    public Transcript append(String label, String value) {
        return append(label, value.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] b) {
        buf.write(b, 0, b.length);
    }

    /** The encoding so far (for tests of injectivity). */
    public byte[] encoding() {
        return buf.toByteArray();
    }

    /** SHA-256 of the encoding. */
    public byte[] digest() {
        return Sha256.hash(buf.toByteArray());
    }

    /** {@code nBytes} challenge bytes: SHA-256(digest || len(label) || label || counter) blocks. */
    public byte[] challengeBytes(String label, int nBytes) {
        byte[] seed = digest();
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[nBytes];
        int off = 0;
        for (int counter = 0; off < nBytes; counter++) {
            byte[] block = Sha256.hash(seed, Bytes.int32(l.length), l, Bytes.int32(counter));
            int n = Math.min(32, nBytes - off);
            System.arraycopy(block, 0, out, off, n);
            off += n;
        }
        return out;
    }

    /** A challenge uniform in [0, bound) (rejection sampling on bitLength(bound) bits). */
    public BigInteger challengeBelow(String label, BigInteger bound) {
        if (bound.signum() <= 0) {
            throw new IllegalArgumentException("challenge bound must be positive");
        }
        int bits = bound.bitLength();
        int nBytes = (bits + 7) / 8;
        for (int attempt = 0; ; attempt++) {
            byte[] raw = challengeBytes(label + "#" + attempt, nBytes);
            int excess = nBytes * 8 - bits;
            if (excess > 0) {
                raw[0] &= (byte) (0xff >>> excess);
            }
            BigInteger c = new BigInteger(1, raw);
            if (c.compareTo(bound) < 0) {
                return c;
            }
        }
    }
}
