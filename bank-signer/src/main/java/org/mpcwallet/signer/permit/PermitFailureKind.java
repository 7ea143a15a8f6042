package org.mpcwallet.signer.permit;

/** Why a permit was refused, one kind per check of {@link PermitVerifier#verify}, in the order they run. */
public enum PermitFailureKind {
    /** The bytes are not a canonical v1 permit encoding (or the signature is missing). */
    MALFORMED,
    /** The Ed25519 signature does not verify under the orchestrator's public key over the exact encoding. */
    BAD_SIGNATURE,
    /** expiresAt is not after issuedAt. */
    INVALID_LIFETIME,
    /** expiresAt − issuedAt exceeds 60 s. */
    LIFETIME_TOO_LONG,
    /** The signer's clock is at or past expiresAt. */
    EXPIRED,
    /** issuedAt is later than the signer's clock plus the allowed skew. */
    NOT_YET_VALID,
    /** The permit names another keyset than the one the signing session is for. */
    WRONG_KEYSET,
    /** The signing hash is not Keccak-256 of the signing payload as recomputed by the signer. */
    HASH_MISMATCH,
    /** The signing payload is not a valid canonical EIP-1559 or EIP-155 transaction. */
    INVALID_TRANSACTION,
    /** The nonce was already consumed: the permit was used before. */
    REPLAYED
}
