package org.mpcwallet.crypto.vault;

/** Why a vault envelope did not open, in terms a caller can act on (docs/vault-format.md, "Failures"). */
public enum VaultFailureKind {
    /** The bytes are not a well-formed v1 envelope; {@link VaultFailure#field()} names the offending field. */
    MALFORMED,
    /** Correct magic but a format version this code does not read (a newer or unknown writer). */
    UNSUPPORTED_VERSION,
    /**
     * A well-formed envelope whose header names another wallet id or party role than the caller expects. Decided
     * before any key derivation from the (not yet authenticated) header: it says "not this file", nothing more.
     */
    WRONG_WALLET_OR_ROLE,
    /**
     * The AES-GCM tag did not verify: a wrong password, or a modified header, ciphertext or tag. The two cannot be told
     * apart and are deliberately not distinguished.
     */
    WRONG_PASSWORD_OR_TAMPERED
}
