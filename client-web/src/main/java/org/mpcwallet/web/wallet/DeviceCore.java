package org.mpcwallet.web.wallet;

import static org.mpcwallet.web.wallet.DeviceJson.done;
import static org.mpcwallet.web.wallet.DeviceJson.obj;
import static org.mpcwallet.web.wallet.DeviceJson.ok;
import static org.mpcwallet.web.wallet.DeviceJson.progress;
import static org.mpcwallet.web.wallet.DeviceJson.reviewJson;
import static org.mpcwallet.web.wallet.DeviceJson.str;
import static org.mpcwallet.web.wallet.DeviceJson.strings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mpcwallet.crypto.channel.Json;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.device.CosignQueue;
import org.mpcwallet.crypto.device.CosignReview;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.crypto.device.RefreshDriver;
import org.mpcwallet.crypto.device.SessionFailure;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.qr.QrCode;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenSetup;

/**
 * The browser wallet's device side (docs/client-web.md "The worker"), run inside the dedicated Web Worker: one
 * operation at a time (a keygen or a co-signature), built on the shared device core (the session drivers, the
 * co-sign check and review). It holds the share, the wallet secret and the protocol state; none of them ever leaves
 * this object: what it returns are channel frames for the bank, sealed envelopes for IndexedDB, progress, the
 * review the user reads, and outcomes (address, transaction hash, or a failure code and sentence). When an operation
 * ends (done, failed, abandoned) the secret is zeroed and the session dropped.
 *
 * <p>Every answer is one JSON object (written by shared-crypto's {@link Json}); the worker's JavaScript only moves
 * them: frames to the WebSocket, an envelope to IndexedDB <b>before</b> the frames of the same reaction leave (so the
 * bank never finishes a keygen whose share is not stored), the rest to the page. No I/O here; the vault (WebCrypto in
 * the browser) comes in through {@link Vault}, so the JVM tests run the same code.
 *
 * <p>This class keeps the operations' lifecycle (start, frames, end) and the state they hold. What it does with
 * envelopes outside an operation (check, reseal, recover) is {@link ShareEnvelopes}; the co-sign decision is
 * {@link CosignDecision}; how answers are written and requests read is {@link DeviceJson}.
 */
public final class DeviceCore {
    /** Seals and opens P2's share (docs/vault-format.md v1). */
    public interface Vault {
        /** A fresh envelope of {@code share} under {@code secret} for {@code walletId}. */
        byte[] seal(char[] secret, String walletId, byte[] share);

        /** The share inside {@code envelope}, or the vault's failure (wrong secret or tampered, wrong wallet...). */
        Result<byte[], VaultFailure> open(char[] secret, byte[] envelope, String walletId);
    }

    private final Vault vault;
    private final ShareEnvelopes envelopes;
    private final Env env;
    private DeviceSession<?> session;
    private String walletId;
    private char[] secret;
    private char[] passkeySecret;
    private String pendingEnvelope;
    private String pendingPasskeyEnvelope;
    private int pendingEpoch = -1;

    public DeviceCore(Vault vault, Env env) {
        if (vault == null || env == null) {
            throw new IllegalArgumentException("a vault and an environment are required");
        }
        this.vault = vault;
        this.envelopes = new ShareEnvelopes(vault);
        this.env = env;
    }

    /** The device's one-time ring-Pedersen parameters with their proof (public values only), hex. */
    public static String setup(Env env) {
        return Bytes.toHex(RingPedersenSetup.generate(env.random(), env.modPow()).prove(env.random(), env.modPow())
                .encode());
    }

    /** True while an operation runs. */
    public boolean busy() {
        return session != null;
    }

