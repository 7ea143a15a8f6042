package org.mpcwallet.crypto.vault;

import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;

/**
 * The public, parsed header of a v1 envelope. Nothing here is secret, but nothing here is authenticated either until
 * {@link ShareVault#open} has verified the GCM tag: use it to label a backup file ("wallet X, user device"), never to
 * make a security decision.
 */
public final class VaultHeader {
    private final int formatVersion;
    private final int kdfId;
    private final long iterations;
    private final byte[] salt;
    private final int aeadId;
    private final byte[] nonce;
    private final Party role;
    private final String walletId;
    private final int ciphertextLength;

    VaultHeader(int formatVersion, int kdfId, long iterations, byte[] salt, int aeadId, byte[] nonce, Party role,
            String walletId, int ciphertextLength) {
        this.formatVersion = formatVersion;
        this.kdfId = kdfId;
        this.iterations = iterations;
        this.salt = salt.clone();
        this.aeadId = aeadId;
        this.nonce = nonce.clone();
        this.role = role;
        this.walletId = walletId;
        this.ciphertextLength = ciphertextLength;
    }

    public int formatVersion() {
        return formatVersion;
    }

    public int kdfId() {
        return kdfId;
    }

    /** PBKDF2 iteration count, within [{@link ShareVault#MIN_ITERATIONS}, {@link ShareVault#MAX_ITERATIONS}]. */
    public int iterations() {
        return (int) iterations;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public int aeadId() {
        return aeadId;
    }

    public byte[] nonce() {
        return nonce.clone();
    }

    public Party role() {
        return role;
    }

    public String walletId() {
        return walletId;
    }

    /** Length of ciphertext plus the 16-byte tag. */
    public int ciphertextLength() {
        return ciphertextLength;
    }

    /** Length of the sealed share (ciphertext length minus the tag). */
    public int shareLength() {
        return ciphertextLength - ShareVault.TAG_BYTES;
    }

    @Override
    public String toString() {
        return "VaultHeader[v" + formatVersion + ", kdf " + kdfId + ", iterations " + iterations + ", salt "
                + Bytes.toHex(salt) + ", aead " + aeadId + ", nonce " + Bytes.toHex(nonce) + ", role " + role
                + ", walletId " + walletId + ", ciphertext " + ciphertextLength + " bytes]";
    }
}
