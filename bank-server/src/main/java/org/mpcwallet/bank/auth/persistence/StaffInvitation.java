package org.mpcwallet.bank.auth.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code staff_invitations} (V23): SHA-256 of the one-time code, never the code. */
@MappedEntity("staff_invitations")
public record StaffInvitation(@Id UUID userId, byte[] codeHash, UUID createdBy, Instant createdAt, Instant expiresAt,
                              @Nullable Instant acceptedAt) {

    /** An invitation just made: not accepted. */
    public static StaffInvitation issued(UUID userId, byte[] codeHash, UUID createdBy, Instant at, Instant expiresAt) {
        return new StaffInvitation(userId, codeHash, createdBy, at, expiresAt, null);
    }

    @Override
    public String toString() {
        return "StaffInvitation[userId=" + userId + ", expiresAt=" + expiresAt + ", acceptedAt=" + acceptedAt + "]";
    }
}
