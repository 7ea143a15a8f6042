package org.mpcwallet.bank.wallet.domain;

import java.time.Instant;
import java.util.UUID;
import org.mpcwallet.bank.auth.domain.WalletRole;

/** One row of {@code wallet_roles}. */
public record RoleGrant(UUID walletId, UUID userId, WalletRole role, Instant grantedAt) {
}
