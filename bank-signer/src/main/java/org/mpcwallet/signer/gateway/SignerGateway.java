package org.mpcwallet.signer.gateway;

/**
 * What bank-server asks of the bank's P1 party (docs/mpc-channel.md "Signer gateway"): start a keygen, SIGN,
 * presign or refresh session, feed it the device's messages, abandon it; sign online with a presignature. Sessions
 * are named by opaque handles so the same calls work in-process ({@link LocalSignerGateway}) and over mutually
 * authenticated TLS to a separate bank-signer process. A handle is single-use per step: each
 * {@link GatewayReply.Continue} reply names the handle for the next call; every other reply ends the session.
 * Sessions not advanced within the gateway's timeout expire.
 *
 * <p>Implementations never throw for protocol, permit or storage failures: those are replies. They may throw
 * {@link SignerUnavailableException} when the signer cannot be reached.
 */
public interface SignerGateway {
    /** K1 of a keygen for a new keyset (32-byte session id). */
    GatewayReply keygenStart(String keysetId, byte[] sessionId);

    /** S1 of a 4-message SIGN under a permit (the signer verifies it and signs the permit's hash only). */
    GatewayReply signStart(String keysetId, byte[] sessionId, byte[] permit, byte[] permitSignature);

    /**
     * S1 of a presignature on the keyset (docs/presign-online.md; refused with KEY_LOCKED on a locked key). The
     * session's last step answers {@link GatewayReply.PresignDone}: the signer's half is stored before S3 is released.
     */
    GatewayReply presignStart(String keysetId, byte[] sessionId);

    /**
     * Online signing with the stored presignature {@code presignatureId} and the device's O1, under a permit: the
     * permit is checked first (PERMIT_REFUSED; nothing else happens), then the presignature is taken for good
     * whatever follows, then P1 signs the permit's hash ({@link GatewayReply.Signed}, or a failure such as
     * PRESIGNATURE_UNAVAILABLE when the signer holds no unused presignature with this id).
     */
    GatewayReply online(String keysetId, String presignatureId, byte[] permit, byte[] permitSignature, byte[] o1);

    /** How many unused presignatures the signer holds for the keyset (at most {@code BankSigner.MAX_PRESIGNATURES}). */
    int presignatures(String keysetId);

    /** R1 of a routine refresh of the keyset's share (refused on a locked key: it is rotated, never refreshed). */
    GatewayReply refreshStart(String keysetId, byte[] sessionId);

    /**
     * Authorizes {@code signatures} sweep signatures (1..64) on a locked keyset, each paying only {@code to} (the
     * address of the wallet that replaces it; docs/key-rotation.md). DONE with the keyset's new state, or ABORTED
     * (KEY_LOCKED) if the key is not locked, is retired, or has another sweep target.
     */
    GatewayReply authorizeSweep(String keysetId, String to, int signatures);

    /** The device's next message for the session named by {@code handle}. */
    GatewayReply next(String handle, byte[] inbound);

    /** Forgets a session (device gone, timeout, error); unknown handles are ignored. */
    void abandon(String handle);

    /** Public facts about a keyset, or null if the signer has no share for it. */
    GatewayKeyset keyset(String keysetId);

    /** Whether the signer answers (and, for a remote signer, presents the expected certificate). */
    boolean healthy();
}
