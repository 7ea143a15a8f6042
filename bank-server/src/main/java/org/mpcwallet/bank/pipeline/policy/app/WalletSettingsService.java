package org.mpcwallet.bank.pipeline.policy.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.pipeline.policy.persistence.PolicyRepository;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;

/**
 * {@code /v1/wallets/{id}/settings}: the wallet's {@code allowlistOnly} switch (docs/custody-pipeline.md, policy
 * check 1). Turned on by a bank ADMIN or the wallet's OWNER, off by an ADMIN only, read by anyone who sees the wallet;
 * audited WALLET_SETTINGS_CHANGED with the previous value. While four eyes are required, an ADMIN's change waits for a
 * second ADMIN ({@link WalletSettingsChanges}); an owner turning it on applies at once.
 */
@Singleton
public class WalletSettingsService {
    public static final Set<WalletRole> WALLET_READERS = Set.of(WalletRole.values());
    public static final Set<Role> BANK_READERS = Set.of(Role.ADMIN, Role.OPERATOR, Role.COMPLIANCE, Role.VIEWER);

    private final TransactionRunner transactions;
    private final WalletService wallets;
    private final AuditLog audit;
    private final JsonMapper json;
    private final PolicyRepository policyRows;

    public WalletSettingsService(TransactionRunner transactions, WalletService wallets, AuditLog audit,
                                 JsonMapper json, PolicyRepository policyRows) {
        this.transactions = transactions;
        this.wallets = wallets;
        this.audit = audit;
        this.json = json;
        this.policyRows = policyRows;
    }

    /** A wallet's settings. */
    public record Settings(UUID walletId, boolean allowlistOnly) {
    }

    public Settings get(Caller caller, String walletId) {
        return transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId, WALLET_READERS, BANK_READERS);
            return new Settings(w.id(), policyRows.allowlistOnly(w.id()));
        });
    }

    public Settings set(Caller caller, String walletId, Boolean allowlistOnly, String correlationId) {
        if (allowlistOnly == null) {
            throw new WalletException(Kind.INVALID_REQUEST, "allowlistOnly is required (true or false)");
        }
        return transactions.inTransaction(() -> apply(caller, walletId, allowlistOnly, correlationId, null));
    }

    /**
     * The wallet whose switch an ADMIN proposes to set (four eyes, {@link WalletSettingsChanges}): checks what
     * {@link #set} would, without changing anything.
     */
    public Wallet proposable(Caller caller, String walletId, Boolean allowlistOnly) {
        if (allowlistOnly == null) {
            throw new WalletException(Kind.INVALID_REQUEST, "allowlistOnly is required (true or false)");
        }
        return transactions.inTransaction(() -> wallets.requireRole(caller, walletId, Set.of(WalletRole.OWNER),
                Set.of(Role.ADMIN)));
    }

    /**
     * Sets the switch in the caller's transaction, audited WALLET_SETTINGS_CHANGED with the previous value (and the
     * four-eyes change that carried it, if any). Off needs an ADMIN: a control the bank relies on is loosened only by
     * the bank.
     */
    Settings apply(Caller caller, String walletId, boolean allowlistOnly, String correlationId,
                   String changeId) throws SQLException {
        Wallet w = wallets.requireRole(caller, walletId, Set.of(WalletRole.OWNER), Set.of(Role.ADMIN));
        boolean previous = policyRows.allowlistOnly(w.id());
        if (previous && !allowlistOnly && !caller.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only an ADMIN turns allowlist-only off.");
        }
        policyRows.setAllowlistOnly(w.id(), allowlistOnly);
        audit.appendInTransaction(caller.actor(), "WALLET_SETTINGS_CHANGED", AuditPayload.of(json, "walletId",
                w.id().toString(), "allowlistOnly", allowlistOnly, "previous", previous, "changeId", changeId,
                "correlationId", correlationId));
        return new Settings(w.id(), allowlistOnly);
    }

}
