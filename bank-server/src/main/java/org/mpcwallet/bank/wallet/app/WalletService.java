package org.mpcwallet.bank.wallet.app;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.paging.Cursors;
import org.mpcwallet.bank.paging.Page;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.domain.RoleGrant;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.bank.wallet.persistence.WalletRepository;

/**
 * Wallets as their callers see them: the list, one wallet, its keyset metadata and its wallet-scoped roles, and the
 * access checks other features make on a wallet. Creating a wallet and its status changes are in
 * {@link WalletLifecycle}, granting and revoking roles in {@link WalletRoleGrants}. Blocking (JDBC): call it off the
 * event loop.
 *
 * <p>Visibility: staff (bank roles ADMIN, OPERATOR, COMPLIANCE, VIEWER) see every wallet; anyone else only wallets
 * on which they hold a wallet role. A wallet the caller may not see is answered as not found (404), never 403, so
 * wallet ids cannot be probed. Role grants are managed by the wallet's OWNERs and by ADMIN; a caller who sees the
 * wallet but may not manage it gets 403.
 *
 * <p>The methods other features call inside their transactions ({@link #requireRole}, {@link #holds}, {@link #find},
 * {@link #keysetLocked}) run in the caller's transaction: {@link WalletRepository} joins the current Micronaut
 * transaction (the row locks of {@link #requireRole} and {@link #find} need one).
 */
@Singleton
public class WalletService {
    private final TransactionRunner transactions;
    private final WalletRepository wallets;

    public WalletService(TransactionRunner transactions, WalletRepository wallets) {
        this.transactions = transactions;
        this.wallets = wallets;
    }

    /** The keyset metadata shown by {@code GET /v1/wallets/{id}/mpc}. */
    public record MpcInfo(Wallet wallet, boolean locked, Long epoch) {
    }

    /**
     * A page of the wallets the caller sees, newest first; filters: status, creation time in [from, to), and
     * {@code q}: a part of the name, the address or an owner's username (case-insensitive).
     */
    public Page<Wallet> list(Caller caller, String status, String createdFrom, String createdTo, String q,
                             String cursor, Integer limit) {
        String search = q == null || q.isBlank() ? null : q.strip();
        if (search != null && (search.length() > 100 || search.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f))) {
            throw new WalletException(Kind.INVALID_REQUEST, "q must be at most 100 printable characters");
        }
        WalletStatus st = status == null || status.isBlank() ? null : parse(WalletStatus.class, status, "status");
        Instant from = Cursors.instant("createdFrom", createdFrom);
        Instant to = Cursors.instant("createdTo", createdTo);
        int n = Cursors.limit(limit);
        Cursors.TimeKey after = Cursors.timeKey("wallets", cursor);
        return transactions.inTransaction(() -> Page.of(wallets.page(caller.isStaff() ? null : caller.userId(), st,
                from, to, search, after, n),
                n, w -> Cursors.timeCursor("wallets", w.createdAt(), w.id())));
    }

    public Wallet get(Caller caller, String walletId) {
        return transactions.inTransaction(() -> visible(caller, walletId));
    }

    public MpcInfo mpc(Caller caller, String walletId) {
        return transactions.inTransaction(() -> {
            Wallet w = visible(caller, walletId);
            return new MpcInfo(w, wallets.keysetLocked(w.keysetId()), wallets.keysetEpoch(w.keysetId()));
        });
    }

    public List<RoleGrant> roles(Caller caller, String walletId) {
        return transactions.inTransaction(() -> wallets.roles(visible(caller, walletId).id()));
    }

    /** The username of {@code userId} (its id when there is no such user), for what a proposal says. */
    public String username(UUID userId) {
        return transactions.inTransaction(() -> wallets.username(userId).orElse(userId.toString()));
    }

    // ---- access

    private Wallet visible(Caller caller, String walletId) {
        return access(caller, walletId, false, false);
    }

    /**
     * The wallet row-locked in the caller's transaction when the caller may manage its roles (OWNER or ADMIN); only
     * inside a transaction.
     */
    Wallet manageable(Caller caller, String walletId) {
        return access(caller, walletId, true, true);
    }

    private Wallet access(Caller caller, String walletId, boolean manage, boolean lock) {
        UUID id;
        try {
            id = UUID.fromString(walletId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw notFound();
        }
        Wallet w = wallets.find(id, lock).orElseThrow(WalletService::notFound);
        Set<WalletRole> mine = new LinkedHashSet<>();
        for (RoleGrant g : wallets.roles(id)) {
            if (g.userId().equals(caller.userId())) {
                mine.add(g.role());
            }
        }
        if (mine.isEmpty() && !caller.isStaff()) {
            throw notFound();
        }
        if (manage && !caller.isAdmin() && !mine.contains(WalletRole.OWNER)) {
            throw new WalletException(Kind.FORBIDDEN, "Only the wallet's OWNER or an ADMIN may manage its roles.");
        }
        return w;
    }

    /**
     * The wallet (row-locked in the caller's transaction) when the caller holds one of {@code walletRoles} on it or
     * one of {@code bankRoles}; NOT_FOUND when the caller may not see it (same answer as for no wallet), FORBIDDEN
     * when they see it without a required role.
     */
    public Wallet requireRole(Caller caller, String walletId, Set<WalletRole> walletRoles, Set<Role> bankRoles) {
        Wallet w = access(caller, walletId, false, true);
        if (caller.bankRoles().stream().anyMatch(bankRoles::contains)) {
            return w;
        }
        for (RoleGrant g : wallets.roles(w.id())) {
            if (g.userId().equals(caller.userId()) && walletRoles.contains(g.role())) {
                return w;
            }
        }
        throw new WalletException(Kind.FORBIDDEN, "This needs the " + walletRoles + " role on the wallet.");
    }

    /** Whether {@code userId} holds an active {@code role} on the wallet (no access check: for system callers). */
    public boolean holds(UUID walletId, UUID userId, WalletRole role) {
        return wallets.roles(walletId).stream().anyMatch(g -> g.userId().equals(userId) && g.role() == role);
    }

    /** The wallet row-locked in the caller's transaction, or null (no access check: for system callers). */
    public Wallet find(UUID walletId) {
        return wallets.find(walletId, true).orElse(null);
    }

    /** Whether the wallet's keyset is locked (a row in keyset_lock). */
    public boolean keysetLocked(String keysetId) {
        return wallets.keysetLocked(keysetId);
    }

    static WalletException notFound() {
        return new WalletException(Kind.NOT_FOUND, "No such wallet.");
    }

    // ---- validation

    /** {@code value} as a constant of {@code type}, any case; INVALID_REQUEST naming {@code field} otherwise. */
    static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        if (value == null || !allowed.contains(value.toUpperCase(Locale.ROOT))) {
            throw new WalletException(Kind.INVALID_REQUEST, field + " must be one of " + allowed);
        }
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }

    // ---- plumbing


    /** The database failed (500; the SQLSTATE is in the log, never in the answer). */
}
