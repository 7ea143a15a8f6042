package org.mpcwallet.signer;

import org.mpcwallet.crypto.core.ProtocolFailure;

/**
 * Told when a keyset's P1 key locks itself (a {@code KEY_COMPROMISE_RISK} failure, docs/protocol.md §6.4). The
 * server persists the lock, an audit event and an incident in one transaction, and passes the stored cause back to
 * {@link BankSigner#load} on restart. Called on the signing thread, after the in-memory key is already locked; an
 * exception thrown here propagates to the caller of {@link BankSigner#signNext} (the key stays locked).
 */
@FunctionalInterface
public interface LockListener {
    void keyLocked(String keysetId, ProtocolFailure cause);
}
