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
import java.util.function.Supplier;
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
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
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

        /**
         * {@link #open} that also yields the wallet's presignature pool key from the same key derivation
         * (docs/vault-format.md section 13); a vault without a pool answers a null pool, and the device then makes
         * and uses no presignatures.
         */
        default Result<Unlocked, VaultFailure> openWithPool(char[] secret, byte[] envelope, String walletId) {
            return Unlocked.of(open(secret, envelope, walletId));
        }

        /** {@link #seal} that also yields the new envelope's pool key (null: no pool). */
        default Sealed sealWithPool(char[] secret, String walletId, byte[] share) {
            return new Sealed(seal(secret, walletId, share), null);
        }

        /** An opened share (the caller wipes it) and its envelope's pool key, or null. */
        record Unlocked(byte[] share, PoolKey pool) {
            static Result<Unlocked, VaultFailure> of(Result<byte[], VaultFailure> opened) {
                return opened.isOk() ? Result.ok(new Unlocked(opened.value(), null)) : Result.err(opened.failure());
            }

            @Override
            public String toString() {
                return "Unlocked[share=redacted]";
            }
        }

        /** A fresh envelope and its pool key, or null. */
        record Sealed(byte[] envelope, PoolKey pool) {
            @Override
            public String toString() {
                return "Sealed[" + envelope.length + " bytes]";
            }
        }
    }

    private final Vault vault;
    private final ShareEnvelopes envelopes;
    private final Env env;
    private Run session;
    private String walletId;
    // The pool: while an operation holds the share (and after its result, for the pool's top-up) the share and the
    // wallet's pool key; dropped with the rest when the operation ends.
    private P2KeyShare held;
    private PoolKey pool;
    private String poolWallet;
    private Supplier<SignDriver> fallback;
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
        dropPool();
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
                Vault.Sealed sealed = vault.sealWithPool(secret, walletId, plain);
                pendingEnvelope = Bytes.toHex(sealed.envelope());
                hold(walletId, share, sealed.pool());
            } finally {
                Bytes.wipe(plain);
            }
        }, params, env);
        session = Run.of(driver);
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
        return beginCosign(transferJson, signRequestJson, walletAddress, envelopeHex, walletSecret, null);
    }

    /**
     * {@link #beginCosign(String, String, String, String, char[])} with the wallet's pool ({@code poolJson}: the
     * records this browser holds for the wallet, {@code [{"id","record"}]}, tried in order): after the check and
     * once the share is open, the first record that opens under the share's pool key with the share's key
     * fingerprint is used for online signing ({@code online} frame, then O1); records that do not open are dropped.
     * The answer's {@code "discard"} names the records to delete (the one used among them) <b>before</b> the frames
     * of the answer leave: a presignature is single-use, and a crash after the delete loses it without reusing it.
     * Without a usable record the session is SIGN, as without a pool.
     */
    public String beginCosign(String transferJson, String signRequestJson, String walletAddress, String envelopeHex,
            char[] walletSecret, String poolJson) {
        if (session != null) {
            return failure("BUSY", "another operation is still running in this wallet");
        }
        dropPool();
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
                walletAddress, true);
        if (u.failure() != null) {
            return u.failure();
        }
        P2KeyShare share = u.share();
        String requestId = c.request().id();
        this.walletId = c.request().walletId();
        hold(walletId, share, u.pool());
        fallback = () -> new SignDriver(requestId, c.tx(), share, env);
        PoolRecords.Choice choice = PoolRecords.choose(poolJson, u.pool(), walletId, share.fingerprint());
        if (choice.presignature() == null) {
            SignDriver driver = fallback.get();
            fallback = null; // the fallback is the online run's only
            session = Run.of(driver);
            return Presigning.withDiscard(started(driver.opening()), choice.discard());
        }
        session = Presigning.online(requestId, c.tx(), share, choice.presignature(), env);
        return Presigning.withDiscard(started(Presigning.onlineOpening(requestId, c.tx(), share,
                choice.presignature())), choice.discard());
    }

    /**
     * Makes one presignature for the pool of the wallet whose share the last operation held (after its result: a
     * keygen, a co-signing, a refresh): {@code {"ok":true,"send":[presign]}}, then frames as usual; the session's
     * end answers {@code "presigned":{"walletId","presignatureId","fingerprint","record"}}, the sealed record to
     * store. {@code NO_POOL} when no share is held (the operation ended) or the vault keeps no pool.
     */
    public String beginPresign() {
        if (session != null) {
            return failure("BUSY", "another operation is still running in this wallet");
        }
        if (held == null || pool == null) {
            return failure("NO_POOL", "no key share is open to make presignatures with");
        }
        session = Presigning.presign(poolWallet, held, env);
        return started(Presigning.presignOpening(poolWallet));
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
            dropPool();
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
                    Vault.Sealed sealed = vault.sealWithPool(secret, walletId, plain);
                    pendingEnvelope = Bytes.toHex(sealed.envelope());
                    hold(walletId, share, sealed.pool());
                    if (this.passkeySecret != null) {
                        pendingPasskeyEnvelope = Bytes.toHex(vault.seal(this.passkeySecret, walletId, plain));
                    }
                    pendingEpoch = share.epoch();
                } finally {
                    Bytes.wipe(plain);
                }
            }, params, env);
            session = Run.of(driver);
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
        Run run = session;
        DeviceSession.Reaction<?> r = run.onFrame(text);
        if (session != run) {
            // abandoned while this frame waited for WebCrypto (sealing): the state is no longer this session's
            if (session == null) {
                dropPool(); // what a sealing callback held after the abandon
            }
            return failure("CANCELLED", "the operation was abandoned");
        }
        Map<String, Json.Value> out = new LinkedHashMap<>();
        out.put("send", strings(r.send()));
        if (r.failure() != null && "PRESIGNATURE_UNAVAILABLE".equals(r.failure().code()) && fallback != null) {
            // the bank holds no such presignature (its pool was reset, e.g. a restored database): the wallet's whole
            // pool goes (the worker deletes it before this answer's frames leave) and the same request is co-signed
            // with SIGN, so the user sees one co-signing; the bank does not count it as a failed co-signing
            SignDriver driver = fallback.get();
            fallback = null;
            session = Run.of(driver);
            List<String> send = new java.util.ArrayList<>(r.send());
            send.add(driver.opening());
            out.put("send", strings(send));
            out.put("discardPool", str(walletId));
            out.put("progress", progress(session.progress()));
            return ok(out);
        }
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
        if (r.result() instanceof P2Presignature p) {
            Json.Value record = Presigning.record(pool, poolWallet, p);
            if (session != run) {
                return failure("CANCELLED", "the operation was abandoned");
            }
            out.put("presigned", record);
            endSession(); // the share and the pool key stay for the next presignature of the top-up
            return ok(out);
        }
        if (r.result() != null) {
            out.put("done", done(r.result()));
            endSession();
            if (held != null && pool != null) {
                out.put("pool", str(poolWallet)); // the worker may top the wallet's pool up now (beginPresign)
            } else {
                dropPool();
            }
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
        endSession();
        dropPool();
    }

    private void hold(String walletId, P2KeyShare share, PoolKey key) {
        held = share;
        pool = key;
        poolWallet = walletId;
    }

    /** Drops the share and the pool key an operation kept for its pool's top-up. */
    private void dropPool() {
        held = null;
        pool = null;
        poolWallet = null;
        fallback = null;
    }

    private void endSession() {
        session = null;
        fallback = null; // a top-up's presign session that fails never starts a SIGN of the co-signing before it
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
