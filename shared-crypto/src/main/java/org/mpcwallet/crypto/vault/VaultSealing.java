package org.mpcwallet.crypto.vault;

import org.mpcwallet.crypto.core.Bytes;

/**
 * The crypto-free part of sealing (docs/vault-format.md section 4, steps 1-3 without the cryptography), from
 * {@link ShareVault#prepareSeal}: the arguments were checked, the salt and then the nonce drawn, the header built.
 * What remains for the platform is
 *
 * <pre>
 * key      = PBKDF2-HMAC-SHA256(ShareVault.passwordUtf8(password), {@link #salt()}, {@link #iterations()}, 32 bytes)
 * sealed   = AES-256-GCM-Encrypt(key, {@link #nonce()}, aad = {@link #aad()}, share)     // ciphertext || tag
 * envelope = {@link #envelope(byte[]) envelope(sealed)}
 * </pre>
 *
 * Holds no secret (no password, key or share). Every accessor returns a fresh copy.
 */
public final class VaultSealing {
    private final int iterations;
    private final byte[] salt;
    private final byte[] nonce;
    private final byte[] aad;
    private final int shareLength;

    VaultSealing(int iterations, byte[] salt, byte[] nonce, byte[] aad, int shareLength) {
        this.iterations = iterations;
        this.salt = salt;
        this.nonce = nonce;
        this.aad = aad;
        this.shareLength = shareLength;
    }

    public int iterations() {
        return iterations;
    }

    /** The freshly drawn salt (drawn first). */
    public byte[] salt() {
        return salt.clone();
    }

    /** The freshly drawn nonce (drawn second). */
    public byte[] nonce() {
        return nonce.clone();
    }

    /** The header bytes = the GCM associated data ({@link ShareVault#header}). */
    public byte[] aad() {
        return aad.clone();
    }

    /** Length of the share being sealed. */
    public int shareLength() {
        return shareLength;
    }

    /**
     * The envelope: header || u32(C) || sealed, with {@code sealed} = ciphertext || tag as AES-GCM returned it.
     *
     * @throws IllegalStateException when {@code sealed} is not share length + 16 bytes (a broken AES-GCM: no
     *     envelope)
     */
    public byte[] envelope(byte[] sealed) {
        if (sealed == null) {
            throw new IllegalArgumentException("sealed must not be null");
        }
        if (sealed.length != shareLength + ShareVault.TAG_BYTES) {
            throw new IllegalStateException(
                    "AES-GCM returned " + sealed.length + " bytes for a " + shareLength + "-byte share");
        }
        return Bytes.concat(aad, Bytes.int32(sealed.length), sealed);
    }

    @Override
    public String toString() {
        return "VaultSealing[iterations " + iterations + ", salt " + Bytes.toHex(salt) + ", nonce "
                + Bytes.toHex(nonce) + ", header " + aad.length + " bytes, share " + shareLength + " bytes]";
    }
}
