package org.mpcwallet.signer.spi;

/**
 * Durable storage of sealed P1 shares (MPCS v1 blobs, already encrypted under the KEK), one current epoch per keyset.
 * Every write must be durable (committed) when the method returns: the bank signer releases a protocol's final
 * result only afterwards. Implementations throw {@link PersistenceException} on failure.
 */
public interface ShareRepository {
    /**
     * Stores the first share of a new keyset (keygen).
     *
     * @throws PersistenceException.Conflict if the keyset already has a share (keygen never overwrites a key)
     */
    void save(String keysetId, int epoch, byte[] sealedBlob);

    /** The keyset's current share, or null if there is none. */
    StoredShare loadCurrent(String keysetId);

    /**
     * Atomically replaces the keyset's share of epoch {@code fromEpoch} with {@code sealedBlob} of {@code toEpoch}
     * (refresh); either the new share is current afterwards or nothing changed.
     *
     * @throws PersistenceException.Conflict if the current epoch is not {@code fromEpoch}
     */
    void replaceEpoch(String keysetId, int fromEpoch, int toEpoch, byte[] sealedBlob);
}
