package org.mpcwallet.bank.audit.domain;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The audit chain's hash (docs/bank-server.md, "Audit log"):
 * <pre>
 *   hash = SHA-256( prev_hash (32 bytes) || canonical )
 *   canonical = 0x01                                  format version
 *            || seq                                   int64, big-endian
 *            || occurred_at                           int64 microseconds since 1970-01-01T00:00:00Z, big-endian
 *            || len(actor)   || UTF-8(actor)          len = uint32 big-endian byte count
 *            || len(type)    || UTF-8(type)
 *            || len(payload) || UTF-8(payload)        the JSON text exactly as stored
 * </pre>
 * The first event's prev_hash is 32 zero bytes. Strings that are not well-formed UTF-16 (lone surrogates) are
 * rejected, so two different strings never encode to the same bytes.
 */
public final class AuditChain {
    public static final byte FORMAT_VERSION = 1;

    private AuditChain() {
    }

    /** Microseconds since the epoch; the instant must have microsecond precision. */
    public static long epochMicros(Instant t) {
        if (!t.equals(t.truncatedTo(ChronoUnit.MICROS))) {
            throw new IllegalArgumentException("occurredAt must have microsecond precision");
        }
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    /** The canonical encoding of an event's content (everything but the hashes). */
    public static byte[] canonical(long seq, Instant occurredAt, String actor, String type, String payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + payload.length());
        out.write(FORMAT_VERSION);
        out.writeBytes(ByteBuffer.allocate(16).putLong(seq).putLong(epochMicros(occurredAt)).array());
        writeString(out, actor);
        writeString(out, type);
        writeString(out, payload);
        return out.toByteArray();
    }

    /** {@code SHA-256(prevHash || canonical(...))}. */
    public static Hash hash(Hash prevHash, long seq, Instant occurredAt, String actor, String type, String payload) {
        MessageDigest sha = sha256();
        sha.update(prevHash.toBytes());
        sha.update(canonical(seq, occurredAt, actor, type, payload));
        return Hash.of(sha.digest());
    }

    /** Recomputes an event's hash from its stored content and its stored prev_hash. */
    public static Hash recompute(AuditEvent e) {
        return hash(e.prevHash(), e.seq(), e.occurredAt(), e.actor(), e.type(), e.payload());
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] utf8;
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            utf8 = new byte[b.remaining()];
            b.get(utf8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text is not well-formed Unicode");
        }
        out.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
        out.writeBytes(utf8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