    /**
     * Starts the keygen of wallet {@code walletId}; the share will be sealed under {@code walletSecret} (which this
     * object keeps until the operation ends; the caller's array is not kept). Answers {@code {"ok":true,"send":[the
     * opening frame]}} or a failure.
     */
    public String beginKeygen(String walletId, char[] walletSecret, String deviceParamsHex) {
        if (session != null) {
            return failure("BUSY", "another operation is still running in this wallet");
        }
        if (walletId == null || walletId.isEmpty() || walletSecret == null || walletSecret.length == 0) {
            return failure("BAD_REQUEST", "a wallet and its wallet secret are required");
        }
        ProvenRingPedersen params;
        try {
            params = ProvenRingPedersen.decode(Bytes.fromHex(deviceParamsHex));
        } catch (RuntimeException e) {
            return failure("DEVICE_SETUP", "this browser's device parameters do not decode; prepare the device again");
        }
        this.walletId = walletId;
        this.secret = walletSecret.clone();
        KeygenDriver driver = new KeygenDriver(walletId, share -> {
            byte[] plain = share.encode();
            try {
                pendingEnvelope = Bytes.toHex(vault.seal(secret, walletId, plain));
            } finally {
                Bytes.wipe(plain);
            }
        }, params, env);
        session = driver;
        return started(driver.opening());
    }

    /**
     * What the co-sign dialog shows for sign request {@code signRequestJson} of transfer {@code transferJson} (both
     * as the bank's REST API returns them): {@code {"ok":true,"review":{title, rows, mayCoSign, verdict}}} after the
     * device rebuilt the transaction, recomputed its hash and compared it with the transfer; a refusal is a review
     * with {@code mayCoSign} false. Holds nothing.
     */
    public static String review(String transferJson, String signRequestJson) {
        CosignDecision d = CosignDecision.decide(transferJson, signRequestJson);
        if (d.problem() != null) {
            return failure("BAD_REQUEST", d.problem());
        }
        return ok(Map.of("review", reviewJson(d.review())));
    }

    /**
     * Starts co-signing: the same check as {@link #review} (a refusal ends here, nothing opened), then the share is
     * opened from {@code envelopeHex} with {@code walletSecret} (a wrong secret is {@code WRONG_SECRET}, nothing
     * else changes), the share's address must be the bank's address of the wallet ({@code walletAddress}), and the
     * SIGN session starts on the device's own hash.
     */
    public String beginCosign(String transferJson, String signRequestJson, String walletAddress, String envelopeHex,
            char[] walletSecret) {
        if (session != null) {
            return failure("BUSY", "another operation is still running in this wallet");
        }
        CosignDecision d = CosignDecision.decide(transferJson, signRequestJson);
        if (d.problem() != null) {
            return failure("BAD_REQUEST", d.problem());
        }
        if (!(d.decision() instanceof CosignQueue.Decision.CoSign c)) {
            return failure("REFUSED", d.review().verdict());
        }
        if (walletAddress == null || walletAddress.isEmpty()) {
            java.util.Arrays.fill(walletSecret == null ? new char[0] : walletSecret, '\0');
            return failure("WRONG_WALLET", "the bank names no address for this wallet; refusing to sign");
        }
        ShareEnvelopes.Unsealed u = envelopes.unseal(envelopeHex, c.request().walletId(), walletSecret,
                walletAddress);
        if (u.failure() != null) {
            return u.failure();
        }
        P2KeyShare share = u.share();
        SignDriver driver = new SignDriver(c.request().id(), c.tx(), share, env);
        this.walletId = c.request().walletId();
        session = driver;
        return started(driver.opening());
    }

