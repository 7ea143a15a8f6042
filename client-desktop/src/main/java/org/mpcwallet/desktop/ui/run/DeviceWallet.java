package org.mpcwallet.desktop.ui.run;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.mpcwallet.crypto.device.CosignQueue;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.crypto.device.RefreshDriver;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.desktop.core.Backup;
import org.mpcwallet.desktop.core.BankApi;
import org.mpcwallet.desktop.core.Balances;
import org.mpcwallet.desktop.core.CoSigning;
import org.mpcwallet.desktop.core.Deposit;
import org.mpcwallet.desktop.core.DeviceRingPedersen;
import org.mpcwallet.desktop.core.DeviceSecrets;
import org.mpcwallet.desktop.core.KeyInfo;
import org.mpcwallet.desktop.core.KeyRefresh;
import org.mpcwallet.desktop.core.Keygen;
import org.mpcwallet.desktop.core.Passwords;
import org.mpcwallet.desktop.core.PoolTopUp;
import org.mpcwallet.desktop.core.SecureFiles;
import org.mpcwallet.desktop.core.Session;
import org.mpcwallet.desktop.core.SessionStore;
import org.mpcwallet.desktop.core.ShareSelection;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.core.SignRequest;
import org.mpcwallet.desktop.core.TxRequestInfo;
import org.mpcwallet.desktop.core.VaultSecrets;
import org.mpcwallet.desktop.core.WalletException;
import org.mpcwallet.desktop.core.WalletInfo;
import org.mpcwallet.desktop.ui.model.WalletRow;

/**
 * The window's device: the same core as the command line (the data directory's share files, vault secrets,
 * session file and the bank's REST and channel clients), as blocking calls the {@link Runner} runs off the UI
 * thread. It holds the session of the signed-in user; the wallet secret is passed in per call and wiped after it,
 * never kept. The login password is kept in memory only while this device has no wallet secret yet, so that the
 * secret being set can be refused when it equals the login password (shared-crypto {@code VaultUnlock}); it is
 * wiped once the secret is set and on sign-out.
 *
 * <p>After a keygen, a co-signing or a refresh the wallet's presignature pool is topped up (docs/presign-online.md
 * "Stage 3") on a background thread of its own, one top-up at a time, while the window already shows the result; a
 * failure there is a notice, never the action's failure.
 */
