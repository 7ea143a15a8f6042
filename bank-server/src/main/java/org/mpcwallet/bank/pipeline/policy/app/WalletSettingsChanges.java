package org.mpcwallet.bank.pipeline.policy.app;

import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.mpcwallet.bank.changes.app.ChangeApplier;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.domain.Wallet;

/**
 * A wallet's allowlist-only switch under four eyes (docs/admin-console.md "Four eyes"): a bank ADMIN's change, either
 * way, applies when a second ADMIN approves it — {@code WALLET_SETTINGS}, payload {@code walletId},
 * {@code allowlistOnly}. A wallet's OWNER turning it on (tightening their own wallet) applies at once.
 */
@Singleton
public class WalletSettingsChanges implements ChangeApplier {
    public static final String KIND = "WALLET_SETTINGS";

    private final WalletSettingsService settings;

    public WalletSettingsChanges(WalletSettingsService settings) {
        this.settings = settings;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(KIND);
    }

    /** Whether {@code caller}'s change waits for a second ADMIN (while four eyes are required): an ADMIN's does. */
    public static boolean needsFourEyes(Caller caller) {
        return caller.isAdmin();
    }

    public static Map<String, Object> payload(Wallet w, boolean allowlistOnly) {
        return Map.of("walletId", w.id().toString(), "allowlistOnly", allowlistOnly);
    }

    public static String summary(Wallet w, boolean allowlistOnly) {
        return (allowlistOnly ? "Turn allowlist-only on" : "Turn allowlist-only off") + " for wallet \"" + w.name()
                + "\" (" + w.id() + ")" + (allowlistOnly ? ": only addresses on its allowlist may receive"
                : ": any address may receive again, subject to the other rules");
    }

    @Override
    public Map<String, Object> apply(String kind, Caller proposer, Map<String, Object> payload,
                                     String changeId, String correlationId) throws SQLException {
        String walletId = (String) payload.get("walletId");
        boolean on = Boolean.TRUE.equals(payload.get("allowlistOnly"));
        WalletSettingsService.Settings s = settings.apply(proposer, walletId, on, correlationId, changeId);
        return Map.of("walletId", s.walletId().toString(), "allowlistOnly", s.allowlistOnly());
    }
}
