package org.mpcwallet.desktop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.desktop.core.Backup;
import org.mpcwallet.desktop.core.BankApi;
import org.mpcwallet.desktop.core.BankApiException;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.KeygenSession;
import org.mpcwallet.desktop.core.MpcChannel;
import org.mpcwallet.desktop.core.MpcException;
import org.mpcwallet.desktop.core.Passwords;
import org.mpcwallet.desktop.core.Session;
import org.mpcwallet.desktop.core.SessionStore;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.core.SignRequest;
import org.mpcwallet.desktop.core.SignSession;
import org.mpcwallet.desktop.core.SigningCheck;
import org.mpcwallet.desktop.core.TxFields;
import org.mpcwallet.desktop.core.WalletException;
import org.mpcwallet.desktop.core.WalletInfo;

/**
 * The command-line wallet (docs/client-desktop.md): {@code wallet [--server URL] [--data-dir DIR] [--json]
 * <command>}. With {@code --json} every command prints exactly one JSON object on stdout; errors are one line on
 * stderr ({@code error: ...}, or {@code {"error":...}} with --json), exit code 1, or 2 for a usage error. Nothing
 * printed ever contains the password, a share or a token.
 *
 * <p>{@link #run} runs it in-process (tests): the environment, stdin, stdout and stderr are parameters.
 */
public final class WalletCli {
    public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** Keeps the Tyrus logger configured (java.util.logging holds loggers weakly). */
    private static final Logger TYRUS_LOG = Logger.getLogger("org.glassfish");

    private final CommandLine cl;
    private final Map<String, String> env;
    private final BufferedReader in;
    private final PrintStream out;
    private final PrintStream err;
    private final Path dataDir;
    private final ShareStore shares;
    private final SessionStore sessions;

    private WalletCli(CommandLine cl, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        this.cl = cl;
        this.env = env;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.err = err;
        this.dataDir = dataDir(cl, env);
        this.shares = new ShareStore(dataDir);
        this.sessions = new SessionStore(dataDir);
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
            WalletCli cli = new WalletCli(cl, env, in, out, err);
            cli.dispatch();
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
        if (cl.dataDir() != null) {
            return Path.of(cl.dataDir()).toAbsolutePath();
        }
        String home = env.get("WALLET_HOME");
        if (home != null && !home.isEmpty()) {
            return Path.of(home).toAbsolutePath();
        }
        String user = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(user, ".mpcwallet").toAbsolutePath();
    }

    private void dispatch() {
        switch (cl.command()) {
            case "register" -> register();
            case "login" -> login();
            case "logout" -> logout();
            case "whoami" -> whoami();
            case "create" -> create();
            case "list" -> list();
            case "requests" -> requests();
            case "sign" -> sign();
            case "request-sign" -> requestSign();
            case "backup" -> backup();
            case "restore" -> restore();
            default -> throw new UsageException("unknown command '" + cl.command() + "'");
        }
    }

    // ---- commands -----------------------------------------------------------------------------------------------

    /** Registers and logs in with the same password. */
    private void register() {
        String username = cl.arg(0);
        String server = cl.server() != null ? cl.server() : DEFAULT_SERVER;
        char[] pw = password(true);
        try {
            BankApi api = new BankApi(server, null, null);
            BankApi.Me me = api.register(username, pw, cl.option("--email", null));
            api.login(username, pw);
            sessions.save(new Session(api.baseUrl(), me.username(), api.tokens().accessToken(),
                    api.tokens().refreshToken()));
            print(Json.object().put("id", me.id()).put("username", me.username()).put("server", api.baseUrl()),
                    "registered " + me.username() + " (id " + me.id() + ") at " + api.baseUrl() + "; logged in");
        } finally {
            Passwords.wipe(pw);
        }
    }

