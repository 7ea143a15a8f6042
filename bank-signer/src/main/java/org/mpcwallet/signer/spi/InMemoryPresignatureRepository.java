package org.mpcwallet.signer.spi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link PresignatureRepository} in memory, for tests and demos (not durable). Thread-safe. */
public final class InMemoryPresignatureRepository implements PresignatureRepository {
    private record Entry(int epoch, byte[] blob) {}

    private final Map<String, Map<String, Entry>> pools = new LinkedHashMap<>();
    private LedgerMark mark = new LedgerMark(0, 0);

    @Override
    public synchronized void store(String keysetId, String presignatureId, int epoch, byte[] sealedBlob) {
        Map<String, Entry> pool = pools.computeIfAbsent(keysetId, k -> new LinkedHashMap<>());
        if (pool.containsKey(presignatureId)) {
            throw new PersistenceException.Conflict("presignature " + presignatureId + " already stored");
        }
        pool.put(presignatureId, new Entry(epoch, sealedBlob.clone()));
    }

    @Override
    public synchronized Taken take(String keysetId, String presignatureId, LedgerMark highWater) {
        if (highWater != null && highWater.ahead(mark)) {
            pools.clear();
            mark = new LedgerMark(Math.max(mark.restoreEpoch(), highWater.restoreEpoch()) + 1, highWater.taken());
            return new Taken(null, mark, true);
        }
        Map<String, Entry> pool = pools.get(keysetId);
        Entry e = pool == null ? null : pool.remove(presignatureId);
        if (e == null) {
            return new Taken(null, mark, false);
        }
        mark = new LedgerMark(mark.restoreEpoch(), mark.taken() + 1);
        return new Taken(e.blob(), mark, false);
    }

    @Override
    public synchronized LedgerMark restored() {
        pools.clear();
        mark = new LedgerMark(mark.restoreEpoch() + 1, mark.taken());
        return mark;
    }

    /**
     * Stands for restoring a backup: replaces the whole state with {@code snapshot}'s (tests of the rollback check).
     */
    public synchronized void restoreFrom(InMemoryPresignatureRepository snapshot) {
        synchronized (snapshot) {
            pools.clear();
            snapshot.pools.forEach((k, v) -> pools.put(k, new LinkedHashMap<>(v)));
            mark = snapshot.mark;
        }
    }

    /** A copy of the whole state (a backup, for tests). */
    public synchronized InMemoryPresignatureRepository snapshot() {
        InMemoryPresignatureRepository copy = new InMemoryPresignatureRepository();
        pools.forEach((k, v) -> copy.pools.put(k, new LinkedHashMap<>(v)));
        copy.mark = mark;
        return copy;
    }

    @Override
    public synchronized void dropBefore(String keysetId, int epoch) {
        Map<String, Entry> pool = pools.get(keysetId);
        if (pool != null) {
            pool.values().removeIf(e -> e.epoch() < epoch);
        }
    }

    @Override
    public synchronized int keepNewest(String keysetId, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative");
        }
        Map<String, Entry> pool = pools.get(keysetId);
        if (pool == null) {
            return 0;
        }
        int dropped = 0;
        Iterator<String> oldestFirst = pool.keySet().iterator(); // insertion order is storing order
        while (pool.size() > max) {
            oldestFirst.next();
            oldestFirst.remove();
            dropped++;
        }
        return dropped;
    }

    @Override
    public synchronized List<String> ids(String keysetId) {
        Map<String, Entry> pool = pools.get(keysetId);
        return pool == null ? List.of() : new ArrayList<>(pool.keySet());
    }

    /** Every stored byte array (for tests that scan storage for plaintext secrets). */
    public synchronized List<byte[]> allBlobs() {
        List<byte[]> out = new ArrayList<>();
        pools.values().forEach(p -> p.values().forEach(e -> out.add(e.blob().clone())));
        return out;
    }
}
