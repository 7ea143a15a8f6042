package org.mpcwallet.crypto.vault;

import org.mpcwallet.crypto.core.Party;

/**
 * A strictly parsed v1 envelope (docs/vault-format.md, section 5 steps 1-13 passed): the public header and the byte
 * ranges a platform needs for the cryptography of step 16, so that a platform implementation (the browser's
 * WebCrypto) does nothing but key derivation and AES-GCM:
 *
 * <pre>
 * key   = PBKDF2-HMAC-SHA256(password bytes, {@link #salt()}, {@link #iterations()}, 32 bytes)
 * share = AES-256-GCM-Decrypt(key, {@link #nonce()}, aad = {@link #aad()}, {@link #sealed()})
 * </pre>
 *
 * <p>Obtained from {@link ShareVault#parse} (format checks only) or {@link ShareVault#checkForOpen} (format checks
 * plus the expected wallet id and role). Nothing here is secret, and nothing is authenticated until the GCM tag has
 * verified. Every accessor returns a fresh copy.
 */
public final class VaultEnvelope {
    private final VaultHeader header;
    private final byte[] walletIdUtf8;
    private final byte[] aad;
    private final byte[] sealed;

    VaultEnvelope(VaultHeader header, byte[] walletIdUtf8, byte[] aad, byte[] sealed) {
        this.header = header;
        this.walletIdUtf8 = walletIdUtf8;
        this.aad = aad;
        this.sealed = sealed;
    }

    /** The parsed public header (not authenticated). */
    public VaultHeader header() {
        return header;
    }

    /** The header bytes, {@code [0, 42 + L)}: the GCM associated data. */
    public byte[] aad() {
        return aad.clone();
    }

    /** The wallet id exactly as stored (well-formed UTF-8, 1..128 bytes). */
    public byte[] walletIdUtf8() {
        return walletIdUtf8.clone();
    }

    /** Ciphertext || tag (the GCM input of opening), {@link VaultHeader#ciphertextLength()} bytes. */
    public byte[] sealed() {
        return sealed.clone();
    }

    /** The PBKDF2 salt ({@link ShareVault#SALT_BYTES} bytes). */
    public byte[] salt() {
        return header.salt();
    }

    /** The GCM nonce ({@link ShareVault#NONCE_BYTES} bytes). */
    public byte[] nonce() {
        return header.nonce();
    }

    /** The PBKDF2 iteration count, within [{@link ShareVault#MIN_ITERATIONS}, {@link ShareVault#MAX_ITERATIONS}]. */
    public int iterations() {
        return header.iterations();
    }

    public Party role() {
        return header.role();
    }

    /** Length of the sealed share: what AES-GCM must return on opening. */
    public int shareLength() {
        return header.shareLength();
    }

    /** The header's text; no share bytes (there are none here, only ciphertext). */
    @Override
    public String toString() {
        return "VaultEnvelope[" + header + "]";
    }
}
