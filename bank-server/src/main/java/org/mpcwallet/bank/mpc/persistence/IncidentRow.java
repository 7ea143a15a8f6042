package org.mpcwallet.bank.mpc.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code incidents} (V6: a key locked by a failed signature, and when it was resolved). */
@MappedEntity("incidents")
public record IncidentRow(@Id UUID id, String kind, @Nullable UUID walletId, @Nullable String keysetId,
                          @Nullable UUID sessionId, String detail, String status, Instant createdAt,
                          @Nullable Instant resolvedAt) {
}
