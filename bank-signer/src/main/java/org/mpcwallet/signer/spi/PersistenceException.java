package org.mpcwallet.signer.spi;

/**
 * A repository could not complete a write or read (database down, constraint violated, conflicting epoch). Thrown by
 * repository implementations; {@code BankSigner} turns it into a {@code SignerFailure} value of kind
 * {@code PERSISTENCE_FAILED} (or {@code KEYSET_EXISTS} / {@code EPOCH_CONFLICT} for {@link Conflict}).
 */
public class PersistenceException extends RuntimeException {
    public PersistenceException(String message) {
        super(message);
    }

    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The write conflicts with what is stored: the keyset already exists, or its current epoch is not the expected one. */
    public static final class Conflict extends PersistenceException {
        public Conflict(String message) {
            super(message);
        }
    }
}
