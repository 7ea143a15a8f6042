package org.mpcwallet.bank.pipeline.policy.domain;


/** The checks of {@link PolicyEngine}, in the order they run. */
public enum PolicyCheck {
    /** The wallet is allowlist-only and the recipient is on no ADDRESS_ALLOWLIST rule in scope. */
    ALLOWLIST_ONLY,
    ADDRESS_DENYLIST,
    TOKEN_DENYLIST,
    TX_LIMIT,
    DAILY_LIMIT
}
