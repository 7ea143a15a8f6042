package org.mpcwallet.signer.store;

/** Why a share blob did not open (docs/bank-signer.md, "Failures"). Nothing is overwritten on any of them. */
public enum StoreFailureKind {
    /** Not a well-formed MPCS v1 blob: wrong magic, truncated, trailing bytes, a length out of bounds. */
    MALFORMED,
    /** Correct magic, but a format version this code does not read. */
    UNSUPPORTED_VERSION,
    /**
     * The blob is sealed under another key-encryption key; {@link StoreFailure#requiredKekId()} names the one it
     * needs. (A blob whose KEK id field was altered is indistinguishable from this and is reported the same way.)
     */
    WRONG_KEK,
    /** An AES-GCM tag failed: the header, the wrapped data key or the payload was modified. */
    TAMPERED,
    /**
     * The blob authenticates but its content is not a consistent P1 share: {@code P1KeyShare.decode} refuses it,
     * its epoch differs from the header's, or Dec(c_key) != x1 under the share's own Paillier key.
     */
    INCONSISTENT_SHARE,
    /** An authentic blob of another keyset than the one the caller asked for (decided after authentication). */
    WRONG_KEYSET
}
