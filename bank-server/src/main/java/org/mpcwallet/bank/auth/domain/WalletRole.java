package org.mpcwallet.bank.auth.domain;

/** Roles a user holds on one wallet (table {@code wallet_roles}); used once wallets exist. */
public enum WalletRole {
    OWNER, OPERATOR, VIEWER, APPROVER
}
