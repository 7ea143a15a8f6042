package org.mpcwallet.bank.web.idempotency.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A row of {@code idempotency_key} (V4), keyed by {@code (scope_hash, key)}: the claim of one idempotency key in one
 * scope (the request's hash; IN_PROGRESS, then DONE with the stored response).
 */
@MappedEntity("idempotency_key")
public record IdempotencyKeyRow(byte[] scopeHash, String key, byte[] requestHash, String state,
                                @Nullable Integer responseStatus, @Nullable String responseContentType,
                                @Nullable byte[] responseBody, Instant createdAt) {
}
