package org.mpcwallet.web.p2;

import java.util.concurrent.Callable;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.vault.VaultHeader;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.web.BigIntModPow;
import org.mpcwallet.web.BrowserCrypto;
import org.mpcwallet.web.BrowserRandom;
import org.mpcwallet.web.vault.WebCryptoPool;
import org.mpcwallet.web.vault.WebCryptoVault;
import org.mpcwallet.web.wallet.DeviceCore;
import org.mpcwallet.web.wallet.PoolKey;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSExport;
import org.teavm.jso.core.JSPromise;
import org.teavm.jso.core.JSString;

/**
 * Entry point of the production P2 module {@code teavm/p2.wasm}, which the browser wallet's dedicated Web Worker
 * loads (docs/client-web.md "The worker"): the device's operations ({@link DeviceCore}: {@code deviceSetup},
 * {@code keygenBegin}, {@code cosignReview}, {@code cosignBegin}, {@code presignBegin}, {@code refreshBegin}, {@code shareCheck}, {@code shareReseal}, {@code shareRecover},
 * {@code addressQr}, {@code sessionFrame}, {@code sessionAbandon}) and
 * the WebCrypto share vault ({@code vaultSeal} with the browser's randomness, {@code vaultOpen},
 * {@code vaultInspect}). The benchmark, fixed-draw sealing and argument probes live in the test
 * module {@code teavm/p2-test.wasm} ({@code P2TestMain}, built from src/test), and {@code ProductionWasmExportsTest}
 * pins this module's export list (issue 9 item 6). {@code main} does nothing; pages call the exports.
 *
 * <p>Vault exports return promises ({@code JSPromise.callAsync}: a TeaVM thread, in which
 * {@link WebCryptoVault} may wait for WebCrypto) of one string: {@code ok:<hex>}, {@code failure:<kind>:<field or
 * ->:<reason>} or {@code error:<exception class>: <message>}.
 */
public final class P2Main {
    private P2Main() {}

    private static DeviceCore core;

    public static void main(String[] args) {
        // Nothing: the worker calls the exports below.
    }

    /** The worker's device (one per worker); refuses to exist without Web Crypto. */
    private static DeviceCore core() {
        if (core == null) {
            BrowserRandom random = BrowserCrypto.requireWebCrypto();
            core = new DeviceCore(new DeviceCore.Vault() {
                @Override
                public byte[] seal(char[] secret, String walletId, byte[] share) {
                    return WebCryptoVault.seal(secret, walletId, Party.P2, share, random);
                }

                @Override
                public Result<byte[], VaultFailure> open(char[] secret, byte[] envelope, String walletId) {
                    return WebCryptoVault.open(secret, envelope, walletId, Party.P2);
                }

                @Override
                public Result<Unlocked, VaultFailure> openWithPool(char[] secret, byte[] envelope, String walletId) {
                    Result<WebCryptoVault.OpenedWithPool, VaultFailure> r = WebCryptoVault.openWithPool(secret,
                            envelope, walletId, Party.P2);
                    return r.isOk() ? Result.ok(new Unlocked(r.value().share(), poolKey(r.value().poolKey(), random)))
                            : Result.err(r.failure());
                }

                @Override
                public Sealed sealWithPool(char[] secret, String walletId, byte[] share) {
                    WebCryptoVault.SealedWithPool s = WebCryptoVault.sealWithPool(secret, walletId, Party.P2, share,
                            random);
                    return new Sealed(s.envelope(), poolKey(s.poolKey(), random));
                }
            }, new Env(random, BigIntModPow.INSTANCE));
        }
        return core;
    }

    /** A wallet's pool key as WebCrypto holds it (non-extractable), sealing and opening through {@link WebCryptoPool}. */
    private static PoolKey poolKey(JSObject key, RandomSource random) {
        return new PoolKey() {
            @Override
            public byte[] seal(String walletId, P2Presignature presignature) {
                return WebCryptoPool.seal(key, walletId, presignature, random);
            }

            @Override
            public Result<P2Presignature, VaultFailure> open(byte[] record, String walletId, byte[] fingerprint) {
                return WebCryptoPool.open(key, record, walletId, fingerprint);
            }
        };
    }

