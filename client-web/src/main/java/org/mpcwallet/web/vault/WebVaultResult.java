package org.mpcwallet.web.vault;

/**
 * Success with a value, or a {@link WebVaultFailure}: the shape of shared-crypto's {@code VaultResult}, whose
 * factories are package-private there (see client-web/README.md, "Vault"). {@link #toString()} never shows the value,
 * which for {@link WebCryptoVault#open} is the decrypted key share.
 */
public final class WebVaultResult<T> {
    private final T value;
    private final WebVaultFailure failure;

    private WebVaultResult(T value, WebVaultFailure failure) {
        this.value = value;
        this.failure = failure;
    }

    static <T> WebVaultResult<T> success(T value) {
        if (value == null) {
            throw new IllegalArgumentException("success needs a value");
        }
        return new WebVaultResult<>(value, null);
    }

    static <T> WebVaultResult<T> failure(WebVaultFailure failure) {
        if (failure == null) {
            throw new IllegalArgumentException("failure needs a reason");
        }
        return new WebVaultResult<>(null, failure);
    }

    public boolean isSuccess() {
        return failure == null;
    }

    /**
     * The value of a success; for {@link WebCryptoVault#open} a fresh array holding the share (wipe it with
     * {@code Bytes.wipe} when done).
     *
     * @throws IllegalStateException on a failure
     */
    public T value() {
        if (failure != null) {
            throw new IllegalStateException("vault operation failed: " + failure);
        }
        return value;
    }

    /** The failure, or null on success. */
    public WebVaultFailure failure() {
        return failure;
    }

    @Override
    public String toString() {
        return failure == null ? "VaultResult[success, value redacted]" : "VaultResult[" + failure + "]";
    }
}
