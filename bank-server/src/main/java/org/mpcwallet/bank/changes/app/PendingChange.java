package org.mpcwallet.bank.changes.app;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A change to the controls waiting for (or past) a second ADMIN's decision. {@code payload} is the change as
 * proposed, {@code outcome} what applying it gave (APPLIED) or why it could not (FAILED).
 */
public record PendingChange(UUID id, String kind, Map<String, Object> payload, String summary, Status status,
                            UUID proposedBy, String proposedByName, Instant createdAt, UUID decidedBy,
                            String decidedByName, Instant decidedAt, String comment, Map<String, Object> outcome) {

    /** Where a change stands. */
    public enum Status { PENDING, APPLIED, REJECTED, FAILED }
}
