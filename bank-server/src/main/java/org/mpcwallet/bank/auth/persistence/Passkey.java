package org.mpcwallet.bank.auth.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A registered passkey, a row of {@code passkeys} (V24): its public part and the authenticator's state as last seen.
 */
@MappedEntity("passkeys")
public record Passkey(@Id UUID id, UUID userId, byte[] credentialId, byte[] credentialData, long signCount,
                      boolean uvInitialized, boolean backupEligible, boolean backupState, String name,
                      Instant createdAt, @Nullable Instant lastUsedAt) {
}
