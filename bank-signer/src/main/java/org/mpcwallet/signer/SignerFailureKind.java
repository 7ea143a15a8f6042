package org.mpcwallet.signer;

/** Why a {@link BankSigner} operation failed outside the protocol itself (docs/bank-signer.md). */
public enum SignerFailureKind {
    /** No share for the keyset: not loaded and not in the {@code ShareRepository}. */
    NOT_LOADED,
    /** Keygen for a keyset that already has a share (a key is never overwritten). */
    KEYSET_EXISTS,
    /** The stored share is not at the epoch this refresh started from (another refresh won). */
    EPOCH_CONFLICT,
    /** The key changed (refresh or reload) while this session ran; its result is void and was not released. */
    STALE_SESSION,
    /** A repository write or read failed; the result was not released (see the reason for what is stored). */
    PERSISTENCE_FAILED,
    /** A stored share or presignature blob did not open (wrong KEK, tampered, inconsistent). */
    STORED_BLOB_INVALID
}
