package org.mpcwallet.crypto.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.device.VaultUnlock.Attempt;
import org.mpcwallet.crypto.device.VaultUnlock.Opened;
import org.mpcwallet.crypto.device.VaultUnlock.Outcome;
import org.mpcwallet.crypto.device.VaultUnlock.Reason;
import org.mpcwallet.crypto.device.VaultUnlock.Refused;
import org.mpcwallet.crypto.device.VaultUnlock.Report;
import org.mpcwallet.crypto.device.VaultUnlock.Secret;
import org.mpcwallet.crypto.device.VaultUnlock.Try;

/**
 * The unlock rule's whole table: a marked file (sealed with the wallet secret) and a legacy one (no mark: sealed with
 * the login password, or with the wallet secret after a crash before its mark or a copy without it) × each outcome of
 * each secret; the texts; the rule for a new wallet secret.
 */
class VaultUnlockTest {
    private static final boolean MARKED = true;
    private static final boolean LEGACY = false;

    private static Attempt login(Outcome o) {
        return new Attempt(Secret.LOGIN_PASSWORD, o);
    }

    private static Attempt wallet(Outcome o) {
        return new Attempt(Secret.WALLET_SECRET, o);
    }

    @Test
    void aMarkedFileIsTriedWithTheWalletSecretOnly() {
        assertEquals(new Try(Secret.WALLET_SECRET), VaultUnlock.next(MARKED, List.of()));
        assertEquals(new Opened(Secret.WALLET_SECRET, false, false, Report.NONE),
                VaultUnlock.next(MARKED, List.of(wallet(Outcome.OPENED))));
        assertEquals(new Refused(Reason.WRONG_WALLET_SECRET),
                VaultUnlock.next(MARKED, List.of(wallet(Outcome.WRONG))), "never falls back to the login password");
        assertEquals(new Refused(Reason.WALLET_SECRET_NEEDED),
                VaultUnlock.next(MARKED, List.of(wallet(Outcome.UNAVAILABLE))));
    }

    @Test
    void aLegacyFileOpenedWithTheLoginPasswordIsResealedAndMarked() {
        assertEquals(new Try(Secret.LOGIN_PASSWORD), VaultUnlock.next(LEGACY, List.of()));
        assertEquals(new Opened(Secret.LOGIN_PASSWORD, true, true, Report.MIGRATE),
                VaultUnlock.next(LEGACY, List.of(login(Outcome.OPENED))));
    }

    /** A crash between the re-sealed file's rename and its mark, or files copied without their marks. */
    @Test
    void anUnmarkedFileSealedWithTheWalletSecretOpensAndGetsItsMarkBack() {
        assertEquals(new Try(Secret.WALLET_SECRET), VaultUnlock.next(LEGACY, List.of(login(Outcome.WRONG))));
        assertEquals(new Opened(Secret.WALLET_SECRET, false, true, Report.MARK_RESTORED),
                VaultUnlock.next(LEGACY, List.of(login(Outcome.WRONG), wallet(Outcome.OPENED))));
        // without the login password at hand (e.g. only the wallet secret was given) the wallet secret is tried
        assertEquals(new Try(Secret.WALLET_SECRET), VaultUnlock.next(LEGACY, List.of(login(Outcome.UNAVAILABLE))));
        assertEquals(new Opened(Secret.WALLET_SECRET, false, true, Report.MARK_RESTORED),
                VaultUnlock.next(LEGACY, List.of(login(Outcome.UNAVAILABLE), wallet(Outcome.OPENED))));
    }

    @Test
    void aLegacyFileNeitherSecretOpensIsRefused() {
        assertEquals(new Refused(Reason.NEITHER_SECRET),
                VaultUnlock.next(LEGACY, List.of(login(Outcome.WRONG), wallet(Outcome.WRONG))));
        assertEquals(new Refused(Reason.LOGIN_PASSWORD_NEEDED),
                VaultUnlock.next(LEGACY, List.of(login(Outcome.UNAVAILABLE), wallet(Outcome.WRONG))));
        assertEquals(new Refused(Reason.WALLET_SECRET_NEEDED),
                VaultUnlock.next(LEGACY, List.of(login(Outcome.WRONG), wallet(Outcome.UNAVAILABLE))));
    }

