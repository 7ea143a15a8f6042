package org.mpcwallet.bank.mpc.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code mpc_sessions} (V6): one session of the channel, docs/mpc-channel.md. */
@MappedEntity("mpc_sessions")
public record MpcSessionRow(@Id UUID id, String kind, UUID walletId, @Nullable UUID requestId, UUID userId,
                            String status, byte[] sid, int lastSeq, @Nullable String failureCode,
                            @Nullable String failureDetail, Instant createdAt, Instant updatedAt,
                            Instant deadlineAt) {
}
