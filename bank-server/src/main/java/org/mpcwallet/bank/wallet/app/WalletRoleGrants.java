package org.mpcwallet.bank.wallet.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.domain.RoleGrant;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.persistence.WalletRepository;

/**
 * Granting and revoking wallet-scoped roles, audited ROLE_ASSIGNED and ROLE_REVOKED: at once, or checked first and
 * made later in a four-eyes change's transaction ({@link WalletRoleChanges}). Grants are managed by the wallet's
 * OWNERs and by ADMIN (the access rule is {@link WalletService}'s: 404 for a wallet the caller does not see, 403 for
 * one they see but may not manage); APPROVER is granted and revoked by a bank ADMIN only, and the wallet's last OWNER
 * cannot be removed. Blocking (JDBC): call it off the event loop.
 */
@Singleton
public class WalletRoleGrants {
    private final TransactionRunner transactions;
    private final WalletRepository wallets;
    private final WalletService access;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    public WalletRoleGrants(TransactionRunner transactions, WalletRepository wallets, WalletService access,
                            AuditLog audit, JsonMapper json) {
        this.transactions = transactions;
        this.wallets = wallets;
        this.access = access;
        this.audit = audit;
        this.json = json;
    }

    /** Grants {@code role} on the wallet to {@code userId}; OWNER or ADMIN only. */
    public RoleGrant assign(Caller caller, String walletId, String userId, String role, String correlationId) {
        WalletRole wr = WalletService.parse(WalletRole.class, role, "role");
        UUID target = parseUuid(userId, "userId");
        Instant now = now();
        return transactions.inTransaction(() -> assign(caller, walletId, target, wr, now, correlationId, null));
    }

    /**
     * Checks a grant as {@link #assign} does, without making it — for a proposal a second ADMIN approves (four
     * eyes); returns the wallet.
     */
    public Wallet checkAssign(Caller caller, String walletId, String userId, String role) {
        WalletRole wr = WalletService.parse(WalletRole.class, role, "role");
        UUID target = parseUuid(userId, "userId");
        return transactions.inTransaction(() -> {
            Wallet w = access.manageable(caller, walletId);
            checkGrant(caller, w, target, wr);
            return w;
        });
    }

    /** Grants in the caller's transaction, audited ROLE_ASSIGNED (with the change, if four eyes). */
    public RoleGrant assign(Caller caller, String walletId, UUID target, WalletRole wr, Instant now,
                            String correlationId, String changeId) throws SQLException {
        Wallet w = access.manageable(caller, walletId);
        checkGrant(caller, w, target, wr);
        if (!wallets.grant(w.id(), target, wr, now, caller.userId())) {
            throw new WalletException(Kind.CONFLICT, "The user already holds this role on the wallet.");
        }
        audit.appendInTransaction(caller.actor(), "ROLE_ASSIGNED", payload("walletId", w.id().toString(), "userId",
                target.toString(), "role", wr.name(), "byUserId", caller.userId().toString(), "changeId", changeId,
                "correlationId", correlationId));
        return new RoleGrant(w.id(), target, wr, now);
    }

    private void checkGrant(Caller caller, Wallet w, UUID target, WalletRole wr) {
        if (!wallets.userEnabled(target)) {
            throw new WalletException(Kind.INVALID_REQUEST, "userId: no such user");
        }
        List<RoleGrant> current = wallets.roles(w.id());
        if (wr == WalletRole.APPROVER) {
            // docs/custody-pipeline.md "Who may approve": a bank decision, never the spender's
            if (!caller.isAdmin()) {
                throw new WalletException(Kind.FORBIDDEN, "APPROVER is granted by a bank ADMIN, never by the "
                        + "wallet's owner or operator.");
            }
            if (!Caller.eligibleApprover(wallets.bankRoles(target))) {
                throw new WalletException(Kind.CONFLICT, "The user is neither staff nor a signatory the bank "
                        + "registered (bank role SIGNATORY); self-registered accounts cannot approve.");
            }
            if (current.stream().anyMatch(x -> x.userId().equals(target) && x.role() == WalletRole.OWNER)) {
                throw new WalletException(Kind.CONFLICT, "An owner of the wallet cannot approve its transfers.");
            }
        }
        if (wr == WalletRole.OWNER && current.stream().anyMatch(x -> x.userId().equals(target)
                && x.role() == WalletRole.APPROVER)) {
            throw new WalletException(Kind.CONFLICT, "An approver of the wallet cannot become its owner.");
        }
        if (current.stream().anyMatch(x -> x.userId().equals(target) && x.role() == wr)) {
            throw new WalletException(Kind.CONFLICT, "The user already holds this role on the wallet.");
        }
    }

