package org.mpcwallet.bank.integration.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code webhook_subscriptions} (V21): an API client's subscription, its URL and event types, the audit
 * head when it was created ({@code fromSeq}), its disabled mark and its failure streak.
 */
@MappedEntity("webhook_subscriptions")
public record WebhookSubscriptionRow(@Id UUID id, UUID clientId, String url,
                                     @TypeDef(type = DataType.STRING_ARRAY) String[] eventTypes,
                                     @Nullable String description, long fromSeq, UUID createdBy, Instant createdAt,
                                     @Nullable Instant disabledAt, @Nullable String disabledReason,
                                     @Nullable Instant failingSince) {
}
