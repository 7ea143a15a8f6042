package org.mpcwallet.signer.spi;

import java.util.HashMap;
import java.util.Map;
import org.mpcwallet.crypto.core.ProtocolFailure;

/** {@link LockRepository} in memory, for tests and demos (not durable). Thread-safe. */
public final class InMemoryLockRepository implements LockRepository {
    private final Map<String, ProtocolFailure> locks = new HashMap<>();

    @Override
    public synchronized void lock(String keysetId, ProtocolFailure cause) {
        if (cause == null || !cause.locksKey()) {
            throw new IllegalArgumentException("only a KEY_COMPROMISE_RISK failure locks a key");
        }
        locks.putIfAbsent(keysetId, cause);
    }

    @Override
    public synchronized ProtocolFailure current(String keysetId) {
        return locks.get(keysetId);
    }

    @Override
    public synchronized void clear(String keysetId) {
        locks.remove(keysetId);
    }
}