    /** {@link DeviceCore#setup}: {@code {"ok":true,"params":hex}} (public values), in a TeaVM thread. */
    @JSExport
    public static JSPromise<JSString> deviceSetup() {
        return json(() -> {
            String params = DeviceCore.setup(new Env(BrowserCrypto.requireWebCrypto(), BigIntModPow.INSTANCE));
            return "{\"ok\":true,\"params\":\"" + params + "\"}";
        });
    }

    /** {@link DeviceCore#beginKeygen}. */
    @JSExport
    public static String keygenBegin(String walletId, String walletSecret, String deviceParamsHex) {
        try {
            return core().beginKeygen(walletId, walletSecret.toCharArray(), deviceParamsHex);
        } catch (Throwable t) {
            return internal(t);
        }
    }

    /** {@link DeviceCore#review}. */
    @JSExport
    public static String cosignReview(String transferJson, String signRequestJson) {
        try {
            return DeviceCore.review(transferJson, signRequestJson);
        } catch (Throwable t) {
            return internal(t);
        }
    }

    /** {@link DeviceCore#beginCosign} (opens the vault: a TeaVM thread). */
    @JSExport
    public static JSPromise<JSString> cosignBegin(String transferJson, String signRequestJson, String walletAddress,
            String envelopeHex, String walletSecret, String poolJson) {
        return json(() -> core().beginCosign(transferJson, signRequestJson, walletAddress, envelopeHex,
                walletSecret.toCharArray(), poolJson));
    }

    /** {@link DeviceCore#beginPresign}: one presignature for the pool of the share the last operation held. */
    @JSExport
    public static String presignBegin() {
        try {
            return core().beginPresign();
        } catch (Throwable t) {
            return internal(t);
        }
    }

    /** {@link DeviceCore#checkShare} (opens the vault: a TeaVM thread). */
    @JSExport
    public static JSPromise<JSString> shareCheck(String envelopeHex, String walletId, String expectedAddress,
            String walletSecret) {
        return json(() -> core().checkShare(envelopeHex, walletId, expectedAddress, walletSecret.toCharArray()));
    }

    /** {@link DeviceCore#reseal} (opens and seals: a TeaVM thread). */
    @JSExport
    public static JSPromise<JSString> shareReseal(String envelopeHex, String walletId, String walletSecret,
            String newSecret) {
        return json(() -> core().reseal(envelopeHex, walletId, walletSecret.toCharArray(), newSecret.toCharArray()));
    }

    /** {@link DeviceCore#onFrame} (may seal the share: a TeaVM thread). */
    /** {@link DeviceCore#beginRefresh} ({@code passkeySecret} empty when no passkey unlocks the wallet). */
    @JSExport
    public static JSPromise<JSString> refreshBegin(String walletId, String envelopeHex, String walletAddress,
            String walletSecret, String passkeySecret, String deviceParamsHex) {
        return json(() -> core().beginRefresh(walletId, envelopeHex, walletAddress, walletSecret.toCharArray(),
                passkeySecret == null || passkeySecret.isEmpty() ? null : passkeySecret.toCharArray(),
                deviceParamsHex));
    }

    /** {@link DeviceCore#recover}: the bank's copy opened with the recovery code, sealed under a new wallet secret. */
    @JSExport
    public static JSPromise<JSString> shareRecover(String envelopeHex, String walletId, String expectedAddress,
            String recoveryCode, String newWalletSecret) {
        return json(() -> core().recover(envelopeHex, walletId, expectedAddress, recoveryCode.toCharArray(),
                newWalletSecret.toCharArray()));
    }

