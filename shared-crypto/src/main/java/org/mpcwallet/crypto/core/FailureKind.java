package org.mpcwallet.crypto.core;

/** What went wrong, in terms a caller can act on. Only {@link #KEY_COMPROMISE_RISK} locks a key. */
public enum FailureKind {
    /** Bytes that do not decode under the strict codec (length, version, trailing data, non-canonical value). */
    MALFORMED_MESSAGE,
    /** A well-formed message for another protocol, session, round or sender (includes replays and reordering). */
    UNEXPECTED_MESSAGE,
    /** A group element or integer outside its allowed range (off-curve, identity, wrong modulus size, ...). */
    INVALID_PARAMETER,
    /** A decommitment that does not open the earlier commitment. */
    COMMITMENT_MISMATCH,
    /** A zero-knowledge proof that does not verify. */
    PROOF_INVALID,
    /** The two parties disagree on a public value (message hash, public key, transcript digest). */
    INCONSISTENT_STATE,
    /** A presignature that was already consumed or is unknown. */
    PRESIGNATURE_UNAVAILABLE,
    /**
     * The final signature did not verify under the joint public key after every proof had passed. Terminal for the
     * key (CVE-2023-33242): the P1 key refuses every later signature until a refresh or rotation.
     */
    KEY_COMPROMISE_RISK,
    /** The key is locked after an earlier {@link #KEY_COMPROMISE_RISK}. */
    KEY_LOCKED,
    /** No secure randomness source is available (fail closed). */
    RANDOMNESS_UNAVAILABLE
}
