package org.mpcwallet.signer.spi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link ShareRepository} in memory, for tests and demos (not durable). Thread-safe. */
public final class InMemoryShareRepository implements ShareRepository {
    private final Map<String, StoredShare> shares = new HashMap<>();

    @Override
    public synchronized void save(String keysetId, int epoch, byte[] sealedBlob) {
        if (shares.containsKey(keysetId)) {
            throw new PersistenceException.Conflict("keyset " + keysetId + " already has a share");
        }
        shares.put(keysetId, new StoredShare(epoch, sealedBlob));
    }

    @Override
    public synchronized StoredShare loadCurrent(String keysetId) {
        return shares.get(keysetId);
    }

    @Override
    public synchronized void replaceEpoch(String keysetId, int fromEpoch, int toEpoch, byte[] sealedBlob) {
        StoredShare current = shares.get(keysetId);
        if (current == null || current.epoch() != fromEpoch) {
            throw new PersistenceException.Conflict("keyset " + keysetId + " is not at epoch " + fromEpoch);
        }
        shares.put(keysetId, new StoredShare(toEpoch, sealedBlob));
    }

    /** Every stored byte array (for tests that scan storage for plaintext secrets). */
    public synchronized List<byte[]> allBlobs() {
        List<byte[]> out = new ArrayList<>();
        shares.values().forEach(s -> out.add(s.blob()));
        return out;
    }
}