    /** {@link DeviceCore#addressQr}: the QR code of {@code ethereum:<address>}. */
    @JSExport
    public static String addressQr(String address) {
        try {
            return DeviceCore.addressQr(address);
        } catch (Throwable t) {
            return internal(t);
        }
    }

    @JSExport
    public static JSPromise<JSString> sessionFrame(String text) {
        return json(() -> core().onFrame(text));
    }

    /** {@link DeviceCore#abandon}: the frames to send, a JSON array. */
    @JSExport
    public static String sessionAbandon() {
        try {
            return core().abandon();
        } catch (Throwable t) {
            return "[]";
        }
    }

    /** An unexpected exception as a failure the page can show; the class name only, never a value. */
    private static String internal(Throwable t) {
        return DeviceCore.failure("INTERNAL", "the wallet hit an internal error (" + t.getClass().getSimpleName()
                + ")");
    }

    private static JSPromise<JSString> json(Callable<String> work) {
        return JSPromise.callAsync(() -> {
            String out;
            try {
                out = work.call();
            } catch (Throwable t) {
                out = internal(t);
            }
            return JSString.valueOf(out);
        });
    }

    /** {@link WebCryptoVault#open}: {@code ok:<share hex>} or a failure. */
    @JSExport
    public static JSPromise<JSString> vaultOpen(String password, String envelopeHex, String expectedWalletId,
            String expectedRole) {
        return async(() -> {
            char[] pw = password.toCharArray();
            Result<byte[], VaultFailure> r = WebCryptoVault.open(pw, Bytes.fromHex(envelopeHex), expectedWalletId,
                    Party.valueOf(expectedRole));
            if (!r.isOk()) {
                return failure(r.failure());
            }
            byte[] share = r.value();
            String hex = Bytes.toHex(share);
            Bytes.wipe(share);
            return "ok:" + hex;
        });
    }

    /**
     * {@link WebCryptoVault#seal}: {@code ok:<envelope hex>}; the salt and the nonce come from the browser's
     * {@code crypto.getRandomValues} ({@link BrowserRandom}), and sealing refuses to run without Web Crypto.
     */
    @JSExport
    public static JSPromise<JSString> vaultSeal(String password, String walletId, String role, String shareHex,
            int iterations) {
        return async(() -> seal(password, walletId, role, shareHex, iterations, BrowserCrypto.requireWebCrypto()));
    }

    /** Seals with {@code rng}'s draws (salt first, then nonce): {@code ok:<envelope hex>}. */
    public static String seal(String password, String walletId, String role, String shareHex, int iterations,
            RandomSource rng) {
        byte[] env = WebCryptoVault.seal(password.toCharArray(), walletId, Party.valueOf(role),
                Bytes.fromHex(shareHex), rng, iterations);
        return "ok:" + Bytes.toHex(env);
    }

    /** {@link WebCryptoVault#inspect}: {@code ok:<header>} or a failure. */
    @JSExport
    public static String vaultInspect(String envelopeHex) {
        try {
            Result<VaultHeader, VaultFailure> r = WebCryptoVault.inspect(Bytes.fromHex(envelopeHex));
            return r.isOk() ? "ok:" + r.value() : failure(r.failure());
        } catch (Throwable t) {
            return error(t);
        }
    }

    /** {@code failure:<kind>:<field or ->:<reason>}. */
    public static String failure(VaultFailure f) {
        return "failure:" + f.kind() + ":" + (f.field() == null ? "-" : f.field().name()) + ":" + f.reason();
    }

    /** {@code error:<exception class>: <message>}. */
    public static String error(Throwable t) {
        return "error:" + t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Runs {@code work} in a TeaVM thread (WebCryptoVault waits for WebCrypto's promises there). */
    public static JSPromise<JSString> async(Callable<String> work) {
        return JSPromise.callAsync(() -> {
            String out;
            try {
                out = work.call();
            } catch (Throwable t) {
                out = error(t);
            }
            return JSString.valueOf(out);
        });
    }
}
