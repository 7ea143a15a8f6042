package org.mpcwallet.web;

/**
 * Start-up check of every browser entry point, before any shared-crypto code runs: the page must have
 * {@code crypto.getRandomValues}, or the entry point fails closed with {@link IllegalStateException} and a clear
 * message. Returns the {@link BrowserRandom} to use as the protocol's {@code RandomSource}.
 *
 * <p>Why up front: Bouncy Castle also draws randomness on its own, for blinding in {@code ECPoint.normalize()}
 * via {@code CryptoServicesRegistrar.getSecureRandom()}, i.e. TeaVM's {@code SecureRandom}. That one reads
 * {@code crypto.getRandomValues} when present; without it TeaVM 0.15 WasmGC recurses until the JS stack overflows
 * (a {@code RangeError} deep inside a computation). It cannot be replaced by ours:
 * {@code CryptoServicesRegistrar.setSecureRandom} does not compile under TeaVM ({@code SecurityManager.checkPermission}
 * is missing). Checking here turns that into one clear refusal before any work starts.
 */
public final class BrowserCrypto {
    private BrowserCrypto() {}

    public static BrowserRandom requireWebCrypto() {
        return new BrowserRandom();
    }
}
