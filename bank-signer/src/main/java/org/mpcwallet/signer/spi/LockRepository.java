package org.mpcwallet.signer.spi;

import org.mpcwallet.crypto.core.ProtocolFailure;

/**
 * Durable compromise locks (docs/protocol.md §6.4) and "decryption in progress" markers. A lock is final: there
 * is no way to clear it (a locked key is retired). Writes are durable when the method returns; failures throw
 * {@link PersistenceException}.
 */
public interface LockRepository {
    /** Locks the keyset with {@code cause} (a KEY_COMPROMISE_RISK failure); an existing lock keeps its first cause. */
    void lock(String keysetId, ProtocolFailure cause);

    /** The stored lock cause, or null if the keyset is not locked. */
    ProtocolFailure current(String keysetId);

    /**
     * Durably records that P1 is about to decrypt a signing ciphertext of {@code sessionId} with the keyset's key
     * (committed when the method returns). Cleared by {@link #endDecryption}; a marker left behind (a crash or a
     * database error between the decryption and the verified signature) locks the key ({@link #interrupted}).
     */
    void beginDecryption(String keysetId, String sessionId);

    /** Removes the marker of {@code sessionId} (the signature verified, or nothing was decrypted). */
    void endDecryption(String keysetId, String sessionId);

    /** True if the keyset has a decryption marker older than {@code olderThanSeconds}. */
    boolean interrupted(String keysetId, int olderThanSeconds);

    /**
     * Authorizes {@code signatures} more sweep signatures to {@code to} (lowercase 0x address) on a locked keyset
     * that is not retired (docs/key-rotation.md). A keyset has one sweep target for life: another target is a
     * conflict.
     *
     * @return the authorization now stored
     * @throws PersistenceException.Conflict if the keyset is not locked, is retired, or has another sweep target
     */
    SweepAuthorization authorizeSweep(String keysetId, String to, int signatures);

    /** The keyset's sweep authorization, or null if none was given. */
    SweepAuthorization sweep(String keysetId);

    /**
     * Takes one sweep signature, durably, before its decryption; when it was the last one the keyset is retired in
     * the same write. False if none is left (or the keyset is retired): nothing may be decrypted.
     */
    boolean takeSweep(String keysetId);
}
