package org.mpcwallet.signer.spi;

/** {@link RingPedersenRepository} in memory, for tests and demos (not durable). Thread-safe. */
public final class InMemoryRingPedersenRepository implements RingPedersenRepository {
    private byte[] stored;

    @Override
    public synchronized byte[] load() {
        return stored == null ? null : stored.clone();
    }

    @Override
    public synchronized byte[] saveIfAbsent(byte[] encoded, byte[] fingerprint) {
        if (stored == null) {
            stored = encoded.clone();
        }
        return stored.clone();
    }
}
