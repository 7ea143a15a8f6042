package org.mpcwallet.web.p2;

import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.web.BigIntModPow;
import org.mpcwallet.web.BrowserCrypto;
import org.mpcwallet.web.BrowserRandom;
import org.mpcwallet.web.bench.BrowserBench;
import org.mpcwallet.web.vault.FixedDraws;
import org.mpcwallet.web.vault.WebCryptoVault;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSExport;
import org.teavm.jso.core.JSPromise;
import org.teavm.jso.core.JSString;

/**
 * Entry point of the test module {@code teavm/p2-test.wasm}, compiled from src/test and never part of the
 * production module ({@link P2Main}, {@code p2.wasm}): the production exports plus the test hooks the browser tests
 * and the benchmark need: {@link #benchRun}, sealing with fixed salt and nonce (known-answer vectors), argument probes
 * and the pinned coroutine hazard. Pages {@code bench.html} and {@code vault.html} load it.
 */
public final class P2TestMain {
    private P2TestMain() {}

    public static void main(String[] args) {
        // Nothing: the pages call the exports below.
    }

    /**
     * The P2 benchmark ({@link BrowserBench}) with the browser's randomness and the BigInt bridge in both parties'
     * environments, timed with {@code performance.now()}: the four {@code bench op=...} lines, newline-separated.
     * Refuses to run without Web Crypto.
     */
    @JSExport
    public static String benchRun(int keygens, int keygenWarmups, int signs, int signWarmups) {
        BrowserRandom random = BrowserCrypto.requireWebCrypto();
        BrowserBench.Plan plan = new BrowserBench.Plan(keygens, keygenWarmups, signs, signWarmups);
        return String.join("\n", BrowserBench.run(plan, random, BigIntModPow.INSTANCE, P2TestMain::nowMs));
    }

    /**
     * The device's one-time setup in the browser ({@link BrowserBench#setup}): its own ring-Pedersen parameters (two
     * 1024-bit safe primes) and their Π^prm proof, {@code runs} times: one {@code bench op=web_device_setup_p2} line.
     */
    @JSExport
    public static String benchSetup(int runs) {
        BrowserRandom random = BrowserCrypto.requireWebCrypto();
        return BrowserBench.setup(runs, random, BigIntModPow.INSTANCE, P2TestMain::nowMs);
    }

    @JSExport
    public static JSPromise<JSString> vaultOpen(String password, String envelopeHex, String expectedWalletId,
            String expectedRole) {
        return P2Main.vaultOpen(password, envelopeHex, expectedWalletId, expectedRole);
    }

    /**
     * {@link WebCryptoVault#seal}: {@code ok:<envelope hex>}. With {@code saltHex} and {@code nonceHex} empty the
     * salt and nonce come from {@link BrowserRandom}; otherwise from {@link FixedDraws} (known-answer tests), which
     * must be drawn exactly once each, salt first. Test module only: the production module draws them itself.
     */
    @JSExport
    public static JSPromise<JSString> vaultSeal(String password, String walletId, String role, String shareHex,
            int iterations, String saltHex, String nonceHex) {
        return P2Main.async(() -> {
            boolean fixed = !saltHex.isEmpty() || !nonceHex.isEmpty();
            FixedDraws draws = fixed ? new FixedDraws(Bytes.fromHex(saltHex), Bytes.fromHex(nonceHex)) : null;
            RandomSource rng = fixed ? draws : BrowserCrypto.requireWebCrypto();
            String out = P2Main.seal(password, walletId, role, shareHex, iterations, rng);
            if (fixed && !draws.exhausted()) {
                return "error:seal did not draw both the salt and the nonce";
            }
            return out;
        });
    }

    @JSExport
    public static String vaultInspect(String envelopeHex) {
        return P2Main.vaultInspect(envelopeHex);
    }

    /** Argument checks that need characters a test plan cannot carry (unpaired surrogates) or huge inputs. */
    @JSExport
    public static JSPromise<JSString> vaultArgumentProbe(String name) {
        return P2Main.async(() -> {
            byte[] share = {1, 2, 3};
            RandomSource rng = new FixedDraws(new byte[16], new byte[12]);
            byte[] env = Bytes.fromHex("4d5043560101000927c0000102030405060708090a0b0c0d0e0f01a0a1a2a3a4a5a6a7a8a9aaab"
                    + "02000b77616c6c65742d303030310000001181624c19ea87ec0fd09d4047a10d260b36");
            switch (name) {
                case "seal-empty-password" -> WebCryptoVault.seal(new char[0], "w", Party.P2, share, rng);
                case "seal-unpaired-high-surrogate" -> WebCryptoVault.seal(new char[] {'a', '\uD83D'}, "w", Party.P2,
                        share, rng);
                case "seal-unpaired-low-surrogate" -> WebCryptoVault.seal(new char[] {'\uDD11', 'a'}, "w", Party.P2,
                        share, rng);
                case "seal-wallet-id-surrogate" -> WebCryptoVault.seal("pw".toCharArray(), "w\uD800", Party.P2, share,
                        rng);
                case "seal-wallet-id-empty" -> WebCryptoVault.seal("pw".toCharArray(), "", Party.P2, share, rng);
                case "seal-wallet-id-129-bytes" -> WebCryptoVault.seal("pw".toCharArray(), "w".repeat(129), Party.P2,
                        share, rng);
                case "seal-iterations-599999" -> WebCryptoVault.seal("pw".toCharArray(), "w", Party.P2, share, rng,
                        599_999);
                case "seal-iterations-10000001" -> WebCryptoVault.seal("pw".toCharArray(), "w", Party.P2, share, rng,
                        10_000_001);
                case "seal-share-too-large" -> WebCryptoVault.seal("pw".toCharArray(), "w", Party.P2,
                        new byte[(1 << 20) + 1], rng);
                case "open-empty-password" -> WebCryptoVault.open(new char[0], env, "wallet-0001", Party.P2);
                case "open-unpaired-surrogate" -> WebCryptoVault.open(new char[] {'\uD800'}, env, "wallet-0001",
                        Party.P2);
                case "open-wallet-id-empty" -> WebCryptoVault.open("pw".toCharArray(), env, "", Party.P2);
                default -> throw new IllegalStateException("unknown probe " + name);
            }
            return "no exception";
        });
    }

    /**
     * {@link WebCryptoVault#open} called the wrong way: directly from this synchronous export, outside any TeaVM
     * thread. TeaVM 0.15 WasmGC then traps ({@code RuntimeError: dereferencing a null pointer}) on entering the
     * coroutine, before any check runs, even for an envelope that fails to parse; no Java {@code catch} sees it.
     * {@code BrowserVaultTest} pins this, so a TeaVM upgrade that changes it is noticed (TEAVM-NOTES.md).
     */
    @JSExport
    public static String vaultOpenOutsideThread(String envelopeHex) {
        try {
            Result<byte[], VaultFailure> r = WebCryptoVault.open("x".toCharArray(), Bytes.fromHex(envelopeHex), "w",
                    Party.P2);
            return r.isOk() ? "ok:(redacted)" : P2Main.failure(r.failure());
        } catch (Throwable t) {
            return P2Main.error(t);
        }
    }

    @JSBody(script = "return performance.now();")
    private static native double nowMs();
}
