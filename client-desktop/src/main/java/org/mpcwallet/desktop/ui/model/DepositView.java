package org.mpcwallet.desktop.ui.model;

import org.mpcwallet.desktop.core.Deposit;

/** An incoming deposit as the wallet page shows it: the amount in units and its state in words. */
public final class DepositView {
    private DepositView() {
    }

    /** ETH in units ("0.5 ETH"); a token in base units with its symbol (the deposit does not carry decimals). */
    public static String amount(Deposit d) {
        if (d.token() == null) {
            return WalletRow.units(d.amount(), 18) + " ETH";
        }
        return (d.amount() == null ? "?" : d.amount()) + " base units of " + (d.asset() == null ? "a token"
                : d.asset());
    }

    /** The sender in its EIP-55 form (as the bank sent it when that is not an address). */
    public static String from(Deposit d) {
        try {
            return org.mpcwallet.crypto.eth.EthAddress.parse(d.from()).toChecksumHex();
        } catch (IllegalArgumentException e) {
            return d.from() == null ? "" : d.from();
        }
    }

    /** The state: held by compliance (KYT review), waiting for confirmations, confirmed, or dropped by a reorg. */
    public static String status(Deposit d) {
        if ("REVIEW".equals(d.kytVerdict()) || "BLOCK".equals(d.kytVerdict())) {
            return "REVIEW".equals(d.kytVerdict()) ? "Held by compliance" : "Blocked by compliance";
        }
        if (d.status() == null) {
            return "";
        }
        return switch (d.status()) {
            case "DETECTED" -> "Seen, waiting for confirmations";
            case "CONFIRMED" -> "Confirmed";
            case "REORGED" -> "Dropped by a chain reorganisation";
            default -> d.status();
        };
    }
}
