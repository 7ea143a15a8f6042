package org.mpcwallet.bank.auth.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code refresh_tokens} (V2): a refresh token's hash, never the token. {@code revokedAt} is null while it
 * is usable; {@code replacedBy} names the token it was rotated into.
 */
@MappedEntity("refresh_tokens")
public record RefreshToken(@Id UUID id, byte[] tokenHash, UUID userId, UUID familyId, Instant createdAt,
                           Instant expiresAt, @Nullable Instant revokedAt, @Nullable UUID replacedBy,
                           boolean secondFactor) {

    /** A token just issued: usable, not rotated (V24: {@code secondFactor}, the sign-in used a passkey). */
    public static RefreshToken issued(UUID id, byte[] tokenHash, UUID userId, UUID familyId, Instant createdAt,
                                      Instant expiresAt, boolean secondFactor) {
        return new RefreshToken(id, tokenHash, userId, familyId, createdAt, expiresAt, null, null, secondFactor);
    }

    /** A token just issued by a password-only sign-in. */
    public static RefreshToken issued(UUID id, byte[] tokenHash, UUID userId, UUID familyId, Instant createdAt,
                                      Instant expiresAt) {
        return issued(id, tokenHash, userId, familyId, createdAt, expiresAt, false);
    }

    @Override
    public String toString() {
        return "RefreshToken[id=" + id + ", userId=" + userId + ", familyId=" + familyId + ", expiresAt=" + expiresAt
                + ", revokedAt=" + revokedAt + ", replacedBy=" + replacedBy + ", secondFactor=" + secondFactor + "]";
    }
}
