package org.mpcwallet.bank.auth.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.persistence.LoginThrottleRepository;
import org.mpcwallet.bank.auth.persistence.UserRepository.NamedRoles;
import org.mpcwallet.bank.auth.persistence.UserRepository;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;

/**
 * An ADMIN sets a user's bank roles (docs/controls-hardening.md §1): staff accounts and signatories the bank verified
 * (SIGNATORY) come from here, never from self-registration. The change bumps the user's {@code auth_version} (V15), so
 * the user's tokens of the old roles stop working within seconds. Audited {@code USER_ROLES_CHANGED}.
 */
@Singleton
public class UserAdmin {
    private final TransactionRunner transactions;
    private final AuditLog audit;
    private final JsonMapper json;
    private final UserStates states;
    private final UserRepository users;
    private final LoginThrottleRepository throttles;

    public UserAdmin(TransactionRunner transactions, AuditLog audit, JsonMapper json, UserStates states,
                     UserRepository users, LoginThrottleRepository throttles) {
        this.transactions = transactions;
        this.audit = audit;
        this.json = json;
        this.states = states;
        this.users = users;
        this.throttles = throttles;
    }

    /** The user's id, username and new roles. */
    public record Roles(UUID userId, String username, List<String> roles) {
    }

    public Roles setRoles(Caller caller, String userId, List<String> roles) {
        Plan plan = plan(caller, userId, roles);
        Roles result = transactions.inTransaction(() -> apply(caller, plan, null));
        states.invalidate(plan.userId());
        return result;
    }

    /** A role change checked (ADMIN only, known roles, an ADMIN keeps their own ADMIN): the user and the roles. */
    public record Plan(UUID userId, List<String> roles) {
    }

    public Plan plan(Caller caller, String userId, List<String> roles) {
        if (!caller.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only an ADMIN sets bank roles.");
        }
        UUID id = userId(userId);
        if (roles == null || roles.isEmpty() || roles.size() > Role.values().length) {
            throw new WalletException(Kind.INVALID_REQUEST, "roles: one or more of " + List.of(Role.values()));
        }
        Set<String> wanted = new TreeSet<>();
        for (String r : roles) {
            try {
                wanted.add(Role.valueOf(r == null ? "" : r).name());
            } catch (IllegalArgumentException e) {
                throw new WalletException(Kind.INVALID_REQUEST, "roles: each must be one of "
                        + List.of(Role.values()));
            }
        }
        if (id.equals(caller.userId()) && !wanted.contains(Role.ADMIN.name())) {
            throw new WalletException(Kind.CONFLICT, "An ADMIN does not remove their own ADMIN role.");
        }
        return new Plan(id, List.copyOf(wanted));
    }

    /** The user's name and roles now (404 if there is no such user). */
    public NamedRoles current(UUID userId) {
        return transactions.inTransaction(() -> users.lockRoles(userId)
                .orElseThrow(UserAdmin::noSuchUser));
    }

    /**
     * Sets the roles in the caller's Micronaut transaction (the repository joins it); audited USER_ROLES_CHANGED
     * (with the change, if four eyes).
     */
    public Roles apply(Caller caller, Plan plan, String changeId) throws SQLException {
        NamedRoles before = users.lockRoles(plan.userId()).orElseThrow(UserAdmin::noSuchUser);
        users.setRoles(plan.userId(), plan.roles());
        audit.appendInTransaction(caller.actor(), "USER_ROLES_CHANGED", AuditPayload.of(json, "userId",
                plan.userId().toString(), "username", before.username(), "before", before.roles(), "after",
                plan.roles(), "changeId", changeId));
        return new Roles(plan.userId(), before.username(), plan.roles());
    }

    /** Who lists users: ADMIN and OPERATOR (docs/admin-console.md, the role matrix). */
    static final Set<Role> LISTERS = Set.of(Role.ADMIN, Role.OPERATOR);

    /** A page of users, searchable by username or email, or by a bank role. */
    public org.mpcwallet.bank.paging.Page<UserRepository.Listed> list(Caller caller, String q, String role,
                                                                      String cursor, Integer limit) {
        if (caller.bankRoles().stream().noneMatch(LISTERS::contains)) {
            throw new WalletException(Kind.FORBIDDEN, "Users are listed for ADMIN and OPERATOR.");
        }
        String search = q == null || q.isBlank() ? null : q.strip();
        if (search != null && (search.length() > 100 || search.codePoints().anyMatch(Character::isISOControl))) {
            throw new WalletException(Kind.INVALID_REQUEST, "q: up to 100 characters, no control characters");
        }
        String r = null;
        if (role != null && !role.isBlank()) {
            try {
                r = Role.valueOf(role.strip()).name();
            } catch (IllegalArgumentException e) {
                throw new WalletException(Kind.INVALID_REQUEST, "role must be one of " + List.of(Role.values()));
            }
        }
        String roleFilter = r;
        int n = org.mpcwallet.bank.paging.Cursors.limit(limit);
        org.mpcwallet.bank.paging.Cursors.TimeKey after = org.mpcwallet.bank.paging.Cursors.timeKey("users", cursor);
        return transactions.inTransaction(() -> org.mpcwallet.bank.paging.Page.of(users.page(search,
                roleFilter, after, n), n, u -> org.mpcwallet.bank.paging.Cursors.timeCursor("users", u.createdAt(),
                u.id())));
    }

    /**
     * An ADMIN disables (or enables again) a user: effective at once — their tokens stop on the next request (the
     * version moves on and the cached state is dropped); audited {@code USER_DISABLED} / {@code USER_ENABLED}. An
     * ADMIN does not disable themselves.
     */
    public void setDisabled(Caller caller, String userId, boolean disabled) {
        if (!caller.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only an ADMIN disables or enables a user.");
        }
        UUID id = userId(userId);
        if (disabled && id.equals(caller.userId())) {
            throw new WalletException(Kind.CONFLICT, "An ADMIN does not disable their own account.");
        }
        transactions.inTransaction(() -> {
            String username = users.username(id).orElseThrow(UserAdmin::noSuchUser);
            users.setDisabled(id, disabled);
            audit.appendInTransaction(caller.actor(), disabled ? "USER_DISABLED" : "USER_ENABLED", AuditPayload.of(json,
                    "userId", id.toString(), "username", username));
            return null;
        });
        states.invalidate(id);
    }

    /** Forgets the cached state of {@code userId} (after its roles changed). */
    public void invalidate(UUID userId) {
        states.invalidate(userId);
    }

    /**
     * An ADMIN clears a user's failed sign-ins and lockout (docs/controls-hardening.md §4); audited
     * {@code AUTH_LOCKOUT_CLEARED}. Returns whether there was anything to clear.
     */
    public boolean clearLoginLockout(Caller caller, String userId) {
        if (!caller.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only an ADMIN clears a lockout.");
        }
        UUID id = userId(userId);
        return transactions.inTransaction(() -> {
            String username = users.username(id).orElseThrow(UserAdmin::noSuchUser);
            boolean cleared = throttles.clear(id);
            audit.appendInTransaction(caller.actor(), "AUTH_LOCKOUT_CLEARED", AuditPayload.of(json, "userId",
                    id.toString(), "username", username, "hadFailures", cleared));
            return cleared;
        });
    }

    private static UUID userId(String userId) {
        try {
            return UUID.fromString(userId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw noSuchUser();
        }
    }

    private static WalletException noSuchUser() {
        return new WalletException(Kind.NOT_FOUND, "No such user.");
    }
}
