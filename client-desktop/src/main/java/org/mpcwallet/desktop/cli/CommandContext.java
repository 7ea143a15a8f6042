package org.mpcwallet.desktop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.desktop.core.BankApi;
import org.mpcwallet.desktop.core.CoSigning;
import org.mpcwallet.desktop.core.DeviceRingPedersen;
import org.mpcwallet.desktop.core.DeviceSecrets;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.Passwords;
import org.mpcwallet.desktop.core.Session;
import org.mpcwallet.desktop.core.SessionStore;
import org.mpcwallet.desktop.core.ShareSelection;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.core.VaultSecrets;
import org.mpcwallet.desktop.core.WalletException;

/**
 * What every command of the command-line wallet works with: the parsed command line, the environment, the terminal
 * (stdin for confirmations, stdout for results, stderr for progress), this device's share and session stores, and
 * the helpers the command groups share (the bank's REST client from the session, the login password and the wallet
 * secret, the current share of a wallet). The command groups extend it.
 *
 * <p>Two secrets: the <b>login password</b> ({@code $WALLET_PASSWORD}, else "Password: ") logs in to the bank; the
 * <b>wallet secret</b> ({@code $WALLET_SECRET}, else "Wallet secret: ", twice when it is being set) seals the shares
 * and is never sent to the bank. Which one opens a vault file, and the migration of a file still sealed with the
 * login password, is {@link VaultSecrets}'s; this class only asks for them and prints.
 */
class CommandContext {
    final CommandLine cl;
    final Map<String, String> env;
    final BufferedReader in;
    final PrintStream out;
    final PrintStream err;
    final Path dataDir;
    final ShareStore shares;
    final VaultSecrets vaults;
    final SessionStore sessions;
    final CoSigning cosigning;

    CommandContext(CommandLine cl, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        this.cl = cl;
        this.env = env;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.err = err;
        this.dataDir = WalletCli.dataDir(cl, env);
        this.shares = new ShareStore(dataDir);
        this.vaults = new VaultSecrets(shares, this::notice);
        this.sessions = new SessionStore(dataDir);
        this.cosigning = new CoSigning(shares, vaults, this::progress);
    }

    /** The same context, for a group of commands. */
    CommandContext(CommandContext c) {
        this.cl = c.cl;
        this.env = c.env;
        this.in = c.in;
        this.out = c.out;
        this.err = c.err;
        this.dataDir = c.dataDir;
        this.shares = c.shares;
        this.vaults = c.vaults;
        this.sessions = c.sessions;
        this.cosigning = c.cosigning;
    }

    /** This device's own ring-Pedersen parameters, made on first use (a second or two, said on stderr). */
    ProvenRingPedersen deviceParams() {
        if (!java.nio.file.Files.exists(dataDir.resolve("ring-pedersen.bin"))) {
            progress("making this device's proof parameters (once per device, a second or two)");
        }
        return DeviceRingPedersen.loadOrCreate(dataDir);
    }

    BankApi api() {
        Session s = sessions.load();
        if (s == null) {
            throw new WalletException("not logged in: run `wallet login <username>` first");
        }
        if (cl.server() != null && !trim(cl.server()).equals(trim(s.server()))) {
            throw new WalletException("logged in at " + s.server() + ", not " + cl.server()
                    + "; run `wallet --server " + cl.server() + " login <username>`");
        }
        return new BankApi(s.server(), new BankApi.Tokens(s.accessToken(), s.refreshToken()),
                t -> sessions.save(s.withTokens(t.accessToken(), t.refreshToken())));
    }

    static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    boolean safeExists(String walletId) {
        return cosigning.safeExists(walletId);
    }

    boolean confirm(String prompt) {
        err.print(prompt);
        err.flush();
        try {
            String line = in.readLine();
            return line != null && (line.trim().equalsIgnoreCase("y") || line.trim().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The login password: $WALLET_PASSWORD, else prompted without echo (twice when {@code confirm}); NFC-normalised.
     * It logs in to the bank (register, login) and opens share files still sealed with it (legacy files).
     */
    char[] password(boolean confirm) {
        char[] typed = loginPassword(true, confirm);
        if (typed == null) {
            throw new WalletException(System.console() == null ? "no password: set WALLET_PASSWORD or run in a "
                    + "terminal" : "no password entered");
        }
        return Passwords.normalize(typed);
    }

    /**
     * The login password as typed, or null when there is none: $WALLET_PASSWORD unset and no terminal, not
     * {@code mayAsk}, or nothing typed (for a legacy file: "I do not have it", the wallet secret is tried next).
     */
    private char[] loginPassword(boolean mayAsk, boolean confirm) {
        String fromEnv = env.get("WALLET_PASSWORD");
        if (fromEnv != null) {
            if (fromEnv.isEmpty()) {
                throw new WalletException("WALLET_PASSWORD is set but empty");
            }
            return fromEnv.toCharArray();
        }
        Console console = System.console();
        if (!mayAsk || console == null) {
            return null;
        }
        return typedTwice(console, "Password: ", confirm ? "Repeat password: " : null, "password");
    }

    /**
     * The wallet secret as typed: $WALLET_SECRET, else prompted without echo ("Wallet secret: ", and "Repeat wallet
     * secret: " when {@code confirm}, i.e. when it is being set).
     */
    private char[] walletSecret(boolean confirm) {
        String fromEnv = env.get("WALLET_SECRET");
        if (fromEnv != null) {
            if (fromEnv.isEmpty()) {
                throw new WalletException("WALLET_SECRET is set but empty");
            }
            return fromEnv.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new WalletException("no wallet secret: set WALLET_SECRET or run in a terminal");
        }
        char[] typed = typedTwice(console, "Wallet secret: ", confirm ? "Repeat wallet secret: " : null,
                "wallet secret");
        if (typed == null) {
            throw new WalletException("no wallet secret entered");
        }
        return typed;
    }

    private static char[] typedTwice(Console console, String prompt, String again, String what) {
        char[] first = console.readPassword(prompt);
        if (first == null || first.length == 0) {
            return null;
        }
        if (again != null) {
            char[] second = console.readPassword(again);
            boolean same = second != null && java.util.Arrays.equals(first, second);
            Passwords.wipe(second);
            if (!same) {
                Passwords.wipe(first);
                throw new WalletException("the " + what + "s do not match");
            }
        }
        return first;
    }

    /**
     * The secrets of one command, each asked for at most once and only when needed (close it to wipe them): the
     * login password from {@code $WALLET_PASSWORD} or the terminal (a file still sealed with it), the wallet secret
     * from {@code $WALLET_SECRET} or the terminal.
     */
    DeviceSecrets secrets() {
        return new DeviceSecrets(new DeviceSecrets.Prompts() {
            @Override
            public char[] loginPassword(boolean mayAsk) {
                return CommandContext.this.loginPassword(mayAsk, false);
            }

            @Override
            public char[] walletSecret(boolean confirm) {
                return CommandContext.this.walletSecret(confirm);
            }
        });
    }

    /** What the user must read whatever the output format (a share re-sealed, a mark restored): on stderr. */
    void notice(String line) {
        err.println(line);
        err.flush();
    }

    void progress(String line) {
        if (!cl.json()) {
            err.println(line);
        }
    }

    void print(ObjectNode json, String human) {
        out.println(cl.json() ? Json.write(json) : human);
        out.flush();
    }

    /** The wallet's shares to use, in order ({@link CoSigning#currentShares}). */
    List<ShareSelection.Candidate> currentShares(BankApi api, String walletId, DeviceSecrets secrets) {
        return cosigning.currentShares(api, walletId, secrets);
    }
}
