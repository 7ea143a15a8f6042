package org.mpcwallet.bank.audit.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import org.mpcwallet.bank.audit.domain.AuditEvent;
import org.mpcwallet.bank.audit.domain.Hash;

/**
 * A row of {@code audit_event} (V1): one event of the hash chain, keyed by its sequence number;
 * {@code occurred_at} is {@code timestamptz}, the hashes {@code bytea} of 32 bytes, the payload the exact JSON text
 * that was hashed.
 */
@MappedEntity("audit_event")
public record AuditEventRow(@Id long seq, Instant occurredAt, String actor, String type, String payload,
                            byte[] prevHash, byte[] hash) {

    /**
     * The event this row holds.
     *
     * @throws AuditEventRepository.MalformedEventException when it is no well-formed event (the schema's checks
     *                                                      bypassed)
     */
    AuditEvent toEvent() {
        try {
            return new AuditEvent(seq, occurredAt, actor, type, payload, Hash.of(prevHash), Hash.of(hash));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new AuditEventRepository.MalformedEventException(seq, e.getMessage());
        }
    }
}
