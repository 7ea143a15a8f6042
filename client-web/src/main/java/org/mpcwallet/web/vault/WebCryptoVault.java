package org.mpcwallet.web.vault;

import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailureKind;
import org.mpcwallet.crypto.vault.VaultHeader;
import org.mpcwallet.crypto.vault.VaultResult;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The share vault (docs/vault-format.md, format version 1) in the browser, with WebCrypto: PBKDF2-HMAC-SHA256 and
 * AES-256-GCM through {@code crypto.subtle}, the envelope parsed by shared-crypto's own parser
 * ({@link ShareVault#inspect}). Same envelopes, same checks in the same order and the same failure kinds, fields and
 * reasons as {@link ShareVault}: a backup sealed on the desktop opens here and vice versa (the known-answer vectors
 * of shared-crypto/src/test/resources/vectors/vault pass on both; client-web's {@code BrowserVaultTest}).
 *
 * <p><b>Asynchronous.</b> {@code crypto.subtle} only offers promises. {@link #seal} and {@link #open} wait for them
 * with {@code JSPromise.await()}, i.e. they are TeaVM coroutines (TeaVM 0.15 supports them in WebAssembly GC with
 * its own coroutine transformation, no JSPI needed): call them from a TeaVM thread, e.g. inside
 * {@code JSPromise.callAsync(() -> ...)} (which hands JavaScript a promise) or {@code new Thread(...)}, never
 * directly from a synchronous {@code @JSExport} or JS callback. The browser keeps running while PBKDF2 works.
 *
 * <p>Argument errors throw {@link IllegalArgumentException}, as in {@link ShareVault}; a page without
 * {@code crypto.subtle} (or, for sealing, without {@code crypto.getRandomValues} in the {@link RandomSource}) fails
 * closed with {@link IllegalStateException}. Problems with an envelope are {@link WebVaultFailure} values. Nothing
 * here puts a password, key or share in a message; the password and share bytes handed to WebCrypto are zeroed
 * (Java and JS copies) when no longer needed. Only usable in TeaVM-compiled code.
 */
public final class WebCryptoVault {
    /** Header bytes before the wallet id: magic 4, version 1, kdf 1, iterations 4, salt, aead 1, nonce, role 1,
     * wallet id length 2 (42 in v1). */
    private static final int FIXED_HEADER_BYTES = 4 + 1 + 1 + 4 + ShareVault.SALT_BYTES + 1 + ShareVault.NONCE_BYTES
            + 1 + 2;
    private static final byte[] MAGIC = {0x4d, 0x50, 0x43, 0x56}; // "MPCV"

    private WebCryptoVault() {}

    /** {@link #seal(char[], String, Party, byte[], RandomSource, int)} with {@link ShareVault#DEFAULT_ITERATIONS}. */
    public static byte[] seal(char[] password, String walletId, Party role, byte[] share, RandomSource rng) {
        return seal(password, walletId, role, share, rng, ShareVault.DEFAULT_ITERATIONS);
    }

    /**
     * Encrypts {@code share} into a fresh v1 envelope, byte for byte what {@link ShareVault#seal} makes from the same
     * inputs and random draws: draws the 16-byte salt, then the 12-byte nonce, from {@code rng} (in the browser:
     * {@code BrowserRandom}). A coroutine: see the class comment.
     */
    public static byte[] seal(char[] password, String walletId, Party role, byte[] share, RandomSource rng,
            int iterations) {
        requireNonNull(password, "password");
        requireNonNull(walletId, "walletId");
        requireNonNull(role, "role");
        requireNonNull(share, "share");
        requireNonNull(rng, "rng");
        if (password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        if (iterations < ShareVault.MIN_ITERATIONS || iterations > ShareVault.MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be in [" + ShareVault.MIN_ITERATIONS + ", "
                    + ShareVault.MAX_ITERATIONS + "], got " + iterations);
        }
        if (share.length > ShareVault.MAX_SHARE_BYTES) {
            throw new IllegalArgumentException("share must be at most " + ShareVault.MAX_SHARE_BYTES + " bytes");
        }
        byte[] walletIdUtf8 = walletIdBytes(walletId);
        byte[] passwordUtf8 = StrictUtf8.encode(password, "password");
        try {
            requireSubtle();
            byte[] salt = new byte[ShareVault.SALT_BYTES];
            rng.nextBytes(salt);
            byte[] nonce = new byte[ShareVault.NONCE_BYTES];
            rng.nextBytes(nonce);
            byte[] aad = Bytes.concat(MAGIC,
                    new byte[] {(byte) ShareVault.FORMAT_VERSION, (byte) ShareVault.KDF_PBKDF2_HMAC_SHA256},
                    Bytes.int32(iterations), salt, new byte[] {(byte) ShareVault.AEAD_AES_256_GCM}, nonce,
                    new byte[] {(byte) role.wireId(), (byte) (walletIdUtf8.length >>> 8), (byte) walletIdUtf8.length},
                    walletIdUtf8);
            JSObject key = deriveKey(passwordUtf8, salt, iterations, "encrypt");
            Int8Array sealedJs = SubtleCrypto.encrypt(key, Int8Array.copyFromJavaArray(nonce),
                    Int8Array.copyFromJavaArray(aad), Int8Array.copyFromJavaArray(share)).await();
            byte[] sealed = sealedJs.copyToJavaArray();
            if (sealed.length != share.length + ShareVault.TAG_BYTES) {
                throw new IllegalStateException("AES-GCM returned " + sealed.length + " bytes for a " + share.length
                        + "-byte share");
            }
            byte[] envelope = Bytes.concat(aad, Bytes.int32(sealed.length), sealed);
            selfCheck(envelope, iterations, salt, nonce, role, walletId);
            return envelope;
        } finally {
            Bytes.wipe(passwordUtf8);
        }
    }

    /**
     * Opens an envelope. Checks, in this order: the strict format (MALFORMED / UNSUPPORTED_VERSION, by
     * {@link ShareVault#inspect}), that the header names {@code expectedWalletId} (byte-wise) and
     * {@code expectedRole} (WRONG_WALLET_OR_ROLE, before any key derivation), then derives the key with the header's
     * iteration count and verifies the GCM tag (WRONG_PASSWORD_OR_TAMPERED). A coroutine: see the class comment.
     *
     * @param password the user's password, NFC-normalised by the caller; not modified, not retained
     * @return success with a fresh array holding the share (the caller wipes it), or a failure
     */
    public static WebVaultResult<byte[]> open(char[] password, byte[] envelope, String expectedWalletId,
            Party expectedRole) {
        requireNonNull(password, "password");
        requireNonNull(envelope, "envelope");
        requireNonNull(expectedWalletId, "expectedWalletId");
        requireNonNull(expectedRole, "expectedRole");
        if (password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        byte[] expectedWalletIdUtf8 = walletIdBytes(expectedWalletId);
        byte[] passwordUtf8 = StrictUtf8.encode(password, "password");
        try {
            requireSubtle();
            VaultResult<VaultHeader> inspected = ShareVault.inspect(envelope);
            if (!inspected.isSuccess()) {
                return WebVaultResult.failure(WebVaultFailure.of(inspected.failure()));
            }
            VaultHeader header = inspected.value();
            // inspect() accepted the layout, so these offsets are inside the envelope.
            int walletIdLength = ((envelope[FIXED_HEADER_BYTES - 2] & 0xff) << 8)
                    | (envelope[FIXED_HEADER_BYTES - 1] & 0xff);
            int headerLength = FIXED_HEADER_BYTES + walletIdLength;
            byte[] aad = slice(envelope, 0, headerLength);
            byte[] walletIdUtf8 = slice(envelope, FIXED_HEADER_BYTES, headerLength);
            byte[] sealed = slice(envelope, headerLength + 4, envelope.length);
            if (sealed.length != header.ciphertextLength()) {
                throw new IllegalStateException("envelope layout disagrees with ShareVault.inspect");
            }
            // The header's wallet id is untrusted input: compared, never echoed into the reason.
            if (!Bytes.constantTimeEquals(walletIdUtf8, expectedWalletIdUtf8)) {
                return WebVaultResult.failure(new WebVaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null,
                        "envelope belongs to another wallet id than the expected one"));
            }
            if (header.role() != expectedRole) {
                return WebVaultResult.failure(new WebVaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null,
                        "envelope holds the share of " + header.role() + ", expected " + expectedRole));
            }
            JSObject key = deriveKey(passwordUtf8, header.salt(), header.iterations(), "decrypt");
            Int8Array plain = SubtleCrypto.decrypt(key, Int8Array.copyFromJavaArray(header.nonce()),
                    Int8Array.copyFromJavaArray(aad), Int8Array.copyFromJavaArray(sealed)).await();
            if (plain == null) {
                return WebVaultResult.failure(new WebVaultFailure(VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null,
                        "authentication tag does not verify: wrong password, or the envelope was modified"));
            }
            byte[] share = SubtleCrypto.takeBytes(plain);
            if (share.length != header.shareLength()) {
                Bytes.wipe(share);
                throw new IllegalStateException("AES-GCM returned a share of the wrong length");
            }
            return WebVaultResult.success(share);
        } finally {
            Bytes.wipe(passwordUtf8);
        }
    }

    /** {@link ShareVault#inspect}: the format checks and the public header, without a password or WebCrypto. */
    public static WebVaultResult<VaultHeader> inspect(byte[] envelope) {
        requireNonNull(envelope, "envelope");
        VaultResult<VaultHeader> r = ShareVault.inspect(envelope);
        return r.isSuccess() ? WebVaultResult.success(r.value()) : WebVaultResult.failure(WebVaultFailure.of(r.failure()));
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

    /** The envelope just sealed must parse with shared-crypto's parser into exactly the header that was meant. */
    private static void selfCheck(byte[] envelope, int iterations, byte[] salt, byte[] nonce, Party role,
            String walletId) {
        VaultResult<VaultHeader> r = ShareVault.inspect(envelope);
        if (!r.isSuccess()) {
            throw new IllegalStateException("sealed envelope does not parse: " + r.failure());
        }
        VaultHeader h = r.value();
        if (h.formatVersion() != ShareVault.FORMAT_VERSION || h.iterations() != iterations
                || !Bytes.constantTimeEquals(h.salt(), salt) || !Bytes.constantTimeEquals(h.nonce(), nonce)
                || h.role() != role || !h.walletId().equals(walletId)) {
            throw new IllegalStateException("sealed envelope's header differs from the sealing parameters");
        }
    }

    private static void requireSubtle() {
        if (!SubtleCrypto.available()) {
            throw new IllegalStateException(
                    "no WebCrypto: globalThis.crypto.subtle is unavailable (not a secure context?); refusing to run");
        }
    }

    private static byte[] slice(byte[] data, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(data, from, out, 0, out.length);
        return out;
    }

    private static byte[] walletIdBytes(String walletId) {
        byte[] utf8 = StrictUtf8.encode(walletId, "walletId");
        if (utf8.length < 1 || utf8.length > ShareVault.MAX_WALLET_ID_BYTES) {
            throw new IllegalArgumentException(
                    "walletId must be 1.." + ShareVault.MAX_WALLET_ID_BYTES + " bytes of UTF-8, got " + utf8.length);
        }
        return utf8;
    }

    private static void requireNonNull(Object o, String name) {
        if (o == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