    /**
     * Starts the key refresh of wallet {@code walletId} an administrator authorized (docs/client-web.md "Key
     * refresh"): the current share is opened from {@code envelopeHex} with {@code walletSecret} and must be the
     * bank's address {@code walletAddress}; the new share (same key, next epoch) is sealed under the same wallet
     * secret and, when {@code passkeySecret} is given (a passkey's PRF output), a second time under it. Both
     * envelopes come back as {@code "store":{"walletId","envelope","passkeyEnvelope"?,"epoch","next":true}} in the
     * reaction to R3, <b>before</b> R4 is in its frames: the worker keeps them beside the current envelope and makes
     * them current only after the bank's {@code done}.
     */
    public String beginRefresh(String walletId, String envelopeHex, String walletAddress, char[] walletSecret,
            char[] passkeySecret, String deviceParamsHex) {
        try {
            if (session != null) {
                return failure("BUSY", "another operation is still running in this wallet");
            }
            if (walletId == null || walletId.isEmpty() || walletAddress == null || walletAddress.isEmpty()) {
                return failure("BAD_REQUEST", "a wallet with an address is required");
            }
            if (walletSecret == null || walletSecret.length == 0) {
                return failure("WRONG_SECRET", "enter your wallet secret");
            }
            ProvenRingPedersen params;
            try {
                params = ProvenRingPedersen.decode(Bytes.fromHex(deviceParamsHex));
            } catch (RuntimeException e) {
                return failure("DEVICE_SETUP", "this browser's device parameters do not decode; prepare the device "
                        + "again");
            }
            char[] keep = walletSecret.clone();
            ShareEnvelopes.Unsealed u = envelopes.unseal(envelopeHex, walletId, walletSecret, walletAddress);
            if (u.failure() != null) {
                java.util.Arrays.fill(keep, '\0');
                return u.failure();
            }
            this.walletId = walletId;
            this.secret = keep;
            this.passkeySecret = passkeySecret == null || passkeySecret.length == 0 ? null : passkeySecret.clone();
            RefreshDriver driver = new RefreshDriver(walletId, u.share(), share -> {
                byte[] plain = share.encode();
                try {
                    pendingEnvelope = Bytes.toHex(vault.seal(secret, walletId, plain));
                    if (this.passkeySecret != null) {
                        pendingPasskeyEnvelope = Bytes.toHex(vault.seal(this.passkeySecret, walletId, plain));
                    }
                    pendingEpoch = share.epoch();
                } finally {
                    Bytes.wipe(plain);
                }
            }, params, env);
            session = driver;
            return started(driver.opening());
        } finally {
            if (passkeySecret != null) {
                java.util.Arrays.fill(passkeySecret, '\0');
            }
        }
    }

    /**
     * The QR code of {@code ethereum:<address>} (EIP-681, as the desktop's Receive shows it), for the address of the
     * share this browser holds: {@code {"ok":true,"text","size","rows"}} with rows of '0'/'1'.
     */
    public static String addressQr(String address) {
        if (!isAddress(address)) {
            return failure("BAD_REQUEST", "not an Ethereum address");
        }
        String text = "ethereum:" + address;
        QrCode q = QrCode.encode(text);
        Map<String, Json.Value> m = new LinkedHashMap<>();
        m.put("text", str(text));
        m.put("size", new Json.Num(Integer.toString(q.size())));
        m.put("rows", str(q.rows()));
        return ok(m);
    }

