package org.mpcwallet.bank.pipeline.kyt.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code kyt_cases} (V7, docs/custody-pipeline.md "Controls"): one KYT case, on an outbound request
 * ({@code txRequestId}) or an inbound deposit ({@code depositId}); OPEN until compliance resolves it, then final.
 */
@MappedEntity("kyt_cases")
public record KytCase(@Id UUID id, String address, String direction, @Nullable UUID txRequestId,
                      @Nullable UUID depositId, String reason, String provider, Status status, Instant createdAt,
                      @Nullable Instant resolvedAt, @Nullable UUID resolvedBy, @Nullable String resolution) {

    /** A case's state: OPEN, or resolved ALLOWED or BLOCKED. */
    public enum Status { OPEN, ALLOWED, BLOCKED }
}
