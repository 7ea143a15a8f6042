package org.mpcwallet.crypto.device;

import java.util.List;

/**
 * Which secret opens a share vault on the user's device, and what follows (docs/vault-format.md "Which secret seals
 * the vault"), with no I/O and no cryptography, so the desktop (command line and window) and the browser follow one
 * rule.
 *
 * <p>Two secrets exist on a device. The <b>login password</b> goes to the bank at every login; the <b>wallet
 * secret</b> never leaves the device and seals every vault file. Vault files sealed before the wallet secret existed
 * ("legacy" files) are sealed with the login password. The platform keeps a mark for each envelope it sealed with the
 * wallet secret; the mark is a hint, not a security property (a file copied without its mark, or a crash between
 * writing a file and its mark, must still open):
 *
 * <ul>
 *   <li>a <b>marked</b> file is tried with the wallet secret only; a failure is "wrong wallet secret" and nothing
 *       changes;</li>
 *   <li>a <b>legacy</b> (unmarked) file is tried with the login password first: if it opens, the share is re-sealed
 *       with the wallet secret (the migration) and the new envelope marked; if it does not (or the login password is
 *       not at hand), the wallet secret is tried, and if that opens the file, its mark is restored.</li>
 * </ul>
 *
 * <p>The platform calls {@link #next} with the file's mark and the attempts made so far, does what the {@link Step}
 * says (open the envelope with a secret and call again with the outcome; or stop with the share, re-sealing and
 * marking as told; or stop with the refusal) and shows the texts of {@link #migrating}, {@link #migrated},
 * {@link #markRestored} and {@link Refused#message}. {@link #newSecretProblem} is the rule for a wallet secret being
 * set. Nothing here holds or returns a secret.
 */
public final class VaultUnlock {
    /** The shortest wallet secret accepted when one is set, in characters (Unicode code points, after NFC). */
    public static final int MIN_SECRET_LENGTH = 12;

    private VaultUnlock() {
    }

    /** The two secrets a device may have sealed a vault with. */
    public enum Secret {
        /** The device's own secret, never sent to the bank. */
        WALLET_SECRET,
        /** The bank login password (legacy files only). */
        LOGIN_PASSWORD
    }

    /** How one attempt to open the envelope with a secret ended. */
    public enum Outcome {
        /** The envelope opened (the AEAD tag checked). */
        OPENED,
        /** The tag did not check: another secret, or a modified file (the vault cannot tell them apart). */
        WRONG,
        /** The platform does not have this secret (not given, nobody to ask). */
        UNAVAILABLE
    }

    /** One attempt: which secret, and how it ended. */
    public record Attempt(Secret secret, Outcome outcome) {
        public Attempt {
            if (secret == null || outcome == null) {
                throw new IllegalArgumentException("an attempt needs a secret and an outcome");
            }
        }
    }

    /** What the platform does next. */
    public sealed interface Step permits Try, Opened, Refused {
    }

    /** Open the envelope with {@code secret} and call {@link #next} again with the outcome. */
    public record Try(Secret secret) implements Step {
    }

    /**
     * The envelope opened with {@code openedWith}. {@code reseal}: seal the share again with the wallet secret and
     * replace the file atomically (the migration; say {@link #migrating} before and {@link #migrated} after).
     * {@code mark}: mark the envelope the file then holds (the new one after a re-seal) as sealed with the wallet
     * secret. {@code report}: what to tell the user.
     */
    public record Opened(Secret openedWith, boolean reseal, boolean mark, Report report) implements Step {
    }

    /** The file does not open; nothing is written. {@link #message} says why. */
    public record Refused(Reason reason) implements Step {
        /** The user's message for the share of {@code walletId}; names no secret's value. */
        public String message(String walletId) {
            String share = "cannot open the share of wallet " + walletId + ": ";
            if (reason == Reason.WRONG_WALLET_SECRET) {
                return share + "wrong wallet secret, or the vault file was modified";
            }
            if (reason == Reason.NEITHER_SECRET) {
                return share + "neither your login password nor your wallet secret opens it (or the vault file was "
                        + "modified)";
            }
            if (reason == Reason.LOGIN_PASSWORD_NEEDED) {
                return share + "it is still sealed with your login password, which is needed once to re-seal it "
                        + "with your wallet secret (your wallet secret does not open it)";
            }
            return share + "your wallet secret is needed";
        }
    }

    /** What the user is told when a vault opened. */
    public enum Report {
        /** Nothing: a marked file opened with the wallet secret. */
        NONE,
        /** A legacy file opened with the login password and is re-sealed with the wallet secret. */
        MIGRATE,
        /** An unmarked file opened with the wallet secret (a crash before its mark, or copied without it). */
        MARK_RESTORED
    }

