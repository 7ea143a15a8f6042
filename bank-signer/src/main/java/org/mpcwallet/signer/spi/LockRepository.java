package org.mpcwallet.signer.spi;

import org.mpcwallet.crypto.core.ProtocolFailure;

/**
 * Durable compromise locks (docs/protocol.md §6.4). bank-server's implementation writes the lock together with the
 * audit event and incident in one transaction. Writes are durable when the method returns; failures throw
 * {@link PersistenceException}.
 */
public interface LockRepository {
    /** Locks the keyset with {@code cause} (a KEY_COMPROMISE_RISK failure); an existing lock keeps its first cause. */
    void lock(String keysetId, ProtocolFailure cause);

    /** The stored lock cause, or null if the keyset is not locked. */
    ProtocolFailure current(String keysetId);

    /** Removes the lock (only after a refresh has stored the new, unlocked share epoch). */
    void clear(String keysetId);
}
