package org.mpcwallet.bank.auth.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code step_up_grants} (V24): SHA-256 of the step-up token, never the token. */
@MappedEntity("step_up_grants")
public record StepUpGrant(@Id byte[] tokenHash, UUID userId, UUID passkeyId, Instant createdAt, Instant expiresAt,
                          @Nullable Instant usedAt, @Nullable String usedFor) {
}
