package org.mpcwallet.bank.auth.domain;

/**
 * Bank-wide roles: staff roles, the end-user role {@link #CUSTOMER}, and {@link #SIGNATORY}: a signatory the bank
 * verified, who may be made an approver of a wallet (docs/custody-pipeline.md "Who may approve"). Stored by name in
 * {@code users.roles}.
 */
public enum Role {
    ADMIN, OPERATOR, COMPLIANCE, VIEWER, CUSTOMER, SIGNATORY
}
