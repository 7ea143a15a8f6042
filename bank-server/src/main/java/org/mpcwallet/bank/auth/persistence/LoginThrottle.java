package org.mpcwallet.bank.auth.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code login_throttle} (V17): one account's failed sign-ins. */
@MappedEntity("login_throttle")
record LoginThrottle(@Id UUID userId, int failures, @Nullable Instant lastFailureAt, @Nullable Instant nextAttemptAt,
                     @Nullable Instant lockedUntil, Instant updatedAt) {
}
