package org.mpcwallet.signer.spi;

/**
 * A position of the presignature ledger (docs/protocol.md §5.4, checklist row 9): the database's restore epoch and the
 * number of presignatures taken under it. It only moves forward; a database whose mark is behind a mark the signer
 * remembers outside it ({@link PresignatureHighWater}) was restored from a backup.
 *
 * @param restoreEpoch bumped by every restore (by the operator's step or when a rollback is detected)
 * @param taken        presignatures taken so far (monotonic)
 */
public record LedgerMark(long restoreEpoch, long taken) {
    public LedgerMark {
        if (restoreEpoch < 0 || taken < 0) {
            throw new IllegalArgumentException("a ledger mark is non-negative");
        }
    }

    /** Whether this mark is further than {@code other}. */
    public boolean ahead(LedgerMark other) {
        return restoreEpoch > other.restoreEpoch || (restoreEpoch == other.restoreEpoch && taken > other.taken);
    }
}
