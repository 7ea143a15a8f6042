package org.mpcwallet.bank.wallet.app;

import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.changes.app.ChangeApplier;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.auth.domain.WalletRole;

/**
 * A wallet's APPROVERs under four eyes (docs/admin-console.md): granting or revoking APPROVER is a bank decision that
 * a second ADMIN approves — {@code WALLET_ROLE_GRANT} and {@code WALLET_ROLE_REVOKE}, payload {@code walletId},
 * {@code userId}, {@code role}. The other wallet roles (an owner's VIEWER or OPERATOR) apply at once.
 */
@Singleton
public class WalletRoleChanges implements ChangeApplier {
    public static final String GRANT = "WALLET_ROLE_GRANT";
    public static final String REVOKE = "WALLET_ROLE_REVOKE";

    private final WalletRoleGrants grants;

    public WalletRoleChanges(WalletRoleGrants grants) {
        this.grants = grants;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(GRANT, REVOKE);
    }

    /** Whether changing {@code role} needs a second ADMIN: APPROVER does. */
    public static boolean needsFourEyes(String role) {
        return WalletRole.APPROVER.name().equals(role);
    }

    public static Map<String, Object> payload(String walletId, String userId, String role) {
        return Map.of("walletId", walletId, "userId", userId, "role", role);
    }

    public static String summary(boolean grant, Wallet w, String username, String role) {
        String wallet = "wallet \"" + w.name() + "\" (" + w.id() + ")";
        return grant ? "Grant " + role + " on " + wallet + " to " + username
                : "Revoke " + role + " of " + username + " on " + wallet;
    }

    @Override
    public Map<String, Object> apply(String kind, Caller proposer, Map<String, Object> payload,
                                     String changeId, String correlationId) throws SQLException {
        String walletId = (String) payload.get("walletId");
        UUID userId = UUID.fromString((String) payload.get("userId"));
        WalletRole role = WalletRole.valueOf((String) payload.get("role"));
        if (GRANT.equals(kind)) {
            grants.assign(proposer, walletId, userId, role, Instant.now().truncatedTo(ChronoUnit.MICROS),
                    correlationId, changeId);
            return Map.of("walletId", walletId, "userId", userId.toString(), "role", role.name(), "granted", true);
        }
        grants.revoke(proposer, walletId, userId, role, correlationId, changeId);
        return Map.of("walletId", walletId, "userId", userId.toString(), "role", role.name(), "revoked", true);
    }
}
