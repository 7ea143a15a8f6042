package org.mpcwallet.signer.gateway;

/**
 * Why a {@link GatewayReply.Failed} reply failed. The first six are the bank-signer's own failure kinds
 * ({@code SignerFailureKind}, same names, the wire form); the last three belong to the gateway.
 */
public enum GatewayFailureKind {
    NOT_LOADED,
    KEYSET_EXISTS,
    EPOCH_CONFLICT,
    STALE_SESSION,
    PERSISTENCE_FAILED,
    STORED_BLOB_INVALID,
    /** The handle names no running session: unknown, expired or already advanced. */
    UNKNOWN_SESSION,
    /** The signer could not be reached (set by the caller of a remote gateway; never sent by a signer). */
    SIGNER_UNAVAILABLE,
    /**
     * A failure kind this build does not know (a remote signer of another build): the reply is kept as a failure,
     * its reason naming the signer's kind, and whether it locked the key is kept too (set by the decoder only).
     */
    UNRECOGNIZED
}