    private void login() {
        String username = cl.arg(0);
        Session old = sessions.load();
        String server = cl.server() != null ? cl.server() : old != null ? old.server() : DEFAULT_SERVER;
        char[] pw = password(false);
        try {
            BankApi api = new BankApi(server, null, null);
            BankApi.Me me = api.login(username, pw);
            sessions.save(new Session(api.baseUrl(), me.username(), api.tokens().accessToken(),
                    api.tokens().refreshToken()));
            print(Json.object().put("id", me.id()).put("username", me.username()).put("server", api.baseUrl()),
                    "logged in as " + me.username() + " at " + api.baseUrl());
        } finally {
            Passwords.wipe(pw);
        }
    }

    private void logout() {
        boolean had = sessions.delete();
        print(Json.object().put("loggedOut", had), had ? "logged out (session file removed)" : "not logged in");
    }

    private void whoami() {
        BankApi api = api();
        BankApi.Me me = api.me();
        ObjectNode n = Json.object().put("id", me.id()).put("username", me.username()).put("server", api.baseUrl());
        ArrayNode roles = n.putArray("roles");
        me.roles().forEach(roles::add);
        print(n, me.username() + " (id " + me.id() + ", roles " + String.join(",", me.roles()) + ") at "
                + api.baseUrl());
    }

