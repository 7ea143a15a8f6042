package org.mpcwallet.bank.mpc.domain;

import java.time.Instant;
import java.util.UUID;

/** An incident: a key locked after a failed signature (retired for good until rotated), OPEN or RESOLVED. */
public record Incident(UUID id, String kind, UUID walletId, String keysetId, UUID sessionId, String detail,
                       String status, Instant createdAt, Instant resolvedAt) {
}
