package org.mpcwallet.web.p2;

import java.util.concurrent.Callable;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.vault.VaultHeader;
import org.mpcwallet.crypto.vault.VaultResult;
import org.mpcwallet.web.BrowserCrypto;
import org.mpcwallet.web.BrowserRandom;
import org.mpcwallet.web.vault.WebCryptoVault;
import org.teavm.jso.JSExport;
import org.teavm.jso.core.JSPromise;
import org.teavm.jso.core.JSString;

/**
 * Entry point of the production P2 module {@code teavm/p2.wasm}: the browser side of the wallet as it grows (today the
 * WebCrypto share vault). It exports only what a wallet page needs ({@code vaultSeal} with the browser's randomness,
 * {@code vaultOpen}, {@code vaultInspect}); the benchmark, fixed-draw sealing and argument probes live in the test
 * module {@code teavm/p2-test.wasm} ({@code P2TestMain}, built from src/test), and {@code ProductionWasmExportsTest}
 * pins this module's export list (issue 9 item 6). {@code main} does nothing; pages call the exports.
 *
 * <p>Vault exports return promises ({@code JSPromise.callAsync}: a TeaVM thread, in which
 * {@link WebCryptoVault} may wait for WebCrypto) of one string: {@code ok:<hex>}, {@code failure:<kind>:<field or
 * ->:<reason>} or {@code error:<exception class>: <message>}.
 */
public final class P2Main {
    private P2Main() {}

    public static void main(String[] args) {
        // Nothing: the pages call the exports below.
    }

    /** {@link WebCryptoVault#open}: {@code ok:<share hex>} or a failure. */
    @JSExport
    public static JSPromise<JSString> vaultOpen(String password, String envelopeHex, String expectedWalletId,
            String expectedRole) {
        return async(() -> {
            char[] pw = password.toCharArray();
            VaultResult<byte[]> r = WebCryptoVault.open(pw, Bytes.fromHex(envelopeHex), expectedWalletId,
                    Party.valueOf(expectedRole));
            if (!r.isSuccess()) {
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
            VaultResult<VaultHeader> r = WebCryptoVault.inspect(Bytes.fromHex(envelopeHex));
            return r.isSuccess() ? "ok:" + r.value() : failure(r.failure());
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
