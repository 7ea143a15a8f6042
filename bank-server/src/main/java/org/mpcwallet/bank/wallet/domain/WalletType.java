package org.mpcwallet.bank.wallet.domain;

/** What a wallet is for. */
public enum WalletType {
    RETAIL, TREASURY, OPS, SETTLEMENT
}