    /** Creates the wallet at the bank, runs keygen, seals the share before K4, prints id and address. */
    private void create() {
        String name = cl.arg(0);
        String type = cl.option("--type", "RETAIL").toUpperCase(Locale.ROOT);
        String risk = cl.option("--risk", "LOW").toUpperCase(Locale.ROOT);
        BankApi api = api();
        String username = sessions.load().username();
        char[] pw = password(false);
        try {
            // the same password seals the share: check it is the account's before a share is sealed under a typo
            api.login(username, pw);
            WalletInfo wallet = api.createWallet(name, type, risk);
            ShareStore.requireWalletId(wallet.id());
            progress("wallet " + wallet.id() + " created; running keygen with the bank (this takes a few seconds)");
            KeygenSession.Result r;
            try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), CONNECT_TIMEOUT)) {
                r = ch.keygen(wallet.id(), share -> shares.save(wallet.id(), share, pw),
                        MpcChannel.DEFAULT_SESSION_TIMEOUT);
            }
            print(Json.object().put("wallet", wallet.id()).put("name", name).put("address", r.address())
                            .put("publicKey", r.publicKeyHex()).put("vault", shares.file(wallet.id()).toString()),
                    "wallet " + wallet.id() + " (" + name + ")\naddress " + r.address() + "\nshare sealed in "
                            + shares.file(wallet.id()));
        } finally {
            Passwords.wipe(pw);
        }
    }

    private void list() {
        BankApi api = api();
        List<WalletInfo> wallets = api.listWallets();
        ObjectNode n = Json.object();
        ArrayNode arr = n.putArray("wallets");
        StringBuilder text = new StringBuilder();
        for (WalletInfo w : wallets) {
            boolean local = safeExists(w.id());
            arr.addObject().put("id", w.id()).put("name", w.name()).put("type", w.type()).put("status", w.status())
                    .put("address", w.address()).put("share", local);
            text.append(String.format("%s  %-12s %-15s %s%s%n", w.id(), w.status(), w.name(),
                    w.address() == null ? "-" : w.address(), local ? "  (share on this device)" : ""));
        }
        print(n, wallets.isEmpty() ? "no wallets" : text.toString().stripTrailing());
    }

    private void requests() {
        String walletId = cl.arg(0);
        String status = cl.option("--status", "PENDING").toUpperCase(Locale.ROOT);
        BankApi api = api();
        List<SignRequest> list = api.listSignRequests(walletId, status.equals("ALL") ? null : status);
        ObjectNode n = Json.object().put("walletId", walletId);
        ArrayNode arr = n.putArray("requests");
        StringBuilder text = new StringBuilder();
        for (SignRequest r : list) {
            TxFields f = r.fields();
            arr.addObject().put("id", r.id()).put("status", r.status()).put("to", f.to())
                    .put("valueWei", f.valueWei()).put("valueEth", ethOrNull(f.valueWei())).put("chainId", f.chainId())
                    .put("nonce", f.nonce()).put("gasLimit", f.gasLimit()).put("maxFeePerGas", f.maxFeePerGas())
                    .put("maxPriorityFeePerGas", f.maxPriorityFeePerGas()).put("data", f.data())
                    .put("signingHash", r.signingHash()).put("expiresAt", r.expiresAt());
            text.append(String.format("%s  %-8s to %s  %s ETH  chain %s  nonce %s  expires %s%n", r.id(), r.status(),
                    f.to(), ethOrNull(f.valueWei()), f.chainId(), f.nonce(), r.expiresAt()));
        }
        print(n, list.isEmpty() ? "no " + status.toLowerCase(Locale.ROOT) + " sign requests" : text.toString()
                .stripTrailing());
    }

    /** Checks the request, shows it, asks, then co-signs and verifies the result. */
    private void sign() {
        String requestId = cl.arg(0);
        BankApi api = api();
        SignRequest req = api.getSignRequest(requestId);
        if (!"PENDING".equals(req.status())) {
            throw new WalletException("request " + requestId + " is " + req.status() + ", not PENDING");
        }
        SigningCheck.Checked checked = SigningCheck.check(req);
        if (!shares.exists(req.walletId())) {
            throw new WalletException("this device holds no share for wallet " + req.walletId()
                    + " (restore a backup first)");
        }
        PrintStream shown = cl.json() ? err : out;
        shown.println(describe(checked));
        shown.flush();
        if (!cl.flag("--yes") && !confirm("Co-sign this transaction? [y/N] ")) {
            throw new WalletException("not confirmed; nothing was signed");
        }
        char[] pw = password(false);
        P2KeyShare share;
        try {
            share = shares.open(req.walletId(), pw);
        } finally {
            Passwords.wipe(pw);
        }
        WalletInfo wallet = api.getWallet(req.walletId());
        String mine = EthAddress.fromPublicKey(share.publicKey().encodeUncompressed()).toChecksumHex();
        if (wallet.address() == null || !mine.equalsIgnoreCase(wallet.address())) {
            throw new WalletException("the bank's address of wallet " + req.walletId() + " (" + wallet.address()
                    + ") is not the address of this device's share (" + mine + "); refusing to sign");
        }
        api.me(); // refreshes the access token if needed before the upgrade request
        SignSession.Result r;
        try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), CONNECT_TIMEOUT)) {
            r = ch.sign(requestId, checked.tx(), share, MpcChannel.DEFAULT_SESSION_TIMEOUT);
        }
        ObjectNode n = Json.object().put("request", requestId).put("walletId", req.walletId())
                .put("signingHash", checked.signingHashHex()).put("txHash", r.txHash())
                .put("rawTransaction", r.rawTransaction());
        n.putObject("signature").put("r", Bytes.toHex(Bytes.fixedWidth(r.signature().r(), 32)))
                .put("s", Bytes.toHex(Bytes.fixedWidth(r.signature().s(), 32))).put("v", r.signature().recoveryId());
        print(n, "signed (signature verified under the wallet's key)\ntx hash " + r.txHash() + "\nraw transaction "
                + r.rawTransaction());
    }

    private void requestSign() {
        String walletId = cl.arg(0);
        TxFields f = new TxFields(cl.option("--chain-id", null), cl.option("--nonce", null),
                cl.option("--priority-fee", null), cl.option("--max-fee", null), cl.option("--gas-limit", null),
                cl.option("--to", null), cl.option("--value-wei", null), cl.option("--data", "0x"));
        Eip1559Transaction tx;
        try {
            tx = f.toTransaction();
        } catch (WalletException e) {
            throw new UsageException(e.getMessage());
        }
        BankApi api = api();
        SignRequest r = api.createSignRequest(walletId, f);
        String local = "0x" + Bytes.toHex(tx.signingHash());
        if (!local.equalsIgnoreCase(r.signingHash())) {
            throw new WalletException("the bank created request " + r.id() + " with signing hash " + r.signingHash()
                    + ", not the hash of the fields sent (" + local + ")");
        }
        print(Json.object().put("request", r.id()).put("walletId", r.walletId()).put("status", r.status())
                        .put("signingHash", r.signingHash()).put("expiresAt", r.expiresAt()),
                "sign request " + r.id() + " (" + r.status() + ", hash " + r.signingHash() + ")");
    }

    private void backup() {
        Path file = Path.of(cl.arg(0)).toAbsolutePath();
        List<String> ids = Backup.create(shares, file);
        ObjectNode n = Json.object().put("backup", file.toString());
        ArrayNode arr = n.putArray("wallets");
        ids.forEach(arr::add);
        print(n, "backed up " + ids.size() + " wallet share(s) to " + file
                + " (still encrypted with your password; keep the file safe)");
    }

    private void restore() {
        Path file = Path.of(cl.arg(0)).toAbsolutePath();
        char[] pw = password(false);
        try {
            Backup.Restored r = Backup.restore(shares, file, pw, cl.flag("--force"));
            ObjectNode n = Json.object();
            ArrayNode a = n.putArray("restored");
            r.restored().forEach(a::add);
            ArrayNode u = n.putArray("unchanged");
            r.unchanged().forEach(u::add);
            print(n, "restored " + r.restored().size() + " wallet share(s)"
                    + (r.unchanged().isEmpty() ? "" : ", " + r.unchanged().size() + " already present"));
        } finally {
            Passwords.wipe(pw);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private BankApi api() {
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

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private boolean safeExists(String walletId) {
        try {
            return shares.exists(walletId);
        } catch (WalletException e) {
            return false;
        }
    }

    private static String ethOrNull(String wei) {
        try {
            return SigningCheck.eth(new BigInteger(wei));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String describe(SigningCheck.Checked c) {
        Eip1559Transaction tx = c.tx();
        byte[] data = tx.data();
        return "Sign request " + c.request().id() + " of wallet " + c.request().walletId() + "\n"
                + "  to:           " + tx.to().toChecksumHex() + "\n"
                + "  value:        " + SigningCheck.eth(tx.value()) + " ETH (" + tx.value() + " wei)\n"
                + "  chain id:     " + tx.chainId() + "\n"
                + "  nonce:        " + tx.nonce() + "\n"
                + "  max fee:      " + tx.maxFeePerGas() + " wei/gas\n"
                + "  priority fee: " + tx.maxPriorityFeePerGas() + " wei/gas\n"
                + "  gas limit:    " + tx.gasLimit() + "\n"
                + "  data:         0x" + Bytes.toHex(data) + " (" + data.length + " bytes)\n"
                + "  signing hash: " + c.signingHashHex() + " (computed on this device; equals the bank's)";
    }

    private boolean confirm(String prompt) {
        err.print(prompt);
        err.flush();
        try {
            String line = in.readLine();
            return line != null && (line.trim().equalsIgnoreCase("y") || line.trim().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The password: $WALLET_PASSWORD, else prompted without echo (twice when {@code confirm}); NFC-normalised. */
    private char[] password(boolean confirm) {
        String fromEnv = env.get("WALLET_PASSWORD");
        if (fromEnv != null) {
            if (fromEnv.isEmpty()) {
                throw new WalletException("WALLET_PASSWORD is set but empty");
            }
            return Passwords.normalize(fromEnv.toCharArray());
        }
        Console console = System.console();
        if (console == null) {
            throw new WalletException("no password: set WALLET_PASSWORD or run in a terminal");
        }
        char[] first = console.readPassword("Password: ");
        if (first == null || first.length == 0) {
            throw new WalletException("no password entered");
        }
        if (confirm) {
            char[] again = console.readPassword("Repeat password: ");
            boolean same = again != null && java.util.Arrays.equals(first, again);
            Passwords.wipe(again);
            if (!same) {
                Passwords.wipe(first);
                throw new WalletException("the passwords do not match");
            }
        }
        return Passwords.normalize(first);
    }

    private void progress(String line) {
        if (!cl.json()) {
            err.println(line);
        }
    }

    private void print(ObjectNode json, String human) {
        out.println(cl.json() ? Json.write(json) : human);
        out.flush();
    }
}
