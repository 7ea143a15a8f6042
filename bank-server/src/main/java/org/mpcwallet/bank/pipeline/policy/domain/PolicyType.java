package org.mpcwallet.bank.pipeline.policy.domain;


/** The kinds of policy rule (the {@code policies.type} column). Which value fields each uses: see {@link Policy}. */
public enum PolicyType {
    ADDRESS_DENYLIST, TOKEN_DENYLIST, TX_LIMIT, DAILY_LIMIT, APPROVAL_REQUIRED, ADDRESS_ALLOWLIST
}
