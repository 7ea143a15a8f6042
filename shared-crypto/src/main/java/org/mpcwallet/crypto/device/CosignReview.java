package org.mpcwallet.crypto.device;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.eth.EthTransaction;

/**
 * The co-sign dialog's content (what you see is what you sign): what this device decoded from the bank's sign
 * request and recomputed itself ({@link CosignCheck.Review}), next to the transfer the user created, and the
 * verdict. A refusal is a review with no rows to sign and the reason; the dialog has no button to override it.
 * Shared by the desktop window's dialog and the browser wallet's (the worker computes it, the page only shows it).
 */
public record CosignReview(String title, List<Row> rows, boolean mayCoSign, String verdict) {
    /** One line of the dialog; {@code emphasis}: what the user must compare (recipient, amount, maximum fee). */
    public record Row(String label, String value, boolean emphasis) {
    }

    /**
     * The transfer the user created, as the dialog names it: its id and note, recipient, amount in base units (decimal
     * text), asset symbol and token contract (null for ETH).
     */
    public record Asked(String id, String note, String to, String amount, String asset, String tokenAddress) {
    }

    public CosignReview {
        rows = List.copyOf(rows);
    }

    /** A sign request the device checked and found to be the user's transfer {@code asked}. */
    public static CosignReview matching(CosignCheck.Review r, Asked asked) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("Pays", r.recipient(), true));
        rows.add(new Row("Amount", r.amountText(), true));
        if (r.asset().decimals() < 0) {
            rows.add(new Row("", "This device does not know the token's decimals, so it shows base units", false));
        }
        if (r.tokenContract() != null) {
            rows.add(new Row("Token contract", r.tokenContract(), false));
        }
        rows.add(new Row("Network", network(r.chainId()), false));
        rows.add(new Row("Maximum fee", r.maxFeeEth() + " ETH", true));
        if (r.tokenContract() == null) {
            rows.add(new Row("Total at most", Amounts.eth(r.valueWei().add(r.maxFeeWei())) + " ETH", true));
        }
        rows.add(new Row("Fee cap per gas", r.feeCapGwei() + " gwei" + (r.priorityFeeGwei() == null ? ""
                : " (tip up to " + r.priorityFeeGwei() + " gwei)") + ", gas limit " + r.gasLimit(), false));
        rows.add(new Row("Transaction", type(r.type()) + ", nonce " + r.nonce(), false));
        rows.add(new Row("Signing hash", r.signingHashHex(), false));
        String note = asked.note() == null || asked.note().isBlank() ? "" : " (\"" + asked.note() + "\")";
        return new CosignReview("Co-sign transfer " + asked.id(), rows, true, "This is exactly the transfer you "
                + "created" + note + ": same recipient, amount and asset. The device computed this itself from the "
                + "bank's request.");
    }

    /** A sign request the device refused: the reason, and what the user asked for. */
    public static CosignReview refused(String reason, Asked asked) {
        List<Row> rows = new ArrayList<>();
        if (asked != null) {
            rows.add(new Row("You asked to pay", asked.to(), true));
            rows.add(new Row("Amount asked", asked.tokenAddress() == null && asked.amount() != null
                    ? Amounts.eth(new BigInteger(asked.amount())) + " ETH" : asked.amount() + " base units of "
                    + asked.asset(), true));
        }
        return new CosignReview("Refused: this is not what you asked to sign", rows, false, sentence(reason)
                + " Nothing was signed. Tell your bank; do not sign this request elsewhere.");
    }

    /** A chain id as its name: the networks a bank uses, else the id. */
    public static String network(BigInteger chainId) {
        if (chainId == null) {
            return "unknown";
        }
        return switch (chainId.toString()) {
            case "1" -> "Ethereum mainnet (chain 1)";
            case "11155111" -> "Sepolia test network (chain 11155111)";
            case "17000" -> "Holesky test network (chain 17000)";
            case "31337" -> "Local test chain (chain 31337)";
            default -> "chain " + chainId;
        };
    }

    /** {@code text} as a sentence: capitalised, ending with a full stop. */
    public static String sentence(String text) {
        if (text == null || text.isBlank()) {
            return "Something went wrong.";
        }
        String t = text.strip();
        t = Character.toUpperCase(t.charAt(0)) + t.substring(1);
        return t.endsWith(".") || t.endsWith("?") || t.endsWith("!") || t.endsWith(")") ? t : t + ".";
    }

    private static String type(EthTransaction.Type t) {
        return t == EthTransaction.Type.LEGACY ? "legacy (EIP-155)" : "EIP-1559";
    }
}
