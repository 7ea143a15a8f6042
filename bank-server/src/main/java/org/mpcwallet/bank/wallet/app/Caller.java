package org.mpcwallet.bank.wallet.app;

import java.util.Set;
import java.util.UUID;

/** The authenticated caller: user id (token claim {@code uid}), username and bank-wide roles. */
public record Caller(UUID userId, String username, Set<String> bankRoles) {
    /** Bank roles that see every wallet (read only, except ADMIN who also manages roles). */
    static final Set<String> STAFF = Set.of("ADMIN", "OPERATOR", "COMPLIANCE", "VIEWER");

    public Caller {
        bankRoles = Set.copyOf(bankRoles);
    }

    public boolean isStaff() {
        return bankRoles.stream().anyMatch(STAFF::contains);
    }

    /** Bank roles whose holders may approve transfers (once an ADMIN made them APPROVER of a wallet). */
    public static final Set<String> APPROVER_ELIGIBLE = Set.of("ADMIN", "OPERATOR", "COMPLIANCE", "SIGNATORY");

    /** Whether these bank roles make a user eligible to approve: staff or a registered signatory. */
    public static boolean eligibleApprover(Set<String> bankRoles) {
        return bankRoles.stream().anyMatch(APPROVER_ELIGIBLE::contains);
    }

    public boolean isAdmin() {
        return bankRoles.contains("ADMIN");
    }

    public String actor() {
        return "user:" + username;
    }
}
