package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code approvals} (V7): one user's vote on a transaction request, {@code APPROVE} or {@code REJECT}, with
 * an optional comment; the key is the request and the user (one vote each).
 */
@MappedEntity("approvals")
public record Approval(UUID txRequestId, UUID userId, String decision, @Nullable String comment, Instant createdAt) {
}
