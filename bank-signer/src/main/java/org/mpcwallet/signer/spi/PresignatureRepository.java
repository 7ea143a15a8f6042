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

    /**
     * Deletes the presignature and returns its blob; the delete is durable (committed) before this returns, so a
     * crash after it leaves the presignature consumed. Null if there is no such presignature (never stored, already
     * taken, or dropped). Two concurrent takes of one id never both return it.
     */
    byte[] take(String keysetId, String presignatureId);

    /** Deletes every presignature of the keyset made under an epoch lower than {@code epoch} (after a refresh). */
    void dropBefore(String keysetId, int epoch);

    /** The ids currently stored for the keyset (for pool monitoring). */
    List<String> ids(String keysetId);
}
