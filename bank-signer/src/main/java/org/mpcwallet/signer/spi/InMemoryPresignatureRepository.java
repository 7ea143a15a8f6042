package org.mpcwallet.signer.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link PresignatureRepository} in memory, for tests and demos (not durable). Thread-safe. */
public final class InMemoryPresignatureRepository implements PresignatureRepository {
    private record Entry(int epoch, byte[] blob) {}

    private final Map<String, Map<String, Entry>> pools = new LinkedHashMap<>();

    @Override
    public synchronized void store(String keysetId, String presignatureId, int epoch, byte[] sealedBlob) {
        Map<String, Entry> pool = pools.computeIfAbsent(keysetId, k -> new LinkedHashMap<>());
        if (pool.containsKey(presignatureId)) {
            throw new PersistenceException.Conflict("presignature " + presignatureId + " already stored");
        }
        pool.put(presignatureId, new Entry(epoch, sealedBlob.clone()));
    }

    @Override
    public synchronized byte[] take(String keysetId, String presignatureId) {
        Map<String, Entry> pool = pools.get(keysetId);
        Entry e = pool == null ? null : pool.remove(presignatureId);
        return e == null ? null : e.blob().clone();
    }

    @Override
    public synchronized void dropBefore(String keysetId, int epoch) {
        Map<String, Entry> pool = pools.get(keysetId);
        if (pool != null) {
            pool.values().removeIf(e -> e.epoch() < epoch);
        }
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
