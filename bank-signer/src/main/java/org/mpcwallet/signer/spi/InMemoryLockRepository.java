package org.mpcwallet.signer.spi;

import java.util.HashMap;
import java.util.Map;
import org.mpcwallet.crypto.core.ProtocolFailure;

/** {@link LockRepository} in memory, for tests and demos (not durable). Thread-safe. */
public final class InMemoryLockRepository implements LockRepository {
    private final Map<String, ProtocolFailure> locks = new HashMap<>();
    private final Map<String, Long> markers = new HashMap<>();
    private final Map<String, SweepAuthorization> sweeps = new HashMap<>();

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
    public synchronized void beginDecryption(String keysetId, String sessionId) {
        beginDecryptionAt(keysetId, sessionId, System.currentTimeMillis());
    }

    /** A marker with a given start time (tests use it to stand for a crash long ago). */
    public synchronized void beginDecryptionAt(String keysetId, String sessionId, long startedAtMillis) {
        markers.put(keysetId + "/" + sessionId, startedAtMillis);
    }

    @Override
    public synchronized void endDecryption(String keysetId, String sessionId) {
        markers.remove(keysetId + "/" + sessionId);
    }

    @Override
    public synchronized boolean interrupted(String keysetId, int olderThanSeconds) {
        long limit = System.currentTimeMillis() - olderThanSeconds * 1000L;
        return markers.entrySet().stream()
                .anyMatch(e -> e.getKey().startsWith(keysetId + "/") && e.getValue() < limit);
    }

    /** Markers currently held (for tests). */
    public synchronized int markerCount() {
        return markers.size();
    }

    @Override
    public synchronized SweepAuthorization authorizeSweep(String keysetId, String to, int signatures) {
        if (signatures < 1) {
            throw new IllegalArgumentException("at least one sweep signature");
        }
        SweepAuthorization now = sweeps.get(keysetId);
        if (!locks.containsKey(keysetId) || (now != null && (now.retired() || !now.to().equals(to)))) {
            throw new PersistenceException.Conflict("keyset " + keysetId + " is not locked, is retired or has "
                    + "another sweep target");
        }
        SweepAuthorization next = new SweepAuthorization(to, (now == null ? 0 : now.left()) + signatures, false);
        sweeps.put(keysetId, next);
        return next;
    }

    @Override
    public synchronized SweepAuthorization sweep(String keysetId) {
        return sweeps.get(keysetId);
    }

    @Override
    public synchronized boolean takeSweep(String keysetId) {
        SweepAuthorization now = sweeps.get(keysetId);
        if (now == null || now.retired() || now.left() == 0) {
            return false;
        }
        sweeps.put(keysetId, new SweepAuthorization(now.to(), now.left() - 1, now.left() == 1));
        return true;
    }
}
