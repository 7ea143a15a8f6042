package org.mpcwallet.desktop.core;

import org.mpcwallet.crypto.device.VaultUnlock;

/**
 * The two secrets of the user as one command (or one action of the window) gets them, each asked for at most once,
 * only when needed, NFC-normalised ({@link Passwords}) and kept in memory until {@link #close} wipes them:
 *
 * <ul>
 *   <li>the <b>login password</b>, which logs in to the bank (and sealed the vault files of older versions);</li>
 *   <li>the <b>wallet secret</b>, which seals every vault file on the device and is never sent to the bank nor
 *       written anywhere.</li>
 * </ul>
 *
 * <p>Where they come from is the platform's {@link Prompts} (the command line: environment variables or a prompt
 * without echo; the window: its dialogs). Whether the wallet secret is being <i>set</i> (asked twice, checked by
 * {@link VaultUnlock#newSecretProblem}) or entered is decided by {@link VaultSecrets}.
 */
public final class DeviceSecrets implements AutoCloseable {
    /** Where the platform gets the secrets; each call returns a fresh array this class normalises and wipes. */
    public interface Prompts {
        /**
         * The login password as typed, or null when it cannot be had; with {@code mayAsk} false only what is at hand
         * without asking the user (e.g. an environment variable).
         */
        char[] loginPassword(boolean mayAsk);

        /**
         * The wallet secret as typed; {@code confirm}: it is being set, so a person types it twice (the platform
         * refuses a mismatch). Throws {@link WalletException} when it cannot be had.
         */
        char[] walletSecret(boolean confirm);
    }

    private final Prompts prompts;
    private char[] login;
    private boolean loginAsked;
    private char[] wallet;
    private boolean walletVerified;

    public DeviceSecrets(Prompts prompts) {
        this.prompts = prompts;
    }

    /** The login password (asked for on first need), or null when it cannot be had. */
    public char[] loginPassword() {
        if (login == null && !loginAsked) {
            loginAsked = true;
            char[] typed = prompts.loginPassword(true);
            login = typed == null ? null : Passwords.normalize(typed, "the login password");
        }
        return login;
    }

    /** The login password if it is at hand without asking (already given, or given without a prompt), else null. */
    public char[] loginPasswordAtHand() {
        if (login == null && !loginAsked) {
            char[] typed = prompts.loginPassword(false);
            if (typed != null) {
                loginAsked = true;
                login = Passwords.normalize(typed, "the login password");
            }
        }
        return login;
    }

    /** The wallet secret to open a vault (asked once, on first need). */
    public char[] walletSecret() {
        if (wallet == null) {
            wallet = Passwords.normalize(prompts.walletSecret(false), "the wallet secret");
        }
        return wallet;
    }

    /**
     * The wallet secret being set (the device has no vault sealed with one yet): asked twice unless already
     * accepted in this command, and refused when shorter than {@link VaultUnlock#MIN_SECRET_LENGTH} characters or
     * equal to the login password at hand. A refusal is a {@link WalletException} and nothing is written.
     */
    public char[] newWalletSecret() {
        if (wallet != null && walletVerified) {
            return wallet;
        }
        Passwords.wipe(wallet);
        wallet = null;
        char[] secret = Passwords.normalize(prompts.walletSecret(true), "the wallet secret");
        String problem = VaultUnlock.newSecretProblem(secret, loginPasswordAtHand());
        if (problem != null) {
            Passwords.wipe(secret);
            throw new WalletException(problem);
        }
        wallet = secret;
        walletVerified = true;
        return wallet;
    }

    /** Whether the wallet secret held is known to be the device's (it was set, or it opened a marked vault). */
    public boolean walletSecretVerified() {
        return wallet != null && walletVerified;
    }

    /** Records that the wallet secret held opened a vault sealed with it. */
    void walletSecretOpenedAVault() {
        if (wallet != null) {
            walletVerified = true;
        }
    }

    /** Wipes both secrets. */
    @Override
    public void close() {
        Passwords.wipe(login);
        Passwords.wipe(wallet);
        login = null;
        wallet = null;
        walletVerified = false;
    }
}
