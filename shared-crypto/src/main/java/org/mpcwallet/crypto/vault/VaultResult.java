package org.mpcwallet.crypto.vault;

/**
 * Success with a value, or a {@link VaultFailure}. {@link #toString()} never shows the value, which for
 * {@link ShareVault#open} is the decrypted key share.
 */
public final class VaultResult<T> {
    private final T value;
    private final VaultFailure failure;

    private VaultResult(T value, VaultFailure failure) {
        this.value = value;
        this.failure = failure;
    }

    /**
     * A success holding {@code value} (not copied; for a share, hand over a fresh array that nothing else holds).
     *
     * @throws IllegalArgumentException when {@code value} is null
     */
    public static <T> VaultResult<T> success(T value) {
        if (value == null) {
            throw new IllegalArgumentException("success needs a value");
        }
        return new VaultResult<>(value, null);
    }

    /**
     * A failure.
     *
     * @throws IllegalArgumentException when {@code failure} is null
     */
    public static <T> VaultResult<T> failure(VaultFailure failure) {
        if (failure == null) {
            throw new IllegalArgumentException("failure needs a reason");
        }
        return new VaultResult<>(null, failure);
    }

    public boolean isSuccess() {
        return failure == null;
    }

    /**
     * The value of a success. For {@link ShareVault#open} this is the caller's own fresh array (not shared with
     * anything else): wipe it with {@code Bytes.wipe} when done.
     *
     * @throws IllegalStateException on a failure
     */
    public T value() {
        if (failure != null) {
            throw new IllegalStateException("vault operation failed: " + failure);
        }
        return value;
    }

    /**
     * The failure, or null on success.
     */
    public VaultFailure failure() {
        return failure;
    }

    @Override
    public String toString() {
        return failure == null ? "VaultResult[success, value redacted]" : "VaultResult[" + failure + "]";
    }
}
