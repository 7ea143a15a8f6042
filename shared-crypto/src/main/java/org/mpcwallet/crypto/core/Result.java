package org.mpcwallet.crypto.core;

import java.util.function.Function;

/**
 * Success with a value ({@link Ok}) or a failure ({@link Err}): the one success-or-failure shape across module
 * borders (a share vault, the signer's share store, a permit check). The failure type {@code F} is the border's own
 * failure record ({@code VaultFailure}, {@code StoreFailure}, {@code PermitFailure}, ...), never an exception.
 *
 * <p>{@link #toString()} never shows the value: for {@code ShareVault.open} or {@code EncryptedShareStore.open} it is
 * a decrypted key share. The value is not copied either: a success hands its caller the value it was built with.
 *
 * @param <T> the value of a success
 * @param <F> the failure
 */
public sealed interface Result<T, F> permits Result.Ok, Result.Err {

    /** A success holding {@code value}, never null. */
    record Ok<T, F>(T value) implements Result<T, F> {
        public Ok {
            if (value == null) {
                throw new IllegalArgumentException("success needs a value");
            }
        }

        @Override
        public boolean isOk() {
            return true;
        }

        /** @throws IllegalStateException always: a success has no failure */
        @Override
        public F failure() {
            throw new IllegalStateException("the operation succeeded; there is no failure");
        }

        @Override
        public <U> Result<U, F> map(Function<? super T, ? extends U> f) {
            return new Ok<>(f.apply(value));
        }

        @Override
        public String toString() {
            return "Ok[value redacted]";
        }
    }

    /** A failure holding {@code failure}, never null. */
    record Err<T, F>(F failure) implements Result<T, F> {
        public Err {
            if (failure == null) {
                throw new IllegalArgumentException("failure needs a reason");
            }
        }

        @Override
        public boolean isOk() {
            return false;
        }

        /** @throws IllegalStateException always, naming the failure */
        @Override
        public T value() {
            throw new IllegalStateException("the operation failed: " + failure);
        }

        @Override
        public <U> Result<U, F> map(Function<? super T, ? extends U> f) {
            return new Err<>(failure);
        }

        @Override
        public String toString() {
            return "Err[" + failure + "]";
        }
    }

    /**
     * A success holding {@code value} (not copied; for a share, hand over a fresh array that nothing else holds).
     *
     * @throws IllegalArgumentException when {@code value} is null
     */
    static <T, F> Result<T, F> ok(T value) {
        return new Ok<>(value);
    }

    /**
     * A failure.
     *
     * @throws IllegalArgumentException when {@code failure} is null
     */
    static <T, F> Result<T, F> err(F failure) {
        return new Err<>(failure);
    }

    /** Whether this is a success. */
    boolean isOk();

    /**
     * The value of a success: the caller's own (for a decrypted share, wipe it with {@code Bytes.wipe} when done).
     *
     * @throws IllegalStateException on a failure
     */
    T value();

    /**
     * The failure.
     *
     * @throws IllegalStateException on a success
     */
    F failure();

    /** A success's value passed through {@code f}, or the same failure (retyped). */
    <U> Result<U, F> map(Function<? super T, ? extends U> f);
}
