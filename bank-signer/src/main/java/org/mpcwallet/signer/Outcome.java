package org.mpcwallet.signer;

import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.signer.permit.PermitFailure;

/**
 * The outcome of one {@link BankSigner} step of keygen, refresh, presign, online signing or the classic SIGN: the
 * signer's one step-result shape.
 *
 * @param <S> the session to continue with (for {@link Continue}): a {@link ProtocolSession} for keygen, refresh and
 *            presign, a {@link SignSession} for SIGN, {@code Void} for a step that never continues
 * @param <R> the result type (for {@link Done})
 */
public sealed interface Outcome<S, R> {
    /** Send {@code outbound} to P2 and feed its reply with {@code session} to the matching {@code ...Next}. */
    record Continue<S, R>(S session, byte[] outbound) implements Outcome<S, R> {}

    /**
     * Finished. Everything the result depends on is already durable (share saved, presignature stored, lock
     * cleared); {@code outbound} is P1's last message to send (presign S3, keygen K5, refresh R5), or null. For
     * online signing and SIGN the result is the signature, verified under Q by P1 (docs/protocol.md §5.2 step 7),
     * EIP-2 canonical.
     */
    record Done<S, R>(R result, byte[] outbound) implements Outcome<S, R> {}

    /** Online signing and SIGN only: the permit was refused; nothing else happened (no presignature was touched). */
    record PermitRefused<S, R>(PermitFailure failure) implements Outcome<S, R> {}

    /**
     * The protocol refused or aborted: e.g. KEY_LOCKED, a malformed or unexpected message, a failed proof, or
     * KEY_COMPROMISE_RISK (in which case the lock is already stored in the {@code LockRepository} and the
     * {@link LockListener} was told).
     */
    record Aborted<S, R>(ProtocolFailure failure) implements Outcome<S, R> {}

    /**
     * A bank-signer failure (not loaded, repository failure, stale session, ...); nothing was released.
     * {@code lockCause} (SIGN only, else null): the protocol locked the key (KEY_COMPROMISE_RISK) but the lock could
     * not be stored in the {@code LockRepository} (the in-memory key is locked all the same, and the decryption
     * marker left behind locks it in storage later). With {@code lockCause} null on a SIGN, the key's state could not
     * be read or the decryption marker not written before round 4, so nothing was decrypted.
     */
    record Failed<S, R>(SignerFailure failure, ProtocolFailure lockCause) implements Outcome<S, R> {
        /** A failure that locked nothing. */
        public Failed(SignerFailure failure) {
            this(failure, null);
        }
    }
}
