package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code wallet_rotations} (V13): a wallet whose key locked, its successor, why, who authorized it, and when
 * the old wallet was retired (null until then).
 */
@MappedEntity("wallet_rotations")
public record WalletRotation(@Id UUID oldWalletId, UUID newWalletId, String reason, UUID authorizedBy,
                             Instant createdAt, @Nullable Instant retiredAt) {
}
