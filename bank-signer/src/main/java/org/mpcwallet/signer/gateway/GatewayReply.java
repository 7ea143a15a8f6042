package org.mpcwallet.signer.gateway;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One answer of the {@link SignerGateway}.
 *
 * @param status      what happened
 * @param handle      CONTINUE only: the handle to pass to the next {@link SignerGateway#next}
 * @param outbound    the signer's message to relay to the device (CONTINUE; DONE of a keygen or refresh carries
 *                    the last message K5/R5), or null
 * @param keyset      DONE of a keygen or refresh: the keyset the share was stored for
 * @param signature   DONE of a SIGN: the signature, verified under Q by the signer, low-s, with recovery id
 * @param failureKind ABORTED: the protocol {@code FailureKind} name; PERMIT_REFUSED: the {@code PermitFailureKind}
 *                    name; FAILED: the {@code SignerFailureKind} name (or UNKNOWN_SESSION for a handle that does not
 *                    name a running session)
 * @param reason      human-readable reason for a failure, no secrets
 * @param keyLocked   true when this reply's failure locked the key (KEY_COMPROMISE_RISK): the lock is stored
 */
public record GatewayReply(Status status, String handle, byte[] outbound, GatewayKeyset keyset, Signature signature,
        String failureKind, String reason, boolean keyLocked) {

    /** The failure kind of a handle that is unknown, expired or already used. */
    public static final String UNKNOWN_SESSION = "UNKNOWN_SESSION";

    public enum Status { CONTINUE, DONE, ABORTED, PERMIT_REFUSED, FAILED }

    /** An ECDSA signature (r, s, recovery id 0/1). */
    public record Signature(BigInteger r, BigInteger s, int recoveryId) {
        public Signature {
            Objects.requireNonNull(r, "r");
            Objects.requireNonNull(s, "s");
            if (recoveryId < 0 || recoveryId > 1) {
                throw new IllegalArgumentException("recovery id must be 0 or 1");
            }
        }
    }

    public GatewayReply {
        Objects.requireNonNull(status, "status");
        outbound = outbound == null ? null : outbound.clone();
        switch (status) {
            case CONTINUE -> require(handle != null && outbound != null, "CONTINUE needs a handle and a message");
            case DONE -> require(keyset != null || signature != null, "DONE needs a keyset or a signature");
            default -> require(failureKind != null && reason != null, status + " needs a failure kind and reason");
        }
    }

    public static GatewayReply proceed(String handle, byte[] outbound) {
        return new GatewayReply(Status.CONTINUE, handle, outbound, null, null, null, null, false);
    }

    public static GatewayReply keysetDone(GatewayKeyset keyset, byte[] lastMessage) {
        return new GatewayReply(Status.DONE, null, lastMessage, keyset, null, null, null, false);
    }

    public static GatewayReply signed(Signature signature) {
        return new GatewayReply(Status.DONE, null, null, null, signature, null, null, false);
    }

    public static GatewayReply failure(Status status, String kind, String reason, boolean keyLocked) {
        return new GatewayReply(status, null, null, null, null, kind, reason, keyLocked);
    }

    @Override
    public byte[] outbound() {
        return outbound == null ? null : outbound.clone();
    }

    @Override
    public String toString() {
        return "GatewayReply[" + status + (failureKind != null ? " " + failureKind + ": " + reason : "")
                + (keyLocked ? ", key locked" : "") + "]";
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }
}