    @Test
    void attemptsTheRuleDidNotAskForAreProgrammingErrors() {
        assertThrows(IllegalArgumentException.class, () -> VaultUnlock.next(MARKED, List.of(login(Outcome.OPENED))));
        assertThrows(IllegalArgumentException.class,
                () -> VaultUnlock.next(MARKED, List.of(wallet(Outcome.WRONG), login(Outcome.OPENED))));
        assertThrows(IllegalArgumentException.class, () -> VaultUnlock.next(LEGACY, List.of(wallet(Outcome.OPENED))));
        assertThrows(IllegalArgumentException.class,
                () -> VaultUnlock.next(LEGACY, List.of(login(Outcome.WRONG), login(Outcome.OPENED))));
        assertThrows(IllegalArgumentException.class,
                () -> VaultUnlock.next(LEGACY, List.of(login(Outcome.OPENED), wallet(Outcome.OPENED))));
        assertThrows(IllegalArgumentException.class, () -> VaultUnlock.next(LEGACY,
                List.of(login(Outcome.WRONG), wallet(Outcome.WRONG), wallet(Outcome.OPENED))));
        assertThrows(IllegalArgumentException.class, () -> new Attempt(null, Outcome.OPENED));
    }

    @Test
    void theMessagesNameTheWalletAndWhatToDo() {
        String w = "w-1";
        assertEquals("cannot open the share of wallet w-1: wrong wallet secret, or the vault file was modified",
                new Refused(Reason.WRONG_WALLET_SECRET).message(w));
        assertEquals("cannot open the share of wallet w-1: neither your login password nor your wallet secret opens "
                + "it (or the vault file was modified)", new Refused(Reason.NEITHER_SECRET).message(w));
        assertEquals("cannot open the share of wallet w-1: it is still sealed with your login password, which is "
                + "needed once to re-seal it with your wallet secret (your wallet secret does not open it)",
                new Refused(Reason.LOGIN_PASSWORD_NEEDED).message(w));
        assertEquals("cannot open the share of wallet w-1: your wallet secret is needed",
                new Refused(Reason.WALLET_SECRET_NEEDED).message(w));
        assertEquals("the share of wallet w-1 is still sealed with your login password (which the bank receives at "
                + "every login); it will now be re-sealed with your wallet secret", VaultUnlock.migrating(w));
        assertEquals("the share of wallet w-1 is now sealed with your wallet secret; your login password no longer "
                + "opens it. Make a new backup now; older backups are still sealed with your login password",
                VaultUnlock.migrated(w));
        assertEquals("the share of wallet w-1 was already sealed with your wallet secret (its mark was missing and "
                + "is restored)", VaultUnlock.markRestored(w));
    }

    @Test
    void aNewWalletSecretHasTwelveCharactersAndIsNotTheLoginPassword() {
        assertEquals("the wallet secret is empty", VaultUnlock.newSecretProblem(new char[0], null));
        assertEquals("the wallet secret is empty", VaultUnlock.newSecretProblem(null, null));
        assertEquals("the wallet secret must be at least 12 characters long",
                VaultUnlock.newSecretProblem("elevenchars".toCharArray(), null));
        assertNull(VaultUnlock.newSecretProblem("twelve chars".toCharArray(), null));
        // characters, not UTF-16 units: 11 emoji are 22 chars but 11 characters
        String emoji = "\uD83D\uDD11".repeat(11);
        assertEquals("the wallet secret must be at least 12 characters long",
                VaultUnlock.newSecretProblem(emoji.toCharArray(), null));
        assertNull(VaultUnlock.newSecretProblem((emoji + "x").toCharArray(), null));
        String problem = VaultUnlock.newSecretProblem("the same long phrase".toCharArray(),
                "the same long phrase".toCharArray());
        assertEquals("the wallet secret must not be your login password (the bank receives that one at every login)",
                problem);
        assertFalse(problem.contains("phrase"));
        assertNull(VaultUnlock.newSecretProblem("the same long phrase".toCharArray(),
                "the same long phrasE".toCharArray()));
        assertNull(VaultUnlock.newSecretProblem("a long wallet secret".toCharArray(), new char[0]));
    }
}
