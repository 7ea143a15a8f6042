package org.mpcwallet.bank.integration.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code webhook_deliveries} (V21, V29): one event for one subscription, PENDING until answered 2xx
 * (DELIVERED) or given up (FAILED); leased by a claim until {@code leaseUntil}; {@code retryBase} the attempts made
 * before the latest redelivery.
 */
@MappedEntity("webhook_deliveries")
public record WebhookDeliveryRow(@Id UUID id, UUID subscriptionId, UUID eventId, long auditSeq, String entity,
                                 String state, int attempts, Instant nextAttemptAt, @Nullable Instant leaseUntil,
                                 @Nullable Integer lastStatus, @Nullable String lastError,
                                 @Nullable Integer lastLatencyMs, @Nullable Instant deliveredAt, Instant createdAt,
                                 int retryBase) {
}