    /** Why a vault did not open. */
    public enum Reason {
        /** A marked file: the wallet secret does not open it. */
        WRONG_WALLET_SECRET,
        /** A legacy file: neither the login password nor the wallet secret opens it. */
        NEITHER_SECRET,
        /** A legacy file, the login password not at hand, and the wallet secret does not open it. */
        LOGIN_PASSWORD_NEEDED,
        /** The wallet secret was needed and is not at hand. */
        WALLET_SECRET_NEEDED
    }

    /**
     * The next step for a file that is {@code marked} (sealed with the wallet secret, as the device's metadata says)
     * or not (legacy), given the attempts made so far in order. Attempts this rule did not ask for are an
     * {@link IllegalArgumentException}.
     */
    public static Step next(boolean marked, List<Attempt> attempts) {
        int n = attempts.size();
        if (marked) {
            if (n == 0) {
                return new Try(Secret.WALLET_SECRET);
            }
            requireAttempts(n, 1);
            return walletSecretEnds(expect(attempts.get(0), Secret.WALLET_SECRET).outcome(), false,
                    Reason.WRONG_WALLET_SECRET);
        }
        if (n == 0) {
            return new Try(Secret.LOGIN_PASSWORD);
        }
        Outcome login = expect(attempts.get(0), Secret.LOGIN_PASSWORD).outcome();
        if (login == Outcome.OPENED) {
            requireAttempts(n, 1);
            return new Opened(Secret.LOGIN_PASSWORD, true, true, Report.MIGRATE);
        }
        if (n == 1) {
            return new Try(Secret.WALLET_SECRET);
        }
        requireAttempts(n, 2);
        return walletSecretEnds(expect(attempts.get(1), Secret.WALLET_SECRET).outcome(), true,
                login == Outcome.UNAVAILABLE ? Reason.LOGIN_PASSWORD_NEEDED : Reason.NEITHER_SECRET);
    }

    private static Step walletSecretEnds(Outcome outcome, boolean restoreMark, Reason wrong) {
        if (outcome == Outcome.OPENED) {
            return restoreMark ? new Opened(Secret.WALLET_SECRET, false, true, Report.MARK_RESTORED)
                    : new Opened(Secret.WALLET_SECRET, false, false, Report.NONE);
        }
        return new Refused(outcome == Outcome.WRONG ? wrong : Reason.WALLET_SECRET_NEEDED);
    }

    private static void requireAttempts(int n, int max) {
        if (n > max) {
            throw new IllegalArgumentException("more attempts than the rule asked for");
        }
    }

    private static Attempt expect(Attempt a, Secret secret) {
        if (a == null || a.secret() != secret) {
            throw new IllegalArgumentException("this attempt must be with the " + name(secret));
        }
        return a;
    }

    /**
     * Why {@code secret} cannot be set as the wallet secret, or null when it can: at least {@link #MIN_SECRET_LENGTH}
     * characters, and not the login password when that is at hand ({@code loginPassword} null when not). Both are
     * compared as given (the caller normalises both to NFC first). The message names no secret's value.
     */
    public static String newSecretProblem(char[] secret, char[] loginPassword) {
        if (secret == null || secret.length == 0) {
            return "the wallet secret is empty";
        }
        if (Character.codePointCount(secret, 0, secret.length) < MIN_SECRET_LENGTH) {
            return "the wallet secret must be at least " + MIN_SECRET_LENGTH + " characters long";
        }
        if (loginPassword != null && sameChars(secret, loginPassword)) {
            return "the wallet secret must not be your login password (the bank receives that one at every login)";
        }
        return null;
    }

    /** Said once before a legacy share is re-sealed ({@link Report#MIGRATE}). */
    public static String migrating(String walletId) {
        return "the share of wallet " + walletId + " is still sealed with your login password (which the bank "
                + "receives at every login); it will now be re-sealed with your wallet secret";
    }

    /** Said once the re-sealed file replaced the legacy one. */
    public static String migrated(String walletId) {
        return "the share of wallet " + walletId + " is now sealed with your wallet secret; your login password no "
                + "longer opens it. Make a new backup now; older backups are still sealed with your login password";
    }

    /** Said when an unmarked file opened with the wallet secret ({@link Report#MARK_RESTORED}). */
    public static String markRestored(String walletId) {
        return "the share of wallet " + walletId + " was already sealed with your wallet secret (its mark was "
                + "missing and is restored)";
    }

    private static String name(Secret s) {
        return s == Secret.WALLET_SECRET ? "wallet secret" : "login password";
    }

    private static boolean sameChars(char[] a, char[] b) {
        if (a.length != b.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff |= a[i] ^ b[i];
        }
        return diff == 0;
    }
}
