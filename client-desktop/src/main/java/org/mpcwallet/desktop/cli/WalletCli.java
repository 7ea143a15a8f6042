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
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.device.Amounts;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.device.CosignQueue;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.crypto.device.RefreshDriver;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.desktop.core.Backup;
import org.mpcwallet.desktop.core.Balances;
import org.mpcwallet.desktop.core.BankApi;
import org.mpcwallet.desktop.core.BankApiException;
import org.mpcwallet.desktop.core.Deposit;
import org.mpcwallet.desktop.core.DeviceRingPedersen;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.KeyInfo;
import org.mpcwallet.desktop.core.MpcChannel;
import org.mpcwallet.desktop.core.MpcException;
import org.mpcwallet.desktop.core.Passwords;
import org.mpcwallet.desktop.core.Session;
import org.mpcwallet.desktop.core.SessionStore;
import org.mpcwallet.desktop.core.ShareSelection;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.core.SignRequest;
import org.mpcwallet.desktop.core.SigningCheck;
import org.mpcwallet.desktop.core.TxFields;
import org.mpcwallet.desktop.core.TxRequestInfo;
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

    /** This device's own ring-Pedersen parameters, made on first use (a second or two, said on stderr). */
    private ProvenRingPedersen deviceParams() {
        if (!java.nio.file.Files.exists(dataDir.resolve("ring-pedersen.bin"))) {
            progress("making this device's proof parameters (once per device, a second or two)");
        }
        return DeviceRingPedersen.loadOrCreate(dataDir);
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
            case "keygen" -> keygen();
            case "list" -> list();
            case "requests" -> requests();
            case "sign" -> sign();
            case "refresh" -> refresh();
            case "request-sign" -> requestSign();
            case "send" -> send();
            case "status" -> status();
            case "transfers" -> transfers();
            case "approve" -> approve();
            case "cosign" -> cosign();
            case "grant" -> grant();
            case "balances" -> balances();
            case "deposits" -> deposits();
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

    /**
     * Revokes the session at the bank (its refresh token family, docs/controls-hardening.md §2), then deletes the
     * session file. A bank that cannot be reached does not keep the file: it is deleted, and the output says the bank
     * was not told (the refresh token then lapses after its lifetime).
     */
    private void logout() {
        Session s = sessions.load();
        boolean revoked = false;
        if (s != null) {
            try {
                new BankApi(s.server(), new BankApi.Tokens(s.accessToken(), s.refreshToken()), t -> {}).logout();
                revoked = true;
            } catch (WalletException e) {
                progress("the bank could not be told (" + e.getMessage() + "); the session file is removed anyway");
            }
        }
        boolean had = sessions.delete();
        print(Json.object().put("loggedOut", had).put("revokedAtBank", revoked), had ? "logged out (session "
                + (revoked ? "revoked at the bank, " : "") + "file removed)" : "not logged in");
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
        keygenFor(api -> {
            WalletInfo wallet = api.createWallet(name, type, risk);
            progress("wallet " + wallet.id() + " created; running keygen with the bank (this takes a few seconds)");
            return wallet;
        });
    }

    /**
     * Runs the keygen of a wallet the bank created in PENDING_KEYGEN for this user, such as the successor of a
     * rotated wallet (docs/key-rotation.md).
     */
    private void keygen() {
        String walletId = cl.arg(0);
        ShareStore.requireWalletId(walletId);
        keygenFor(api -> {
            WalletInfo wallet = api.getWallet(walletId);
            if (!"PENDING_KEYGEN".equals(wallet.status())) {
                throw new WalletException("wallet " + walletId + " is " + wallet.status() + "; only a PENDING_KEYGEN "
                        + "wallet runs a keygen");
            }
            if (safeExists(walletId)) {
                throw new WalletException("this device already holds a share for wallet " + walletId);
            }
            progress("running keygen for wallet " + walletId + " with the bank (this takes a few seconds)");
            return wallet;
        });
    }

    private void keygenFor(java.util.function.Function<BankApi, WalletInfo> target) {
        BankApi api = api();
        String username = sessions.load().username();
        char[] pw = password(false);
        try {
            // the same password seals the share: check it is the account's before a share is sealed under a typo
            api.login(username, pw);
            WalletInfo wallet = target.apply(api);
            String name = wallet.name();
            ShareStore.requireWalletId(wallet.id());
            ProvenRingPedersen deviceParams = deviceParams();
            KeygenDriver.Result r;
            try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), CONNECT_TIMEOUT)) {
                r = ch.keygen(wallet.id(), share -> shares.save(wallet.id(), share, pw), deviceParams,
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
            String setAside = null;
            if (local && "FAILED".equals(w.status())) {
                // a share sealed by a keygen that never completed is no wallet's key (docs/controls-hardening.md §7)
                setAside = shares.setAsideFailedKeygen(w.id()).toString();
                local = false;
            }
            ObjectNode o = arr.addObject().put("id", w.id()).put("name", w.name()).put("type", w.type())
                    .put("status", w.status()).put("address", w.address()).put("share", local);
            if (setAside != null) {
                o.put("shareSetAside", setAside);
            }
            text.append(String.format("%s  %-12s %-15s %s%s%n", w.id(), w.status(), w.name(),
                    w.address() == null ? "-" : w.address(), local ? "  (share on this device)"
                            : setAside != null ? "  (keygen failed: its share is not usable, set aside as " + setAside
                            + ")" : ""));
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
                    .put("nonce", f.nonce()).put("type", f.type()).put("gasLimit", f.gasLimit())
                    .put("maxFeePerGas", f.maxFeePerGas()).put("maxPriorityFeePerGas", f.maxPriorityFeePerGas())
                    .put("gasPrice", f.gasPrice()).put("data", f.data())
                    .put("signingHash", r.signingHash()).put("expiresAt", r.expiresAt());
            text.append(String.format("%s  %-8s to %s  %s ETH  chain %s  nonce %s  expires %s%n", r.id(), r.status(),
                    shown(f.to()), ethOrNull(f.valueWei()), f.chainId(), f.nonce(), r.expiresAt()));
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
        ObjectNode n = coSign(api, req, checked, null);
        print(n, "signed (signature verified under the wallet's key)\ntx hash " + n.get("txHash").asText()
                + "\nraw transaction " + n.get("rawTransaction").asText());
    }

    /**
     * The co-signing of a checked sign request (shared by {@code sign} and {@code cosign}): shows the transfer (with
     * the transaction request's context when there is one), asks unless {@code --yes}, opens the current share,
     * checks the bank's address, runs SIGN over the channel and verifies the result. Returns the JSON result.
     */
    private ObjectNode coSign(BankApi api, SignRequest req, SigningCheck.Checked checked, TxRequestInfo context) {
        String requestId = req.id();
        if (!safeExists(req.walletId()) && !shares.hasNext(req.walletId())) {
            throw new WalletException("this device holds no share for wallet " + req.walletId()
                    + " (restore a backup first)");
        }
        PrintStream shown = cl.json() ? err : out;
        if (context != null) {
            shown.println(describeTxRequest(context));
        }
        shown.println(describe(checked));
        shown.flush();
        if (!cl.flag("--yes") && !confirm("Co-sign this transaction? [y/N] ")) {
            throw new WalletException("not confirmed; nothing was signed");
        }
        char[] pw = password(false);
        List<ShareSelection.Candidate> candidates;
        try {
            candidates = currentShares(api, req.walletId(), pw);
            if (context != null && context.sweep()) {
                requireSweepToOwnWallet(context, checked.tx(), pw);
            }
        } finally {
            Passwords.wipe(pw);
        }
        requireBankAddress(api, req.walletId(), candidates.get(0).share());
        api.me(); // refreshes the access token if needed before the upgrade request
        SignDriver.Result r = null;
        try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), CONNECT_TIMEOUT)) {
            for (int i = 0; r == null; i++) {
                ShareSelection.Candidate c = candidates.get(i);
                try {
                    r = ch.sign(requestId, checked.tx(), c.share(), MpcChannel.DEFAULT_SESSION_TIMEOUT);
                } catch (MpcException e) {
                    // only when the bank does not report its epoch: the bank refused this share before anything ran
                    if (!"STALE_SHARE".equals(e.code()) || i + 1 >= candidates.size()) {
                        throw e;
                    }
                    progress("the share of epoch " + c.share().epoch() + " is not the bank's; trying the share of "
                            + "epoch " + candidates.get(i + 1).share().epoch());
                    continue;
                }
                if (c.source() == ShareSelection.Source.NEXT && shares.hasNext(req.walletId())) {
                    shares.promoteNext(req.walletId());
                }
            }
        }
        ObjectNode n = Json.object().put("request", requestId).put("walletId", req.walletId())
                .put("signingHash", checked.signingHashHex()).put("txHash", r.txHash())
                .put("rawTransaction", r.rawTransaction());
        n.putObject("signature").put("r", Bytes.toHex(Bytes.fixedWidth(r.signature().r(), 32)))
                .put("s", Bytes.toHex(Bytes.fixedWidth(r.signature().s(), 32))).put("v", r.signature().recoveryId());
        return n;
    }

    /**
     * Joins a key refresh an administrator authorized: the new share (same Q, next epoch) is sealed to
     * {@code <walletId>.vault.next} before R4 leaves; after the bank's {@code done} (same Q, that epoch) it replaces
     * {@code <walletId>.vault} atomically. If anything fails the old file stays.
     */
    private void refresh() {
        String walletId = cl.arg(0);
        ShareStore.requireWalletId(walletId);
        BankApi api = api();
        if (!safeExists(walletId) && !shares.hasNext(walletId)) {
            throw new WalletException("this device holds no share for wallet " + walletId + " (restore a backup first)");
        }
        char[] pw = password(false);
        try {
            List<ShareSelection.Candidate> candidates = currentShares(api, walletId, pw);
            if (candidates.size() > 1) {
                throw new WalletException("cannot tell which share of wallet " + walletId + " is current: the bank "
                        + "does not report the key's epoch and this device holds " + shares.file(walletId)
                        + " (epoch " + candidates.get(0).share().epoch() + ") and " + shares.nextFile(walletId)
                        + " (epoch " + candidates.get(1).share().epoch() + "); co-sign a transaction first (it "
                        + "settles which one the bank accepts), then refresh");
            }
            P2KeyShare current = candidates.get(0).share();
            requireBankAddress(api, walletId, current);
            api.me(); // refreshes the access token if needed before the upgrade request
            progress("refreshing the key of wallet " + walletId + " with the bank (epoch " + current.epoch() + " -> "
                    + (current.epoch() + 1) + ")");
            boolean[] sealed = {false};
            ProvenRingPedersen deviceParams = deviceParams();
            RefreshDriver.Result r;
            try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), CONNECT_TIMEOUT)) {
                r = ch.refresh(walletId, current, share -> {
                    shares.saveNext(walletId, share, pw);
                    sealed[0] = true;
                }, deviceParams, MpcChannel.DEFAULT_SESSION_TIMEOUT);
            } catch (MpcException e) {
                if (!sealed[0]) {
                    throw e;
                }
                throw new MpcException(e.code(), (e.detail() == null ? "" : e.detail() + "; ")
                        + "the new share is kept in " + shares.nextFile(walletId) + " and " + shares.file(walletId)
                        + " is unchanged; the next sign or refresh asks the bank which one is current");
            }
            shares.promoteNext(walletId);
            print(Json.object().put("wallet", walletId).put("epoch", r.epoch()).put("publicKey", r.publicKeyHex()),
                    "wallet " + walletId + " refreshed: key epoch " + r.epoch() + ", same public key and address\n"
                            + "new share sealed in " + shares.file(walletId) + " (back it up again: older backups"
                            + " are stale)");
        } finally {
            Passwords.wipe(pw);
        }
    }

    // ---- custody pipeline (docs/custody-pipeline.md) ---------------------------------------------------------------

    /** {@code send}: a transaction request; the bank screens it, applies its policies and collects approvals. */
    private void send() {
        String walletId = cl.arg(0);
        String to = cl.option("--to", null);
        String amount = cl.option("--amount", null);
        String asset = cl.option("--asset", "ETH").toUpperCase(Locale.ROOT);
        if (!to.matches("0x[0-9a-fA-F]{40}")) {
            throw new UsageException("--to must be 0x followed by 40 hex digits");
        }
        if (!amount.matches("[1-9][0-9]{0,77}")) {
            throw new UsageException("--amount must be a positive whole number of base units (wei for ETH), e.g. "
                    + "1000000000000000000 for 1 ETH");
        }
        TxRequestInfo r = api().createTxRequest(walletId, asset, to, amount, cl.option("--note", null));
        print(r.toJson(), "transaction request " + r.id() + " (" + r.status() + "): " + amountText(r) + " to "
                + shown(r.to()) + "\nfollow it with `wallet status " + r.id() + "`");
    }

    private void status() {
        TxRequestInfo r = api().getTxRequest(cl.arg(0));
        print(r.toJson(), describeTxRequest(r));
    }

    private void transfers() {
        String walletId = cl.arg(0);
        String status = cl.option("--status", null);
        List<TxRequestInfo> list = api().listTxRequests(walletId, status == null ? null
                : status.toUpperCase(Locale.ROOT));
        ObjectNode n = Json.object().put("walletId", walletId);
        ArrayNode arr = n.putArray("txRequests");
        StringBuilder text = new StringBuilder();
        for (TxRequestInfo r : list) {
            arr.add(r.toJson());
            text.append(String.format("%s  %-19s %s to %s%s%n", r.id(), r.status(), amountText(r), shown(r.to()),
                    r.txHash() == null ? "" : "  tx " + r.txHash()));
        }
        print(n, list.isEmpty() ? "no transaction requests" : text.toString().stripTrailing());
    }

    /** {@code approve}: an APPROVER's vote (never the creator's; one vote per user). */
    private void approve() {
        boolean reject = cl.flag("--reject");
        TxRequestInfo r = api().voteTxRequest(cl.arg(0), reject ? "REJECT" : "APPROVE", cl.option("--comment", null));
        print(r.toJson(), (reject ? "rejected" : "approved") + " request " + r.id() + "; it is now " + r.status()
                + " (" + r.approvals() + " of " + r.requiredApprovals() + " approvals)");
    }

    /**
     * {@code cosign}: waits (polling the request over REST) until the bank has prepared the transaction and opened a
     * sign request for it, checks that the sign request is exactly this transfer (wallet, recipient, amount, token
     * call data) and that its hash is the hash of its fields, shows it, asks, and co-signs.
     */
    private void cosign() {
        String id = cl.arg(0);
        long timeoutSeconds;
        try {
            timeoutSeconds = Long.parseLong(cl.option("--timeout", "120"));
        } catch (NumberFormatException e) {
            throw new UsageException("--timeout must be a whole number of seconds");
        }
        if (timeoutSeconds < 0 || timeoutSeconds > 86_400) {
            throw new UsageException("--timeout must be between 0 and 86400 seconds");
        }
        BankApi api = api();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        CosignQueue queue = new CosignQueue(id, timeoutSeconds, CosignCheck.FeeCeiling.NONE);
        TxRequestInfo r;
        CosignQueue.Decision.CoSign go;
        SignRequest req = null;
        while (true) {
            r = api.getTxRequest(id);
            CosignQueue.Transfer t = transferOf(r);
            CosignQueue.Decision d = queue.onTransfer(t, System.nanoTime() >= deadline);
            if (d instanceof CosignQueue.Decision.Fetch f) {
                req = api.getSignRequest(f.signRequestId());
                d = queue.onSignRequest(t, signRequestOf(req), System.nanoTime() >= deadline);
            }
            if (d instanceof CosignQueue.Decision.CoSign c) {
                go = c;
                break;
            }
            if (d instanceof CosignQueue.Decision.Refuse refused) {
                throw new WalletException(refused.reason());
            }
            if (d instanceof CosignQueue.Decision.Stop stop) {
                if (stop.progress() != null) {
                    progress(stop.progress());
                }
                throw new WalletException(stop.reason());
            }
            String said = ((CosignQueue.Decision.Wait) d).progress();
            if (said != null) {
                progress(said);
            }
            sleep(Duration.ofSeconds(1));
        }
        SigningCheck.Checked checked = new SigningCheck.Checked(req, go.tx(), go.tx().signingHash(), go.review());
        ObjectNode n = Json.object().put("txRequest", r.id());
        n.setAll(coSign(api, req, checked, r));
        print(n, "co-signed request " + r.id() + " (signature verified under the wallet's key)\ntx hash "
                + n.get("txHash").asText() + "\nthe bank broadcasts it; follow it with `wallet status " + r.id() + "`");
    }

    /** The transfer as the shared co-sign queue reads it: what the user asked for and how its amount is shown. */
    static CosignQueue.Transfer transferOf(TxRequestInfo r) {
        CosignCheck.Transfer asked = new CosignCheck.Transfer(r.walletId(), r.to(), new BigInteger(r.amount()),
                r.tokenAddress(), r.chainId() == null ? null : new BigInteger(r.chainId()));
        CosignCheck.Asset asset = r.tokenAddress() == null ? CosignCheck.Asset.ETH
                : new CosignCheck.Asset(r.asset() == null || r.asset().isEmpty() ? "tokens" : r.asset(), -1,
                        r.tokenAddress());
        return new CosignQueue.Transfer(r.id(), r.status(), r.signRequestId(), r.approvals(), r.requiredApprovals(),
                r.lastError(), asked, asset);
    }

    static CosignQueue.SignRequest signRequestOf(SignRequest s) {
        TxFields f = s.fields();
        return new CosignQueue.SignRequest(s.id(), s.walletId(), s.status(), expired(s), new CosignCheck.Fields(
                f.type(), f.chainId(), f.nonce(), f.maxPriorityFeePerGas(), f.maxFeePerGas(), f.gasPrice(),
                f.gasLimit(), f.to(), f.valueWei(), f.data()), s.signingHash());
    }

    private static boolean expired(SignRequest s) {
        if (s.expiresAt() == null) {
            return false;
        }
        try {
            return Instant.parse(s.expiresAt()).isBefore(Instant.now());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalletException("interrupted while waiting");
        }
    }

    /** {@code grant}: the OWNER gives another user a role on the wallet (e.g. APPROVER). */
    private void grant() {
        String walletId = cl.arg(0);
        String userId = cl.arg(1);
        String role = cl.option("--role", "APPROVER").toUpperCase(Locale.ROOT);
        api().grantRole(walletId, userId, role);
        print(Json.object().put("wallet", walletId).put("userId", userId).put("role", role),
                "granted " + role + " on wallet " + walletId + " to user " + userId);
    }

    private void balances() {
        Balances b = api().balances(cl.arg(0));
        ObjectNode n = Json.object().put("walletId", b.walletId()).put("address", b.address());
        ArrayNode arr = n.putArray("balances");
        StringBuilder text = new StringBuilder("wallet " + b.walletId() + " (" + b.address() + ")");
        for (Balances.Balance x : b.balances()) {
            arr.addObject().put("asset", x.asset()).put("amount", x.amount()).put("decimals", x.decimals())
                    .put("token", x.token());
            text.append(String.format("%n  %-8s %s%s", x.asset(), units(x.amount(), x.decimals()),
                    x.token() == null ? "" : "  (token " + x.token() + ")"));
        }
        if (b.balances().isEmpty()) {
            text.append("\n  no balances");
        }
        print(n, text.toString());
    }

    private void deposits() {
        String walletId = cl.arg(0);
        List<Deposit> list = api().deposits(walletId);
        ObjectNode n = Json.object().put("walletId", walletId);
        ArrayNode arr = n.putArray("deposits");
        StringBuilder text = new StringBuilder();
        for (Deposit d : list) {
            arr.addObject().put("id", d.id()).put("txHash", d.txHash()).put("logIndex", d.logIndex())
                    .put("asset", d.asset()).put("token", d.token()).put("from", d.from()).put("amount", d.amount())
                    .put("blockNumber", d.blockNumber()).put("kytVerdict", d.kytVerdict())
                    .put("kytCaseId", d.kytCaseId()).put("status", d.status()).put("createdAt", d.createdAt());
            text.append(String.format("%s  %-10s %s %s from %s  block %s  tx %s  KYT %s%n", d.id(), d.status(),
                    d.amount(), d.asset(), d.from(), d.blockNumber(), d.txHash(), d.kytVerdict()));
        }
        print(n, list.isEmpty() ? "no deposits" : text.toString().stripTrailing());
    }

    private static String amountText(TxRequestInfo r) {
        if ("ETH".equals(r.asset())) {
            String eth = ethOrNull(r.amount());
            return (eth == null ? r.amount() : eth) + " ETH (" + r.amount() + " wei)";
        }
        return r.amount() + " base units of " + r.asset();
    }

    /** {@code amount} base units at {@code decimals} as a plain decimal. */
    static String units(String amount, int decimals) {
        try {
            return Amounts.units(new BigInteger(amount), decimals);
        } catch (RuntimeException e) {
            return String.valueOf(amount);
        }
    }

    /**
     * An address as people read it: the EIP-55 checksummed form (the bank stores and answers lower case; issue 10 §5:
     * every screen shows the checksum). Anything that is not an address is shown as it came.
     */
    static String shown(String address) {
        try {
            return address == null ? "-" : EthAddress.parse(address).toChecksumHex();
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    static String describeTxRequest(TxRequestInfo r) {
        StringBuilder b = new StringBuilder("Transaction request " + r.id() + " of wallet " + r.walletId() + "\n");
        b.append("  status:       ").append(r.status()).append('\n');
        b.append("  transfer:     ").append(amountText(r)).append(" to ").append(shown(r.to())).append('\n');
        if (r.note() != null) {
            b.append("  note:         ").append(r.note()).append('\n');
        }
        if (r.kytVerdict() != null) {
            b.append("  KYT:          ").append(r.kytVerdict())
                    .append(r.kytCaseId() == null ? "" : " (case " + r.kytCaseId() + ")").append('\n');
        }
        if (r.policyResult() != null) {
            b.append("  policy:       ").append(r.policyResult()).append('\n');
        }
        b.append("  approvals:    ").append(r.approvals()).append(" of ").append(r.requiredApprovals());
        for (TxRequestInfo.Vote v : r.votes()) {
            b.append("\n    ").append(v.decision()).append(" by ").append(v.userId())
                    .append(v.comment() == null ? "" : ": " + v.comment());
        }
        if (r.nonce() != null) {
            b.append("\n  nonce:        ").append(r.nonce());
        }
        if (r.signRequestId() != null) {
            b.append("\n  sign request: ").append(r.signRequestId());
        }
        if (r.txHash() != null) {
            b.append("\n  tx hash:      ").append(r.txHash());
            b.append("\n  confirmations: ").append(r.confirmations())
                    .append(r.blockNumber() == null ? "" : " (block " + r.blockNumber() + ")");
        }
        if (r.lastError() != null) {
            b.append("\n  last error:   ").append(r.lastError());
        }
        return b.toString();
    }

    private void requestSign() {
        String walletId = cl.arg(0);
        TxFields f = new TxFields(cl.option("--chain-id", null), cl.option("--nonce", null),
                cl.option("--priority-fee", null), cl.option("--max-fee", null), cl.option("--gas-limit", null),
                cl.option("--to", null), cl.option("--value-wei", null), cl.option("--data", "0x"));
        EthTransaction tx;
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

    /**
     * The wallet's shares to use, in order (docs/client-desktop.md "Refresh"). With a {@code .vault.next} left by a
     * refresh, the bank's epoch decides which file is current; a {@code .next} the bank confirms is renamed over the
     * {@code .vault} at once.
     */
    /**
     * A sweep (docs/key-rotation.md) is co-signed only when it pays the successor wallet whose share this device
     * holds: the address is derived here from that share's public key (opened with the password), not taken from the
     * bank.
     */
    private void requireSweepToOwnWallet(TxRequestInfo r, EthTransaction tx, char[] pw) {
        String successor = r.sweepToWallet();
        if (!safeExists(successor)) {
            throw new WalletException("refusing to co-sign sweep " + r.id() + ": this device holds no share for its "
                    + "destination wallet " + successor + " (run 'wallet keygen " + successor + "' first)");
        }
        P2KeyShare share = shares.open(successor, pw);
        EthAddress own = EthAddress.fromPublicKey(share.publicKey().encodeUncompressed());
        EthAddress payee = tx.data().length == 0 ? tx.to() : Erc20.decodeTransfer(tx.data()).to();
        if (!payee.equals(own) || !EthAddress.parse(r.to()).equals(own)) {
            throw new WalletException("refusing to co-sign sweep " + r.id() + ": it pays " + payee.toChecksumHex()
                    + ", not this device's wallet " + successor + " at " + own.toChecksumHex());
        }
        progress("sweep destination " + own.toChecksumHex() + " is wallet " + successor
                + ", whose share this device holds");
    }

    private List<ShareSelection.Candidate> currentShares(BankApi api, String walletId, char[] pw) {
        P2KeyShare vault = safeExists(walletId) ? shares.open(walletId, pw) : null;
        P2KeyShare next = null;
        if (shares.hasNext(walletId)) {
            try {
                next = shares.openNext(walletId, pw);
            } catch (WalletException e) {
                progress("ignoring " + shares.nextFile(walletId) + ": " + e.getMessage());
            }
        }
        if (next == null) {
            if (vault == null) {
                throw new WalletException("this device holds no share for wallet " + walletId
                        + " (restore a backup first)");
            }
            return List.of(new ShareSelection.Candidate(ShareSelection.Source.VAULT, vault));
        }
        KeyInfo key = api.keyInfo(walletId);
        List<ShareSelection.Candidate> candidates = ShareSelection.candidates(vault, next, key.publicKey(),
                key.epoch());
        if (candidates.isEmpty()) {
            throw new WalletException("no usable share for wallet " + walletId + ": " + shares.nextFile(walletId)
                    + " does not hold the bank's key (restore a backup)");
        }
        if (key.epoch() != null && candidates.get(0).source() == ShareSelection.Source.NEXT) {
            shares.promoteNext(walletId);
            progress("the bank's key is at epoch " + key.epoch() + ": " + shares.nextFile(walletId)
                    + " (left by a refresh) is now " + shares.file(walletId));
        }
        return candidates;
    }

    private static void requireBankAddress(BankApi api, String walletId, P2KeyShare share) {
        WalletInfo wallet = api.getWallet(walletId);
        String mine = EthAddress.fromPublicKey(share.publicKey().encodeUncompressed()).toChecksumHex();
        if (wallet.address() == null || !mine.equalsIgnoreCase(wallet.address())) {
            throw new WalletException("the bank's address of wallet " + walletId + " (" + wallet.address()
                    + ") is not the address of this device's share (" + mine + "); refusing to use it");
        }
    }

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
        CosignCheck.Review v = c.review();
        String fees = v.type() == EthTransaction.Type.LEGACY
                ? "  gas price:    " + v.gasPrice() + " wei/gas (legacy EIP-155 transaction)\n"
                : "  max fee:      " + v.maxFeePerGas() + " wei/gas\n"
                        + "  priority fee: " + v.maxPriorityFeePerGas() + " wei/gas\n";
        return "Sign request " + c.request().id() + " of wallet " + c.request().walletId() + "\n"
                + "  to:           " + v.to() + "\n"
                + "  value:        " + v.valueEth() + " ETH (" + v.valueWei() + " wei)\n"
                + "  chain id:     " + v.chainId() + "\n"
                + "  nonce:        " + v.nonce() + "\n"
                + fees
                + "  gas limit:    " + v.gasLimit() + "\n"
                + "  data:         " + v.dataHex() + " (" + v.dataLength() + " bytes)\n"
                + "  signing hash: " + v.signingHashHex() + " (computed on this device; equals the bank's)";
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
