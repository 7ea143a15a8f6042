package org.mpcwallet.bank.wallet.domain;

/** Lifecycle of a wallet: {@code PENDING_KEYGEN -> ACTIVE} (key and address known) or {@code -> FAILED}. */
public enum WalletStatus {
    PENDING_KEYGEN, ACTIVE, FAILED
}
