package org.mpcwallet.bank.auth.domain;

/**
 * Bank-wide roles: staff roles, the end-user role {@link #CUSTOMER}, and {@link #SIGNATORY}: a signatory the bank
 * verified, who may be made an approver of a wallet (docs/custody-pipeline.md "Who may approve"). Stored by name in
 * {@code users.roles}.
 */
public enum Role {
    ADMIN, OPERATOR, COMPLIANCE, VIEWER, CUSTOMER, SIGNATORY;

    /** The roles among {@code names} (from a token or a row); a name the bank does not know grants nothing. */
    public static java.util.Set<Role> known(Iterable<String> names) {
        java.util.Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
        for (String name : names) {
            for (Role r : values()) {
                if (r.name().equals(name)) {
                    roles.add(r);
                }
            }
        }
        return roles;
    }

    /**
     * Whether a user with {@code roles} signs in with a passkey as second factor and steps up before the actions
     * that need it (docs/admin-console.md): every role but CUSTOMER — the staff, and signatories, who approve.
     */
    public static boolean needsSecondFactor(java.util.Collection<Role> roles) {
        return roles.stream().anyMatch(r -> r != CUSTOMER);
    }
}
