package org.mpcwallet.bank.wallet.domain;

/** The wallet's risk profile (drives policy limits later). */
public enum RiskProfile {
    LOW, MEDIUM, HIGH
}
