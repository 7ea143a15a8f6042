package org.mpcwallet.bank.auth.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code passkey_challenges} (V24): SHA-256 of the challenge token handed out, never the token. */
@MappedEntity("passkey_challenges")
public record PasskeyChallenge(@Id byte[] tokenHash, UUID userId, String purpose, byte[] challenge, Instant createdAt,
                               Instant expiresAt, @Nullable Instant usedAt) {
}
