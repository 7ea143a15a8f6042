package org.mpcwallet.signer.store;

/**
 * Success with a value, or a {@link StoreFailure}. {@link #toString()} never shows the value (for
 * {@link EncryptedShareStore#open} it is the decrypted share).
 */
public final class StoreResult<T> {
    private final T value;
    private final StoreFailure failure;

    private StoreResult(T value, StoreFailure failure) {
        this.value = value;
        this.failure = failure;
    }

    public static <T> StoreResult<T> success(T value) {
        if (value == null) {
            throw new IllegalArgumentException("success needs a value");
        }
        return new StoreResult<>(value, null);
    }

    public static <T> StoreResult<T> failure(StoreFailure failure) {
        if (failure == null) {
            throw new IllegalArgumentException("failure needs a reason");
        }
        return new StoreResult<>(null, failure);
    }

    static <T> StoreResult<T> failure(StoreFailureKind kind, String reason) {
        return failure(StoreFailure.of(kind, reason));
    }

    public boolean isSuccess() {
        return failure == null;
    }

    /** @throws IllegalStateException on a failure */
    public T value() {
        if (failure != null) {
            throw new IllegalStateException("share store operation failed: " + failure);
        }
        return value;
    }

    /** The failure, or null on success. */
    public StoreFailure failure() {
        return failure;
    }

    @Override
    public String toString() {
        return failure == null ? "StoreResult[success, value redacted]" : "StoreResult[" + failure + "]";
    }
}
