package org.mpcwallet.signer.spi;

/**
 * The furthest {@link LedgerMark} this signer has seen, kept outside the database (docs/operations.md "Restoring a
 * database backup"): a restored database whose ledger is behind it brings back presignatures that were already used,
 * and the repository then drops them all ({@link PresignatureRepository#take}).
 */
public interface PresignatureHighWater {
    /** The furthest mark recorded, or null if none was recorded yet. */
    LedgerMark read();

    /**
     * Records {@code mark} if it is ahead of the recorded one; durable on return.
     *
     * @throws PersistenceException if it cannot be recorded
     */
    void advance(LedgerMark mark);
}
