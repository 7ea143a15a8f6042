package org.mpcwallet.bank.wallet.app;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.auth.domain.Role;

/**
 * The authenticated caller: user id (token claim {@code uid}), username and bank-wide roles (parsed at the edge: a
 * role name the bank does not know grants nothing).
 */
public record Caller(UUID userId, String username, Set<Role> bankRoles) {
    /** Bank roles that see every wallet (read only, except ADMIN who also manages roles). */
    public static final Set<Role> STAFF = EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.COMPLIANCE, Role.VIEWER);

    public Caller {
        bankRoles = bankRoles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(bankRoles));
    }

    /** A caller from a token's role names; names that are no {@link Role} are dropped. */
    public static Caller of(UUID userId, String username, java.util.Collection<String> roleNames) {
        return new Caller(userId, username, Role.known(roleNames));
    }

    /** Whether the caller holds any of {@code roles}. */
    public boolean hasAny(Role... roles) {
        for (Role r : roles) {
            if (bankRoles.contains(r)) {
                return true;
            }
        }
        return false;
    }

    public boolean isStaff() {
        return bankRoles.stream().anyMatch(STAFF::contains);
    }

    /** Bank roles whose holders may approve transfers (once an ADMIN made them APPROVER of a wallet). */
    public static final Set<Role> APPROVER_ELIGIBLE = EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.COMPLIANCE,
            Role.SIGNATORY);

    /** Whether these bank roles make a user eligible to approve: staff or a registered signatory. */
    public static boolean eligibleApprover(Set<Role> bankRoles) {
        return bankRoles.stream().anyMatch(APPROVER_ELIGIBLE::contains);
    }

    public boolean isAdmin() {
        return bankRoles.contains(Role.ADMIN);
    }

    /** The username prefix of API clients' user rows (docs/integration.md): their actor is {@code client:<name>}. */
    public static final String CLIENT_USER_PREFIX = "api.";

    public String actor() {
        return username.startsWith(CLIENT_USER_PREFIX) ? "client:" + username.substring(CLIENT_USER_PREFIX.length())
                : "user:" + username;
    }
}