    /** Revokes one grant; OWNER or ADMIN only; the wallet's last OWNER cannot be removed (409). */
    public void revoke(Caller caller, String walletId, String userId, String role, String correlationId) {
        RevokeTarget t = revokeTarget(caller, walletId, userId, role);
        transactions.inTransaction(() -> {
            revoke(caller, walletId, t.userId(), t.role(), correlationId, null);
            return null;
        });
    }

    /** A grant to revoke: its user and role. */
    public record RevokeTarget(UUID userId, WalletRole role) {
    }

    private RevokeTarget revokeTarget(Caller caller, String walletId, String userId, String role) {
        WalletRole wr;
        UUID target;
        try {
            wr = WalletRole.valueOf(role);
            target = UUID.fromString(userId);
        } catch (IllegalArgumentException | NullPointerException e) {
            manageable(caller, walletId); // 404/403 first, as for any other grant
            throw new WalletException(Kind.NOT_FOUND, "No such role grant.");
        }
        if (wr == WalletRole.APPROVER && !caller.isAdmin()) {
            manageable(caller, walletId); // 404/403 first, as for any other grant
            throw new WalletException(Kind.FORBIDDEN, "APPROVER is revoked by a bank ADMIN.");
        }
        return new RevokeTarget(target, wr);
    }

    /** Checks a revocation as {@link #revoke} does, without making it (four eyes); returns the wallet. */
    public Wallet checkRevoke(Caller caller, String walletId, String userId, String role) {
        RevokeTarget t = revokeTarget(caller, walletId, userId, role);
        return transactions.inTransaction(() -> {
            Wallet w = access.manageable(caller, walletId);
            if (wallets.roles(w.id()).stream().noneMatch(g -> g.userId().equals(t.userId())
                    && g.role() == t.role())) {
                throw new WalletException(Kind.NOT_FOUND, "No such role grant.");
            }
            return w;
        });
    }

    /** Revokes in the caller's transaction, audited ROLE_REVOKED (with the change, if four eyes). */
    public void revoke(Caller caller, String walletId, UUID target, WalletRole wr, String correlationId,
                       String changeId) throws SQLException {
        Wallet w = access.manageable(caller, walletId); // locks the wallet row: revocations queue here
        if (wr == WalletRole.OWNER) {
            long owners = wallets.roles(w.id()).stream().filter(g -> g.role() == WalletRole.OWNER).count();
            boolean isOwner = wallets.roles(w.id()).stream()
                    .anyMatch(g -> g.role() == WalletRole.OWNER && g.userId().equals(target));
            if (isOwner && owners <= 1) {
                throw new WalletException(Kind.CONFLICT, "The last OWNER of a wallet cannot be removed.");
            }
        }
        if (!wallets.revoke(w.id(), target, wr)) {
            throw new WalletException(Kind.NOT_FOUND, "No such role grant.");
        }
        audit.appendInTransaction(caller.actor(), "ROLE_REVOKED", payload("walletId", w.id().toString(), "userId",
                target.toString(), "role", wr.name(), "byUserId", caller.userId().toString(), "changeId", changeId,
                "correlationId", correlationId));
    }

    private void manageable(Caller caller, String walletId) {
        transactions.inTransaction(() -> access.manageable(caller, walletId));
    }

    private static UUID parseUuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WalletException(Kind.INVALID_REQUEST, field + " must be a UUID");
        }
    }

    // ---- plumbing

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }


    private String payload(Object... kv) {
        return AuditPayload.of(json, kv);
    }
}
