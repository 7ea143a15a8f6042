package org.mpcwallet.bank.wallet.domain;

/** Where the wallet's key lives: today only two-party ECDSA (bank share + device share). */
public enum CustodyBackend {
    MPC_2PC
}
