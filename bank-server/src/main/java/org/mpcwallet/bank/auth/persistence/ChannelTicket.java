package org.mpcwallet.bank.auth.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code mpc_tickets} (V18): the hash of a single-use ticket that admits one WebSocket upgrade to the MPC
 * channel, the user it was issued to and that user's {@code auth_version} at the time. {@code usedAt} is null until
 * an upgrade presents it.
 */
@MappedEntity("mpc_tickets")
public record ChannelTicket(@Id UUID id, byte[] ticketHash, UUID userId, long authVersion, Instant createdAt,
                            Instant expiresAt, @Nullable Instant usedAt) {

    @Override
    public String toString() {
        return "ChannelTicket[id=" + id + ", userId=" + userId + ", expiresAt=" + expiresAt + ", usedAt=" + usedAt
                + "]";
    }
}
