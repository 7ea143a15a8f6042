package org.mpcwallet.web.vault;

import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.vault.PresignatureRecords;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultEnvelope;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.vault.VaultHeader;
import org.mpcwallet.crypto.vault.VaultSealing;
import org.mpcwallet.crypto.vault.Utf8;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The share vault (docs/vault-format.md, format version 1) in the browser, with WebCrypto: PBKDF2-HMAC-SHA256 and
 * AES-256-GCM through {@code crypto.subtle}, everything else by shared-crypto's own vault code. The format exists
 * once: argument checks, the salt and nonce draws and the header come from {@link ShareVault#prepareSeal} /
 * {@link VaultSealing#envelope}; parsing and the wallet id and role checks from {@link ShareVault#checkForOpen};
 * the password bytes from {@link ShareVault#passwordUtf8}; a failing tag is
 * {@link VaultFailure#wrongPasswordOrTampered()}. This class only derives the key and runs AES-GCM. So: same
 * envelopes, same checks in the same order and the same failure kinds, fields and reasons as {@link ShareVault}; a
 * backup sealed on the desktop opens here and vice versa (the known-answer vectors of
 * shared-crypto/src/test/resources/vectors/vault pass on both; client-web's {@code BrowserVaultTest}).
 *
 * <p><b>Asynchronous.</b> {@code crypto.subtle} only offers promises. {@link #seal} and {@link #open} wait for them
 * with {@code JSPromise.await()}, i.e. they are TeaVM coroutines (TeaVM 0.15 supports them in WebAssembly GC with
 * its own coroutine transformation, no JSPI needed): call them from a TeaVM thread, e.g. inside
 * {@code JSPromise.callAsync(() -> ...)} (which hands JavaScript a promise) or {@code new Thread(...)}, never
 * directly from a synchronous {@code @JSExport} or JS callback. The browser keeps running while PBKDF2 works.
 *
 * <p>Argument errors throw {@link IllegalArgumentException}, as in {@link ShareVault} (they are its checks); a page
 * without {@code crypto.subtle} (or, for sealing, without {@code crypto.getRandomValues} in the
 * {@link RandomSource}) fails closed with {@link IllegalStateException}. Problems with an envelope are
 * {@link VaultFailure} values in a {@link Result}, as from {@link ShareVault#open}. Nothing here puts a password,
 * key or share in a message; the password and share bytes handed to WebCrypto are zeroed (Java and JS copies) when
 * no longer needed. Only usable in TeaVM-compiled code.
 */
public final class WebCryptoVault {
    private WebCryptoVault() {}

    /** {@link #seal(char[], String, Party, byte[], RandomSource, int)} with {@link ShareVault#DEFAULT_ITERATIONS}. */
    public static byte[] seal(char[] password, String walletId, Party role, byte[] share, RandomSource rng) {
        return seal(password, walletId, role, share, rng, ShareVault.DEFAULT_ITERATIONS);
    }

    /**
     * Encrypts {@code share} into a fresh v1 envelope, byte for byte what {@link ShareVault#seal} makes from the same
     * inputs and random draws: {@link ShareVault#prepareSeal} checks the arguments and draws the 16-byte salt, then
     * the 12-byte nonce, from {@code rng} (in the browser: {@code BrowserRandom}) and builds the header; then PBKDF2
     * and AES-GCM in WebCrypto. A coroutine: see the class comment.
     */
    public static byte[] seal(char[] password, String walletId, Party role, byte[] share, RandomSource rng,
            int iterations) {
        VaultSealing plan = ShareVault.prepareSeal(password, walletId, role, share, rng, iterations);
        requireSubtle();
        byte[] passwordUtf8 = ShareVault.passwordUtf8(password);
        try {
            JSObject key = deriveKey(passwordUtf8, plan.salt(), plan.iterations(), "encrypt");
            Int8Array sealed = SubtleCrypto.encrypt(key, Int8Array.copyFromJavaArray(plan.nonce()),
                    Int8Array.copyFromJavaArray(plan.aad()), Int8Array.copyFromJavaArray(share)).await();
            return plan.envelope(sealed.copyToJavaArray());
        } finally {
            Bytes.wipe(passwordUtf8);
        }
    }

    /**
     * Opens an envelope. {@link ShareVault#checkForOpen} checks, in this order, the arguments, the strict format
     * (MALFORMED / UNSUPPORTED_VERSION) and that the header names {@code expectedWalletId} (byte-wise) and
     * {@code expectedRole} (WRONG_WALLET_OR_ROLE, before any key derivation); then WebCrypto derives the key with the
     * header's iteration count and verifies the GCM tag (WRONG_PASSWORD_OR_TAMPERED). A coroutine: see the class
     * comment.
     *
     * @param password the user's password, NFC-normalised by the caller; not modified, not retained
     * @return success with a fresh array holding the share (the caller wipes it), or a failure
     */
    public static Result<byte[], VaultFailure> open(char[] password, byte[] envelope, String expectedWalletId,
            Party expectedRole) {
        Result<VaultEnvelope, VaultFailure> checked = ShareVault.checkForOpen(password, envelope, expectedWalletId,
                expectedRole);
        requireSubtle();
        if (!checked.isOk()) {
            return Result.err(checked.failure());
        }
        VaultEnvelope env = checked.value();
        byte[] passwordUtf8 = ShareVault.passwordUtf8(password);
        try {
            JSObject key = deriveKey(passwordUtf8, env.salt(), env.iterations(), "decrypt");
            Int8Array plain = SubtleCrypto.decrypt(key, Int8Array.copyFromJavaArray(env.nonce()),
                    Int8Array.copyFromJavaArray(env.aad()), Int8Array.copyFromJavaArray(env.sealed())).await();
            if (plain == null) {
                return Result.err(VaultFailure.wrongPasswordOrTampered());
            }
            byte[] share = SubtleCrypto.takeBytes(plain);
            if (share.length != env.shareLength()) {
                Bytes.wipe(share);
                throw new IllegalStateException("AES-GCM returned a share of the wrong length");
            }
            return Result.ok(share);
        } finally {
            Bytes.wipe(passwordUtf8);
        }
    }

    /** A fresh envelope and the wallet's pool key that goes with it (docs/vault-format.md section 13). */
    public record SealedWithPool(byte[] envelope, JSObject poolKey) {
        @Override
        public String toString() {
            return "SealedWithPool[" + envelope.length + " bytes, poolKey=non-extractable]";
        }
    }

    /** A share opened from its envelope and the wallet's pool key; the caller wipes the share. */
    public record OpenedWithPool(byte[] share, JSObject poolKey) {
        @Override
        public String toString() {
            return "OpenedWithPool[share=redacted, poolKey=non-extractable]";
        }
    }

    /**
     * {@link #seal} (same envelope, byte for byte, from the same draws) that also yields the envelope's pool key,
     * a non-extractable AES-GCM CryptoKey, from the same PBKDF2 run: {@code deriveBits} instead of {@code deriveKey}
     * (see {@link SubtleCrypto#deriveVaultAndPoolKeys}). A coroutine.
     */
    public static SealedWithPool sealWithPool(char[] password, String walletId, Party role, byte[] share,
            RandomSource rng) {
        VaultSealing plan = ShareVault.prepareSeal(password, walletId, role, share, rng,
                ShareVault.DEFAULT_ITERATIONS);
        requireSubtle();
        byte[] passwordUtf8 = ShareVault.passwordUtf8(password);
        try {
            SubtleCrypto.VaultKeys keys = deriveKeys(passwordUtf8, plan.salt(), plan.iterations(), "encrypt",
                    walletId);
            Int8Array sealed = SubtleCrypto.encrypt(keys.getVault(), Int8Array.copyFromJavaArray(plan.nonce()),
                    Int8Array.copyFromJavaArray(plan.aad()), Int8Array.copyFromJavaArray(share)).await();
            return new SealedWithPool(plan.envelope(sealed.copyToJavaArray()), keys.getPool());
        } finally {
            Bytes.wipe(passwordUtf8);
        }
    }

    /**
     * {@link #open} (same checks, same order, same failures) that also yields the envelope's pool key from the same
     * PBKDF2 run. A coroutine.
     */
    public static Result<OpenedWithPool, VaultFailure> openWithPool(char[] password, byte[] envelope,
            String expectedWalletId, Party expectedRole) {
        Result<VaultEnvelope, VaultFailure> checked = ShareVault.checkForOpen(password, envelope, expectedWalletId,
                expectedRole);
        requireSubtle();
        if (!checked.isOk()) {
            return Result.err(checked.failure());
        }
        VaultEnvelope env = checked.value();
        byte[] passwordUtf8 = ShareVault.passwordUtf8(password);
        try {
            SubtleCrypto.VaultKeys keys = deriveKeys(passwordUtf8, env.salt(), env.iterations(), "decrypt",
                    expectedWalletId);
            Int8Array plain = SubtleCrypto.decrypt(keys.getVault(), Int8Array.copyFromJavaArray(env.nonce()),
                    Int8Array.copyFromJavaArray(env.aad()), Int8Array.copyFromJavaArray(env.sealed())).await();
            if (plain == null) {
                return Result.err(VaultFailure.wrongPasswordOrTampered());
            }
            byte[] share = SubtleCrypto.takeBytes(plain);
            if (share.length != env.shareLength()) {
                Bytes.wipe(share);
                throw new IllegalStateException("AES-GCM returned a share of the wrong length");
            }
            return Result.ok(new OpenedWithPool(share, keys.getPool()));
        } finally {
            Bytes.wipe(passwordUtf8);
        }
    }

    /** {@link ShareVault#inspect}: the format checks and the public header, without a password or WebCrypto. */
    public static Result<VaultHeader, VaultFailure> inspect(byte[] envelope) {
        return ShareVault.inspect(envelope);
    }

    /** Whether this page can seal and open ({@code crypto.subtle} present). */
    public static boolean isAvailable() {
        return SubtleCrypto.available();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** PBKDF2 in WebCrypto; the Java copy of the password stays with the caller (who wipes it), the JS copy is zeroed. */
    private static JSObject deriveKey(byte[] passwordUtf8, byte[] salt, int iterations, String usage) {
        return SubtleCrypto.deriveAesGcmKey(Int8Array.copyFromJavaArray(passwordUtf8), Int8Array.copyFromJavaArray(salt),
                iterations, usage).await();
    }

    /** PBKDF2 once, as the vault's key and the pool key (HKDF info of PresignatureRecords, section 13). */
    private static SubtleCrypto.VaultKeys deriveKeys(byte[] passwordUtf8, byte[] salt, int iterations, String usage,
            String walletId) {
        byte[] info = Bytes.concat(Utf8.encode(PresignatureRecords.POOL_KEY_LABEL, "label"), new byte[] {0},
                Utf8.encode(walletId, "wallet id"));
        return SubtleCrypto.deriveVaultAndPoolKeys(Int8Array.copyFromJavaArray(passwordUtf8),
                Int8Array.copyFromJavaArray(salt), iterations, usage, Int8Array.copyFromJavaArray(info)).await();
    }

    private static void requireSubtle() {
        if (!SubtleCrypto.available()) {
            throw new IllegalStateException(
                    "no WebCrypto: globalThis.crypto.subtle is unavailable (not a secure context?); refusing to run");
        }
    }
}
