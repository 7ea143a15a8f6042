package org.mpcwallet.desktop.ui.model;

import java.util.Locale;
import org.mpcwallet.crypto.device.CosignReview;
import org.mpcwallet.desktop.core.BankApiException;
import org.mpcwallet.desktop.core.MpcException;
import org.mpcwallet.desktop.core.WalletException;

/**
 * What went wrong, as one sentence for the window (never a stack trace, a token or a secret): the bank's problem
 * answers, a bank that cannot be reached or answers garbage, the channel's failure codes, the device's own refusals.
 */
public final class Problems {
    private Problems() {
    }

    /** The sentence for {@code failure}. */
    public static String explain(Throwable failure) {
        if (failure instanceof MpcException m) {
            return channel(m);
        }
        if (failure instanceof BankApiException b) {
            return bank(b);
        }
        if (failure instanceof WalletException w) {
            String msg = w.getMessage() == null ? "the wallet refused" : w.getMessage();
            if (msg.startsWith("cannot reach the bank at ")) {
                String url = msg.substring("cannot reach the bank at ".length()).split(" ", 2)[0];
                return "The bank at " + url + " did not answer. Check the address and your connection, then try "
                        + "again.";
            }
            if (msg.contains("is not JSON") || msg.contains("the bank's answer") || msg.contains("is missing")) {
                return "The bank answered something this wallet cannot read (" + msg + "). Check the server address;"
                        + " if it is right, tell your bank.";
            }
            return sentence(msg);
        }
        if (failure instanceof InterruptedException) {
            return "Cancelled.";
        }
        return "Something went wrong (" + failure.getClass().getSimpleName() + "). Nothing was signed or sent; "
                + "try again.";
    }

    private static String bank(BankApiException b) {
        String detail = b.detail() == null || b.detail().isBlank() ? b.title() : b.detail();
        return switch (b.status()) {
            case 401 -> "Your session has ended: sign in again.";
            case 403 -> "The bank does not allow this" + (detail == null ? "." : ": " + detail);
            case 404 -> "The bank does not know this" + (detail == null ? "." : ": " + detail);
            case 409, 422, 400 -> sentence(detail == null ? "the bank refused the request" : detail);
            case 429 -> "Too many attempts: wait a minute and try again.";
            default -> b.status() >= 500 ? "The bank has a problem right now (" + b.status() + "). Try again later."
                    : sentence(b.getMessage());
        };
    }

    private static String channel(MpcException m) {
        String detail = m.detail() == null ? "" : " (" + m.detail() + ")";
        return switch (m.code()) {
            case "CONNECT_FAILED" -> "Cannot open the signing connection to the bank. Check your connection and try "
                    + "again.";
            case "DISCONNECTED" -> "The connection to the bank was lost. Nothing is lost on this device; try again.";
            case "TIMEOUT" -> "The bank did not finish in time. Nothing is lost on this device; try again.";
            case "CANCELLED" -> "Cancelled. Nothing is lost on this device.";
            case "STALE_SHARE" -> "This device's key share is older than the bank's: the key was refreshed on "
                    + "another device. Restore the backup made after that refresh.";
            case "WRONG_STATE" -> m.detail() != null && m.detail().contains("already being co-signed")
                    ? "The bank still holds an unfinished co-signing session for this transfer (for example from "
                    + "before it restarted). Nothing was signed; try again in a minute."
                    : "The bank cannot do this now" + detail + ".";
            case "NOT_AUTHORIZED" -> "Your bank has not authorized a key refresh for this wallet (or the "
                    + "authorization expired). Ask your bank first; nothing changed.";
            case "KEY_LOCKED" -> "This wallet's key is locked by the bank after a failed signature check. Contact "
                    + "your bank.";
            case "VERIFY_FAILED", "PROTOCOL_ABORTED", "COMMITMENT_MISMATCH", "BAD_FRAME", "OUT_OF_ORDER" ->
                    "The bank's part did not verify on this device, so nothing was signed" + detail
                            + ". Tell your bank.";
            case "SHARE_NOT_SAVED" -> "The key share could not be saved on this device, so the key was not finished"
                    + detail + ".";
            default -> "The bank stopped the session: " + m.code().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + detail + ".";
        };
    }

    /**
     * Whether {@code failure} is about the wallet secret the user typed (wrong, too short, the two differ): the window
     * then shows it next to the secret field rather than as a page message.
     */
    public static boolean concernsWalletSecret(Throwable failure) {
        return failure instanceof WalletException && !(failure instanceof BankApiException)
                && !(failure instanceof MpcException) && failure.getMessage() != null
                && failure.getMessage().toLowerCase(Locale.ROOT).contains("wallet secret");
    }

    /** {@code text} as a sentence: a capital first letter and a full stop. */
    static String sentence(String text) {
        return CosignReview.sentence(text);
    }
}
