package org.mpcwallet.bank.integration.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code api_client_keys} (V20): an Ed25519 public key (SPKI DER); valid until {@code expiresAt} if set. */
@MappedEntity("api_client_keys")
public record ApiClientKeyRow(@Id UUID id, UUID clientId, byte[] publicKey, Instant createdAt,
                              @Nullable Instant expiresAt) {
    /** Whether the key verifies requests at {@code now}. */
    public boolean activeAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }
}