public final class DeviceWallet {
    private final Path dataDir;
    private final ShareStore shares;
    private final VaultSecrets vaults;
    private final SessionStore sessions;
    private final CoSigning cosigning;
    private final List<String> notices = new ArrayList<>();
    private final ExecutorService topUps =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("presignatures").factory());
    private volatile BankApi api;
    private volatile String username;
    private char[] loginPassword;

    public DeviceWallet(Path dataDir) {
        this.dataDir = dataDir;
        this.shares = new ShareStore(dataDir);
        this.vaults = new VaultSecrets(shares, this::notice);
        this.sessions = new SessionStore(dataDir);
        this.cosigning = new CoSigning(shares, vaults, this::notice);
    }

    /** Runs {@code topUp} after what was queued before it, in the background. */
    private void inBackground(PoolTopUp topUp) {
        topUps.execute(topUp::run);
    }

    /**
     * Waits until the presignature top-ups queued so far have finished (or {@code timeout} passed); true when they
     * have. For tests and for a window that closes.
     */
    public boolean awaitTopUps(java.time.Duration timeout) throws InterruptedException {
        java.util.concurrent.Future<?> marker = topUps.submit(() -> { });
        try {
            marker.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private synchronized void notice(String line) {
        notices.add(line);
    }

    /** What the core said the user must read since the last call (a share re-sealed or promoted), then forgets it. */
    public synchronized List<String> drainNotices() {
        List<String> out = List.copyOf(notices);
        notices.clear();
        return out;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The bank's URL last used on this device (the session's, else the remembered one), or null. */
    public String rememberedServer() {
        Path f = dataDir.resolve("desktop-server.txt");
        try {
            Session s = sessions.load();
            if (s != null) {
                return s.server();
            }
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8).strip() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private void rememberServer(String server) {
        SecureFiles.privateDirectory(dataDir);
        SecureFiles.writeAtomically(dataDir.resolve("desktop-server.txt"), server.getBytes(StandardCharsets.UTF_8));
    }

    /** The signed-in user's name, or null. */
    public String username() {
        return username;
    }

    public String server() {
        BankApi a = api;
        return a == null ? null : a.baseUrl();
    }

    /**
     * Resumes the session stored on this device (it survives a restart): the bank is asked who we are, which
     * refreshes an expired access token silently. Null when there is no session or the bank ended it.
     */
    public BankApi.Me resume() {
        Session s = sessions.load();
        if (s == null) {
            return null;
        }
        BankApi a = new BankApi(s.server(), new BankApi.Tokens(s.accessToken(), s.refreshToken()),
                t -> sessions.save(s.withTokens(t.accessToken(), t.refreshToken())));
        BankApi.Me me;
        try {
            me = a.me();
        } catch (org.mpcwallet.desktop.core.BankApiException e) {
            if (e.status() == 401) {
                sessions.delete();
                return null;
            }
            throw e;
        }
        api = a;
        username = me.username();
        return me;
    }

    /** Signs in at {@code server}; the session is stored (mode 600) and the server remembered. */
    public BankApi.Me signIn(String server, String user, char[] password) {
        BankApi a = new BankApi(server, null, null);
        BankApi.Me me = a.login(user, Passwords.normalize(password.clone()));
        started(a, me, password);
        return me;
    }

    /** Registers at {@code server} and signs in with the same password. */
    public BankApi.Me register(String server, String user, char[] password, String email) {
        BankApi a = new BankApi(server, null, null);
        char[] pw = Passwords.normalize(password.clone());
        a.register(user, pw, email == null || email.isBlank() ? null : email.strip());
        BankApi.Me me = a.login(user, pw);
        Passwords.wipe(pw);
        started(a, me, password);
        return me;
    }

    private void started(BankApi a, BankApi.Me me, char[] password) {
        Session s = new Session(a.baseUrl(), me.username(), a.tokens().accessToken(), a.tokens().refreshToken());
        sessions.save(s);
        rememberServer(a.baseUrl());
        api = new BankApi(s.server(), a.tokens(), t -> sessions.save(s.withTokens(t.accessToken(),
                t.refreshToken())));
        username = me.username();
        synchronized (this) {
            Passwords.wipe(loginPassword);
            loginPassword = vaults.secretIsSet() ? null : Passwords.normalize(password.clone());
        }
    }

    /**
     * Signs out: the session is revoked at the bank (its refresh token family) and its file deleted; a bank that
     * cannot be reached does not keep the file. Returns whether the bank was told.
     */
    public boolean signOut() {
        boolean told = false;
        BankApi a = api;
        if (a != null) {
            try {
                a.logout();
                told = true;
            } catch (WalletException e) {
                notice("the bank could not be told (" + e.getMessage() + "); this device forgot the session anyway");
            }
        }
        sessions.delete();
        api = null;
        username = null;
        synchronized (this) {
            Passwords.wipe(loginPassword);
            loginPassword = null;
        }
        return told;
    }

    private BankApi api() {
        BankApi a = api;
        if (a == null) {
            throw new WalletException("not signed in");
        }
        return a;
    }

    /** Whether this device has a wallet secret already (a share sealed with it); else a keygen sets it. */
    public boolean walletSecretIsSet() {
        return vaults.secretIsSet();
    }

    /** The user's wallets with balances, key state and whether this device holds the share. */
    public List<WalletRow> wallets() {
        BankApi a = api();
        List<WalletRow> rows = new ArrayList<>();
        for (WalletInfo w : a.listWallets()) {
            Balances b = null;
            KeyInfo k = null;
            if (w.address() != null) {
                try {
                    b = a.balances(w.id());
                } catch (WalletException e) {
                    b = null; // the node may be down: the row shows no balance rather than failing the list
                }
                try {
                    k = a.keyInfo(w.id());
                } catch (WalletException e) {
                    k = null;
                }
            }
            rows.add(WalletRow.of(w, b, k, cosigning.holdsShare(w.id())));
        }
        return rows;
    }

    public Balances balances(String walletId) {
        return api().balances(walletId);
    }

    public List<Deposit> deposits(String walletId) {
        return api().deposits(walletId);
    }

    public List<TxRequestInfo> transfers(String walletId) {
        return api().listTxRequests(walletId, null);
    }

    public TxRequestInfo transfer(String id) {
        return api().getTxRequest(id);
    }

    /** The user's transfer: the bank screens it, applies its policies and collects approvals. */
    public TxRequestInfo send(String walletId, String asset, String to, BigInteger baseUnits, String note) {
        return api().createTxRequest(walletId, asset, to, baseUnits.toString(), note == null || note.isBlank() ? null
                : note.strip());
    }

    /** What the wallet secret dialog needs: the secret typed, and the repetition when it is being set. */
    public record Secret(char[] typed, char[] repeated) {
        public void wipe() {
            Passwords.wipe(typed);
            Passwords.wipe(repeated);
        }

        @Override
        public String toString() {
            return "Secret[redacted]";
        }
    }

    private DeviceSecrets secrets(Secret secret) {
        return new DeviceSecrets(new DeviceSecrets.Prompts() {
            @Override
            public char[] loginPassword(boolean mayAsk) {
                synchronized (DeviceWallet.this) {
                    return loginPassword == null ? null : loginPassword.clone();
                }
            }

            @Override
            public char[] walletSecret(boolean confirm) {
                if (secret.typed() == null || secret.typed().length == 0) {
                    throw new WalletException("enter your wallet secret");
                }
                if (confirm && (secret.repeated() == null || !java.util.Arrays.equals(secret.typed(),
                        secret.repeated()))) {
                    throw new WalletException("the two wallet secrets you typed differ");
                }
                return secret.typed().clone();
            }
        });
    }

    /**
     * Creates a wallet at the bank and runs its keygen; the share is sealed with the wallet secret before K4 leaves
     * (the bank marks the wallet ACTIVE only after K4). The secret is settled before the bank is asked for anything:
     * a wrong or refused secret sends nothing. {@code progress} hears the protocol's steps; interrupting the
     * calling thread cancels the session.
     */
    public KeygenDriver.Result createWallet(String name, String type, Secret secret,
            Consumer<DeviceSession.Progress> progress) {
        BankApi a = api();
        try (DeviceSecrets s = secrets(secret)) {
            char[] walletSecret;
            try {
                walletSecret = vaults.sealingSecret(s);
            } catch (WalletException e) {
                throw new WalletException(e.getMessage() + "; nothing was sent to the bank");
            }
            ProvenRingPedersen deviceParams = DeviceRingPedersen.loadOrCreate(dataDir);
            WalletInfo wallet = a.createWallet(name, type, "LOW");
            Keygen.Created created = Keygen.run(a, wallet.id(), vaults, walletSecret, deviceParams, progress);
            synchronized (this) {
                Passwords.wipe(loginPassword);
                loginPassword = null;
            }
            inBackground(created.topUp());
            return created.result();
        } finally {
            secret.wipe();
        }
    }

    /** One look at a transfer for its co-sign queue: the transfer, the queue's decision, the sign request fetched. */
    public record CosignLook(TxRequestInfo transfer, CosignQueue.Decision decision, SignRequest signRequest) {
    }

    /**
     * Asks the bank for transfer {@code id} and, when it waits for this device, for its sign request, and lets the
     * shared co-sign queue decide (fetch, wait, stop, refuse, co-sign) — the device's own check that the sign
     * request is exactly this transfer.
     */
    public CosignLook look(CosignQueue queue, String id) {
        BankApi a = api();
        TxRequestInfo r = a.getTxRequest(id);
        CosignQueue.Transfer t = r.forCosignQueue();
        CosignQueue.Decision d = queue.onTransfer(t, false);
        SignRequest req = null;
        if (d instanceof CosignQueue.Decision.Fetch f) {
            req = a.getSignRequest(f.signRequestId());
            d = queue.onSignRequest(t, req.forCosignQueue(Instant.now()), false);
        }
        return new CosignLook(r, d, req);
    }

    /**
     * Co-signs: opens this device's current share with the wallet secret (a wrong one changes nothing), checks a
     * sweep's destination, runs SIGN over the channel and verifies the bank's signature.
     */
    public SignDriver.Result cosign(TxRequestInfo transfer, SignRequest request, EthTransaction tx, Secret secret,
            Consumer<DeviceSession.Progress> progress) {
        BankApi a = api();
        List<ShareSelection.Candidate> candidates;
        try (DeviceSecrets s = secrets(secret)) {
            if (!cosigning.holdsShare(request.walletId())) {
                throw new WalletException("this device holds no share for wallet " + request.walletId()
                        + " (restore a backup first)");
            }
            candidates = cosigning.currentShares(a, request.walletId(), s);
            if (transfer.sweep()) {
                cosigning.requireSweepToOwnWallet(transfer, tx, s);
            }
        } finally {
            secret.wipe();
        }
        CoSigning.Signed signed = cosigning.sign(a, request.id(), request.walletId(), tx, candidates,
                transfer.sweep(), progress);
        inBackground(signed.topUp());
        return signed.result();
    }

    /**
     * Refreshes the key of {@code walletId} after the bank authorized it ({@link KeyRefresh}): same key and address,
     * new shares; the new one sealed with the wallet secret before the bank commits.
     */
    public RefreshDriver.Result refresh(String walletId, Secret secret, Consumer<DeviceSession.Progress> progress) {
        BankApi a = api();
        try (DeviceSecrets s = secrets(secret)) {
            KeyRefresh.Refreshed refreshed = new KeyRefresh(shares, vaults, cosigning, this::notice).run(a, walletId,
                    s, DeviceRingPedersen.loadOrCreate(dataDir), progress);
            inBackground(refreshed.topUp());
            return refreshed.result();
        } finally {
            secret.wipe();
        }
    }

    /** Writes the backup bundle (docs/vault-format.md; the browser wallet opens it too). */
    public List<String> backup(Path file, Secret secret) {
        try (DeviceSecrets s = secrets(secret)) {
            return Backup.create(vaults, file, s);
        } finally {
            secret.wipe();
        }
    }

    /** Restores the shares of a backup bundle; an existing different share is not replaced. */
    public Backup.Restored restore(Path file, Secret secret) {
        try (DeviceSecrets s = secrets(secret)) {
            return Backup.restore(vaults, file, s, false);
        } finally {
            secret.wipe();
        }
    }
}
