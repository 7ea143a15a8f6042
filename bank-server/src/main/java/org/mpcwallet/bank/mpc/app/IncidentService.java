package org.mpcwallet.bank.mpc.app;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.mpc.domain.Incident;
import org.mpcwallet.bank.mpc.persistence.KeyIncidentRepository;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;

/**
 * Incidents (a key locked after a failed signature: retired for good) and the ADMIN's refresh authorization (routine
 * share rotation of an unlocked key only) that lets the wallet's
 * device run the refresh protocol (docs/mpc-channel.md "Key lock", docs/operations.md).
 */
@Singleton
public class IncidentService {
    static final Duration AUTHORIZATION_TTL = Duration.ofHours(24);

    public record RefreshAuthorization(UUID id, UUID walletId, String reason, Instant expiresAt) {
    }

    private final SignRequestService db;
    private final TransactionRunner transactions;
    private final KeyIncidentRepository incidents;
    private final WalletService wallets;
    private final AuditLog audit;

    public IncidentService(TransactionRunner transactions, SignRequestService db, KeyIncidentRepository incidents,
                           WalletService wallets, AuditLog audit) {
        this.db = db;
        this.transactions = transactions;
        this.incidents = incidents;
        this.wallets = wallets;
        this.audit = audit;
    }

    /**
     * A page of key incidents, oldest first (staff only; docs/integration.md "Pagination"); filters: status, wallet,
     * creation time in [createdFrom, createdTo).
     */
    public org.mpcwallet.bank.paging.Page<Incident> list(Caller caller, String status, String walletId,
                                                         String createdFrom, String createdTo, String cursor,
                                                         Integer limit) {
        requireStaff(caller);
        UUID wallet = null;
        if (walletId != null && !walletId.isBlank()) {
            try {
                wallet = UUID.fromString(walletId.strip());
            } catch (IllegalArgumentException e) {
                throw new WalletException(Kind.INVALID_REQUEST, "walletId must be a wallet id (a UUID)");
            }
        }
        UUID walletFilter = wallet;
        java.time.Instant from = org.mpcwallet.bank.paging.Cursors.instant("createdFrom", createdFrom);
        java.time.Instant to = org.mpcwallet.bank.paging.Cursors.instant("createdTo", createdTo);
        int n = org.mpcwallet.bank.paging.Cursors.limit(limit);
        org.mpcwallet.bank.paging.Cursors.TimeKey after = org.mpcwallet.bank.paging.Cursors.timeKey("incidents",
                cursor);
        return transactions.inTransaction(() -> org.mpcwallet.bank.paging.Page.of(incidents.page(status,
                walletFilter, from, to, after, n), n, i ->
                org.mpcwallet.bank.paging.Cursors.timeCursor("incidents", i.createdAt(), i.id())));
    }

    /** ADMIN only: lets the wallet's OWNER device run one refresh within 24 hours. */
    public RefreshAuthorization authorizeRefresh(Caller caller, String walletId, String reason) {
        if (!caller.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only an ADMIN authorizes a key refresh.");
        }
        String r = reason == null ? "" : reason.strip();
        if (r.isEmpty() || r.length() > 500) {
            throw new WalletException(Kind.INVALID_REQUEST, "reason is required (1-500 characters)");
        }
        return transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId, java.util.Set.of(), java.util.Set.of(Role.ADMIN));
            if (w.status() != WalletStatus.ACTIVE) {
                throw new WalletException(Kind.CONFLICT, "The wallet is " + w.status() + "; only an ACTIVE wallet's "
                        + "key is refreshed.");
            }
            if (wallets.keysetLocked(w.keysetId())) {
                throw new WalletException(Kind.CONFLICT, "The wallet's key is retired after a failed signature and "
                        + "is never refreshed (the device would carry over what it learned); rotate it: a new "
                        + "wallet and a sweep transfer (docs/operations.md).");
            }
            Instant now = db.now();
            // one open authorization per wallet (issue 10 §7): a second one while the first is unused and valid
            // would only pile up
            Optional<Instant> open = incidents.openRefreshAuthorizationUntil(w.id(), now);
            if (open.isPresent()) {
                throw new WalletException(Kind.CONFLICT, "The wallet already has an open refresh authorization "
                        + "(valid until " + open.get() + "); its owner runs the refresh.");
            }
            RefreshAuthorization a = new RefreshAuthorization(UUID.randomUUID(), w.id(), r,
                    now.plus(AUTHORIZATION_TTL));
            incidents.insertRefreshAuthorization(a.id(), w.id(), caller.userId(), r, now, a.expiresAt());
            audit.appendInTransaction(caller.actor(), "REFRESH_AUTHORIZED", db.payload("walletId", w.id().toString(),
                    "authorizationId", a.id().toString(), "reason", r, "locked",
                    wallets.keysetLocked(w.keysetId())));
            return a;
        });
    }

    private static void requireStaff(Caller caller) {
        if (!caller.bankRoles().contains(Role.ADMIN) && !caller.bankRoles().contains(Role.COMPLIANCE)) {
            throw new WalletException(Kind.FORBIDDEN, "Incidents are for ADMIN and COMPLIANCE.");
        }
    }
}