    private static boolean isAddress(String a) {
        if (a == null || a.length() != 42 || !a.startsWith("0x")) {
            return false;
        }
        for (int i = 2; i < 42; i++) {
            if (Character.digit(a.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that {@code envelopeHex} opens with {@code walletSecret} as wallet {@code walletId}'s share and holds a
     * key whose address is {@code expectedAddress} (the bank's address of the wallet; null skips that check):
     * {@code {"ok":true,"address","epoch"}} or {@code WRONG_SECRET} / {@code NO_SHARE} / {@code WRONG_WALLET}. Used before
     * a backup (the user shows they know the secret the file needs) and to restore one. The share is dropped at once.
     */
    public String checkShare(String envelopeHex, String walletId, String expectedAddress, char[] walletSecret) {
        return envelopes.checkShare(envelopeHex, walletId, expectedAddress, walletSecret);
    }

    /**
     * Seals the share of {@code envelopeHex} (opened with {@code walletSecret}) a second time, under
     * {@code newSecret}: a passkey's PRF output (docs/client-web.md "Passkeys") or a generated recovery code for the
     * copy the bank keeps ("The bank's copy"): {@code {"ok":true,"envelope":hex,"address","epoch"}} or
     * {@code WRONG_SECRET} / {@code NO_SHARE}. The first envelope is not changed; the share is dropped at once.
     */
    public String reseal(String envelopeHex, String walletId, char[] walletSecret, char[] newSecret) {
        return envelopes.reseal(envelopeHex, walletId, walletSecret, newSecret);
    }

    /**
     * Opens the bank's copy of the share ({@code envelopeHex}, sealed under the recovery code) and seals it under the
     * wallet secret the user chose in this browser; the share's address must be the bank's address of the wallet:
     * {@code {"ok":true,"envelope":hex,"address","epoch"}} or {@code WRONG_SECRET} (a wrong recovery code) /
     * {@code NO_SHARE} / {@code WRONG_WALLET}.
     */
    public String recover(String envelopeHex, String walletId, String expectedAddress, char[] recoveryCode,
            char[] newWalletSecret) {
        return envelopes.recover(envelopeHex, walletId, expectedAddress, recoveryCode, newWalletSecret);
    }

    /**
     * One frame from the bank: {@code {"ok":true,"send":[...],"store":{"walletId","envelope"}?,"progress":{...},
     * "done":{...}?}} or, when the session failed, {@code {"ok":false,"code","message","send":[cancel...]}}.
     */
    public String onFrame(String text) {
        if (session == null) {
            return failure("NO_SESSION", "no operation is running");
        }
        DeviceSession.Reaction<?> r = session.onFrame(text);
        Map<String, Json.Value> out = new LinkedHashMap<>();
        out.put("send", strings(r.send()));
        if (pendingEnvelope != null) {
            Map<String, Json.Value> store = new LinkedHashMap<>();
            store.put("walletId", str(walletId));
            store.put("envelope", str(pendingEnvelope));
            if (pendingEpoch >= 0) {
                store.put("next", new Json.Bool(true));
                store.put("epoch", new Json.Num(Integer.toString(pendingEpoch)));
                if (pendingPasskeyEnvelope != null) {
                    store.put("passkeyEnvelope", str(pendingPasskeyEnvelope));
                }
            }
            out.put("store", obj(store));
            pendingEnvelope = null;
            pendingPasskeyEnvelope = null;
            pendingEpoch = -1;
        }
        out.put("progress", progress(session.progress()));
        if (r.failure() != null) {
            SessionFailure f = r.failure();
            end();
            Map<String, Json.Value> m = new LinkedHashMap<>();
            m.put("ok", new Json.Bool(false));
            m.put("code", str(f.code()));
            m.put("message", str(CosignReview.sentence(f.detail())));
            m.put("send", out.get("send"));
            return Json.write(new Json.Obj(m));
        }
        if (r.result() != null) {
            out.put("done", done(r.result()));
            end();
        }
        return ok(out);
    }

    /** Ends the running operation on our side (cancel, a lost connection): the frames to send, if any. */
    public String abandon() {
        List<String> send = session == null ? List.of() : session.abandon();
        end();
        return Json.write(strings(send));
    }

    private void end() {
        session = null;
        pendingEnvelope = null;
        pendingPasskeyEnvelope = null;
        pendingEpoch = -1;
        walletId = null;
        if (secret != null) {
            java.util.Arrays.fill(secret, '\0');
            secret = null;
        }
        if (passkeySecret != null) {
            java.util.Arrays.fill(passkeySecret, '\0');
            passkeySecret = null;
        }
    }

    private String started(String opening) {
        Map<String, Json.Value> m = new LinkedHashMap<>();
        m.put("send", strings(List.of(opening)));
        m.put("progress", progress(session.progress()));
        return ok(m);
    }

    /** {@code {"ok":false,"code","message"}}: a sentence the page shows as it is. */
    public static String failure(String code, String message) {
        return DeviceJson.failure(code, message);
    }
}
