package org.mpcwallet.bank.audit.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * One event of the audit chain as stored. {@code occurredAt} has microsecond precision (PostgreSQL's
 * {@code timestamptz}); {@code payload} is JSON text, hashed and stored byte for byte.
 */
public record AuditEvent(long seq, Instant occurredAt, String actor, String type, String payload,
                         Hash prevHash, Hash hash) {
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    public AuditEvent {
        if (seq <= 0) {
            throw new IllegalArgumentException("seq must be positive");
        }
        if (!occurredAt.equals(occurredAt.truncatedTo(ChronoUnit.MICROS))) {
            throw new IllegalArgumentException("occurredAt must have microsecond precision");
        }
        checkActor(actor);
        checkType(type);
        if (payload == null) {
            throw new IllegalArgumentException("payload is required");
        }
        if (prevHash == null || hash == null) {
            throw new IllegalArgumentException("hashes are required");
        }
    }

    /** An actor is 1-200 characters: a user id, a service name ("bank-server"), an admin's name. */
    public static void checkActor(String actor) {
        if (actor == null || actor.isEmpty() || actor.length() > 200) {
            throw new IllegalArgumentException("actor must be 1-200 characters");
        }
    }

    /** A type is an upper-case name: {@code [A-Z][A-Z0-9_]{0,63}}, e.g. {@code WALLET_CREATED}. */
    public static void checkType(String type) {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("type must match [A-Z][A-Z0-9_]{0,63}");
        }
    }
}
