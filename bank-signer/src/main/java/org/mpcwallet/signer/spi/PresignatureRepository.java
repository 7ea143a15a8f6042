package org.mpcwallet.signer.spi;

import java.util.List;

/**
 * Durable pool of sealed P1 presignatures (MPCP v1 blobs, encrypted under the KEK), keyed by keyset and presignature
 * id (64 lowercase hex characters). Checklist row 9: a presignature is consumed before it is used and never comes
 * back. Failures throw {@link PersistenceException}.
 */
public interface PresignatureRepository {
    /** Stores a new presignature made under share epoch {@code epoch}; durable on return. */
    void store(String keysetId, String presignatureId, int epoch, byte[] sealedBlob);

    /** What {@link #take} found: the blob (null if none), the ledger's mark now, and whether a rollback was found. */
    record Taken(byte[] blob, LedgerMark mark, boolean rolledBack) {
        public Taken {
            if (mark == null || (rolledBack && blob != null)) {
                throw new IllegalArgumentException("a take reports the ledger mark, and a rollback no blob");
            }
            blob = blob == null ? null : blob.clone();
        }

        @Override
        public byte[] blob() {
            return blob == null ? null : blob.clone();
        }
    }

    /**
     * Deletes the presignature and returns its blob with the ledger's new mark (one more taken); the delete is
     * durable (committed) before this returns, so a crash after it leaves the presignature consumed. No blob if
     * there is no such presignature of the current restore epoch (never stored, already taken, dropped, or from
     * before a restore). Two concurrent takes of one id never both return it.
     *
     * <p>Before that, the stored ledger mark is compared with {@code highWater} (the signer's mark kept outside the
     * database, null if none): if the stored one is behind, the database was restored from a backup and may hold
     * presignatures that were already used. Then, in the same transaction, every stored presignature is deleted,
     * the restore epoch is moved past both marks, and {@code rolledBack} is reported with no blob.
     */
    Taken take(String keysetId, String presignatureId, LedgerMark highWater);

    /**
     * The operator's step after restoring a backup (docs/operations.md): deletes every stored presignature and
     * bumps the restore epoch, so nothing stored before can be taken. Returns the new mark.
     */
    LedgerMark restored();

    /** Deletes every presignature of the keyset made under an epoch lower than {@code epoch} (after a refresh). */
    void dropBefore(String keysetId, int epoch);

    /**
     * Deletes the keyset's stored presignatures but the newest {@code max} (by the time they were stored), and
     * returns how many it deleted. Only unused presignatures are stored, and dropping one is always safe: the device
     * holding the other half is refused (PRESIGNATURE_UNAVAILABLE) and signs another way.
     */
    int keepNewest(String keysetId, int max);

    /** The ids currently stored for the keyset (for pool monitoring). */
    List<String> ids(String keysetId);
}
