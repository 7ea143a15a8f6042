package org.mpcwallet.bank.wallet.domain;

/**
 * Lifecycle of a wallet: {@code PENDING_KEYGEN -> ACTIVE} (key and address known) or {@code -> FAILED}; an ACTIVE
 * wallet whose key locked is rotated and, once swept, {@code -> RETIRED} (terminal; docs/key-rotation.md).
 */
public enum WalletStatus {
    PENDING_KEYGEN, ACTIVE, FAILED, RETIRED
}
