package org.mpcwallet.bank.auth.domain;

/** Bank-wide roles: staff roles and the end-user role {@link #CUSTOMER}. Stored by name in {@code users.roles}. */
public enum Role {
    ADMIN, OPERATOR, COMPLIANCE, VIEWER, CUSTOMER
}
