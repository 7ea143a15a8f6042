package org.mpcwallet.bank.pipeline.policy.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code policies} (V7): one policy rule, its scope (a wallet, a wallet type, or neither: global), its value
 * fields by type, and whether it is still enabled (a disabled rule stays for the audit trail). Only
 * {@link PolicyRepository} sees it; callers get the domain {@code Policy}.
 */
@MappedEntity("policies")
public record PolicyRow(@Id UUID id, String type, @Nullable UUID walletId, @Nullable String walletType,
                        @Nullable String asset, @Nullable String address, @Nullable String token,
                        @Nullable BigDecimal limitAmount, @Nullable Integer approvals, boolean enabled,
                        UUID createdBy, Instant createdAt) {
}
