package org.mpcwallet.desktop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mpcwallet.desktop.core.BankApiException;
import org.mpcwallet.desktop.core.DataDirectory;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.MpcException;
import org.mpcwallet.desktop.core.SigningCheck;
import org.mpcwallet.desktop.core.WalletException;

/**
 * The command-line wallet (docs/client-desktop.md): {@code wallet [--server URL] [--data-dir DIR] [--json]
 * <command>}. With {@code --json} every command prints exactly one JSON object on stdout; errors are one line on
 * stderr ({@code error: ...}, or {@code {"error":...}} with --json), exit code 1, or 2 for a usage error. Nothing
 * printed ever contains the login password, the wallet secret, a share or a token.
 *
 * <p>{@link #run} runs it in-process (tests): the environment, stdin, stdout and stderr are parameters. This class
 * parses and dispatches; each group of commands is its own class ({@link AccountCommands}, {@link WalletCommands},
 * {@link SigningCommands}, {@link TransferCommands}) on a {@link CommandContext}, and {@link Views} renders text.
 */
public final class WalletCli {
    public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
    /** Keeps the Tyrus logger configured (java.util.logging holds loggers weakly). */
    private static final Logger TYRUS_LOG = Logger.getLogger("org.glassfish");

    private WalletCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.in, System.out, System.err));
    }

    /** Runs one command; returns the exit code (0 ok, 1 failure, 2 usage). */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        TYRUS_LOG.setLevel(Level.SEVERE);
        boolean json = List.of(args).contains("--json");
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (UsageException e) {
            return fail(json, err, "usage: " + e.getMessage(), null, 2);
        }
        if (cl.command().equals("help")) {
            out.println(CommandLine.usage());
            return 0;
        }
        try {
            dispatch(new CommandContext(cl, env, in, out, err));
            return 0;
        } catch (UsageException e) {
            return fail(cl.json(), err, "usage: " + e.getMessage(), null, 2);
        } catch (BankApiException e) {
            return fail(cl.json(), err, e.getMessage(), Json.object().put("status", e.status()), 1);
        } catch (MpcException e) {
            return fail(cl.json(), err, e.getMessage(), Json.object().put("code", e.code()), 1);
        } catch (WalletException e) {
            return fail(cl.json(), err, e.getMessage(), null, 1);
        } catch (RuntimeException e) {
            return fail(cl.json(), err, "internal error (" + e.getClass().getSimpleName() + ")", null, 1);
        }
    }

    private static int fail(boolean json, PrintStream err, String message, ObjectNode extra, int code) {
        String oneLine = message.replaceAll("[\\r\\n]+", " ");
        if (json) {
            ObjectNode n = Json.object().put("error", oneLine);
            if (extra != null) {
                n.setAll(extra);
            }
            err.println(Json.write(n));
        } else {
            err.println("error: " + oneLine);
        }
        err.flush();
        return code;
    }

    static Path dataDir(CommandLine cl, Map<String, String> env) {
        return DataDirectory.of(cl.dataDir(), env);
    }

    private static void dispatch(CommandContext c) {
        switch (c.cl.command()) {
            case "register" -> new AccountCommands(c).register();
            case "login" -> new AccountCommands(c).login();
            case "logout" -> new AccountCommands(c).logout();
            case "whoami" -> new AccountCommands(c).whoami();
            case "create" -> new WalletCommands(c).create();
            case "keygen" -> new WalletCommands(c).keygen();
            case "list" -> new WalletCommands(c).list();
            case "refresh" -> new WalletCommands(c).refresh();
            case "grant" -> new WalletCommands(c).grant();
            case "backup" -> new WalletCommands(c).backup();
            case "restore" -> new WalletCommands(c).restore();
            case "requests" -> new SigningCommands(c).requests();
            case "sign" -> new SigningCommands(c).sign();
            case "request-sign" -> new SigningCommands(c).requestSign();
            case "cosign" -> new SigningCommands(c).cosign();
            case "send" -> new TransferCommands(c).send();
            case "status" -> new TransferCommands(c).status();
            case "transfers" -> new TransferCommands(c).transfers();
            case "approve" -> new TransferCommands(c).approve();
            case "balances" -> new TransferCommands(c).balances();
            case "deposits" -> new TransferCommands(c).deposits();
            default -> throw new UsageException("unknown command '" + c.cl.command() + "'");
        }
    }

    /** What the device prints about a checked sign request before it asks (see {@link Views#describe}). */
    static String describe(SigningCheck.Checked c) {
        return Views.describe(c);
    }

    /** An address as people read it (see {@link Views#shown}). */
    static String shown(String address) {
        return Views.shown(address);
    }
}
