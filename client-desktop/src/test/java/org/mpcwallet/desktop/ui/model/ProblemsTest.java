package org.mpcwallet.desktop.ui.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mpcwallet.desktop.core.BankApiException;
import org.mpcwallet.desktop.core.MpcException;
import org.mpcwallet.desktop.core.WalletException;

/** Failures as one sentence for the window: never a class name with a stack trace, never a secret. */
class ProblemsTest {
    @Test
    void bankAnswersBecomeSentences() {
        assertEquals("Your session has ended: sign in again.", Problems.explain(new BankApiException(401,
                "Unauthorized", "token expired")));
        assertEquals("The bank has a problem right now (503). Try again later.", Problems.explain(
                new BankApiException(503, "Service Unavailable", null)));
        assertEquals("Insufficient funds.", Problems.explain(new BankApiException(422, "Unprocessable", "insufficient "
                + "funds")));
        assertEquals("Too many attempts: wait a minute and try again.", Problems.explain(new BankApiException(429,
                null, null)));
    }

    @Test
    void channelFailuresSayWhatIsLostAndWhatToDo() {
        assertEquals("The connection to the bank was lost. Nothing is lost on this device; try again.",
                Problems.explain(new MpcException("DISCONNECTED", "socket closed")));
        assertTrue(Problems.explain(new MpcException("STALE_SHARE", "epoch 0 < 1")).contains("Restore the backup"));
        assertTrue(Problems.explain(new MpcException("VERIFY_FAILED", "bad r")).startsWith("The bank's part did not "
                + "verify on this device, so nothing was signed (bad r)"));
        assertTrue(Problems.explain(new MpcException("WRONG_STATE", "this sign request is already being co-signed; a "
                + "session that makes no progress for 75 s is given up")).startsWith("The bank still holds an "
                + "unfinished co-signing session"));
        assertEquals("The bank cannot do this now (the sign request is SIGNED).", Problems.explain(
                new MpcException("WRONG_STATE", "the sign request is SIGNED")));
        assertEquals("The bank stopped the session: wallet not active (no keygen).", Problems.explain(
                new MpcException("WALLET_NOT_ACTIVE", "no keygen")));
    }

    @Test
    void theDeviceOwnRefusalsAndUnknownFailures() {
        assertEquals("The bank at http://127.0.0.1:1 did not answer. Check the address and your connection, then "
                + "try again.", Problems.explain(new WalletException("cannot reach the bank at http://127.0.0.1:1 "
                + "(ConnectException: refused)")));
        assertEquals("Cannot open the share of wallet w: wrong wallet secret, or the vault file was modified.",
                Problems.explain(new WalletException("cannot open the share of wallet w: wrong wallet secret, or the "
                        + "vault file was modified")));
        String unknown = Problems.explain(new IllegalStateException("secret material 0xdeadbeef"));
        assertEquals("Something went wrong (IllegalStateException). Nothing was signed or sent; try again.", unknown);
        assertFalse(unknown.contains("deadbeef"), "an unknown failure's message is not shown: it may hold anything");
    }

    @Test
    void whatConcernsTheWalletSecretIsShownNextToItsField() {
        assertTrue(Problems.concernsWalletSecret(new WalletException("cannot open the share of wallet w: wrong wallet "
                + "secret, or the vault file was modified")));
        assertTrue(Problems.concernsWalletSecret(new WalletException("the two wallet secrets you typed differ")));
        assertFalse(Problems.concernsWalletSecret(new BankApiException(400, "Bad Request", "wallet secret")),
                "the bank never sees the wallet secret: its answers are page messages");
        assertFalse(Problems.concernsWalletSecret(new MpcException("DISCONNECTED", "wallet secret")));
        assertFalse(Problems.concernsWalletSecret(new WalletException("cannot reach the bank at http://x")));
    }
}
