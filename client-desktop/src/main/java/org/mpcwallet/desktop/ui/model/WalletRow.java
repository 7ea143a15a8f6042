package org.mpcwallet.desktop.ui.model;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.device.Amounts;
import org.mpcwallet.desktop.core.Balances;
import org.mpcwallet.desktop.core.KeyInfo;
import org.mpcwallet.desktop.core.WalletInfo;

/**
 * One wallet as the wallets table shows it: name, type, status in words, address, balances in units ("1.5 ETH ·
 * 250 USDC"), the key's state ("epoch 2", or locked/retired with what to do), and whether this device holds the
 * share. {@code balances} and {@code key} may be null (a wallet without a key yet, or the bank did not answer).
 */
public record WalletRow(String id, String name, String type, String status, String address, String balances,
                        String key, boolean keyProblem, boolean shareHere, boolean active) {

    public static WalletRow of(WalletInfo w, Balances b, KeyInfo k, boolean shareHere) {
        boolean problem = k != null && (k.locked() || "RETIRED".equals(k.status()));
        String key;
        if (k == null) {
            key = "PENDING_KEYGEN".equals(w.status()) ? "not created yet" : "";
        } else if (k.locked()) {
            key = "Locked by the bank: contact your bank";
        } else if ("RETIRED".equals(k.status())) {
            key = "Retired: use the wallet that replaced it";
        } else {
            key = "Epoch " + (k.epoch() == null ? "?" : k.epoch()) + (shareHere ? "" : " · no share on this device");
        }
        return new WalletRow(w.id(), w.name(), w.type() == null ? "" : w.type(), status(w.status()),
                w.address() == null ? "" : w.address(), b == null ? "" : balances(b), key, problem, shareHere,
                "ACTIVE".equals(w.status()));
    }

    /** Balances in units, ETH first: "1.5 ETH · 250 USDC"; "0 ETH" for an empty wallet. */
    public static String balances(Balances b) {
        List<String> parts = new ArrayList<>();
        for (Balances.Balance x : b.balances()) {
            parts.add(units(x.amount(), x.decimals()) + " " + x.asset());
        }
        return parts.isEmpty() ? "0 ETH" : String.join(" · ", parts);
    }

    /** Base units {@code amount} at {@code decimals} in units; an amount the bank did not send is "?". */
    public static String units(String amount, int decimals) {
        if (amount == null) {
            return "?";
        }
        try {
            return Amounts.units(new BigInteger(amount), decimals);
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    private static String status(String s) {
        return switch (s) {
            case "ACTIVE" -> "Active";
            case "PENDING_KEYGEN" -> "Waiting for its key";
            case "FAILED" -> "Key creation failed";
            case "FROZEN" -> "Frozen by the bank";
            case "RETIRED" -> "Retired";
            default -> s;
        };
    }
}
