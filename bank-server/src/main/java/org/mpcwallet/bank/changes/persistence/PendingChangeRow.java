package org.mpcwallet.bank.changes.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code pending_changes} (V25): a change to the controls waiting for a second ADMIN, and its decision. */
@MappedEntity("pending_changes")
public record PendingChangeRow(@Id UUID id, String kind, String payload, String summary, String status,
                               UUID proposedBy, Instant createdAt, @Nullable UUID decidedBy,
                               @Nullable Instant decidedAt, @Nullable String comment, @Nullable String outcome) {
}
