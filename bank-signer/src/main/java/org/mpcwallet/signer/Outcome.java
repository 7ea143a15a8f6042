package org.mpcwallet.signer;

import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.signer.permit.PermitFailure;

/**
 * The outcome of one {@link BankSigner} step of keygen, refresh, presign or online signing.
 *
 * @param <S> the session state type (for {@link Continue})
 * @param <R> the result type (for {@link Done})
 */
public sealed interface Outcome<S, R> {
    /** Send {@code outbound} to P2 and feed its reply with {@code session} to the matching {@code ...Next}. */
    record Continue<S, R>(ProtocolSession<S> session, byte[] outbound) implements Outcome<S, R> {}

    /**
     * Finished. Everything the result depends on is already durable (share saved, presignature stored, lock
     * cleared); {@code outbound} is P1's last message to send (presign S3), or null.
     */
    record Done<S, R>(R result, byte[] outbound) implements Outcome<S, R> {}

    /** Online signing only: the permit was refused; nothing else happened (no presignature was touched). */
    record PermitRefused<S, R>(PermitFailure failure) implements Outcome<S, R> {}

    /**
     * The protocol refused or aborted; for KEY_COMPROMISE_RISK the lock is already stored in the
     * {@code LockRepository} and the {@link LockListener} was told.
     */
    record Aborted<S, R>(ProtocolFailure failure) implements Outcome<S, R> {}

    /** A bank-signer failure (not loaded, repository failure, stale session, ...); nothing was released. */
    record Failed<S, R>(SignerFailure failure) implements Outcome<S, R> {}
}
