package org.mpcwallet.crypto.vault;

/** The envelope fields, in wire order (docs/vault-format.md), used to say which one a MALFORMED failure is about. */
public enum VaultField {
    MAGIC,
    FORMAT_VERSION,
    KDF_ID,
    ITERATIONS,
    SALT,
    AEAD_ID,
    NONCE,
    PARTY_ROLE,
    WALLET_ID_LENGTH,
    WALLET_ID,
    CIPHERTEXT_LENGTH,
    CIPHERTEXT,
    /** Bytes after the end of the ciphertext. */
    TRAILING_DATA
}
