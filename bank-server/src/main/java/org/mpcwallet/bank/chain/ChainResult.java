package org.mpcwallet.bank.chain;

import java.util.Objects;
import java.util.function.Function;

/**
 * The answer of one node interaction: a value, or a {@link ChainFailure}. Never null inside.
 *
 * @param <T> the value type
 */
public sealed interface ChainResult<T> {

    /** A successful answer. */
    record Ok<T>(T value) implements ChainResult<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A failed interaction. */
    record Failed<T>(ChainFailure failure) implements ChainResult<T> {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }
    }

    static <T> ChainResult<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> ChainResult<T> failed(ChainFailure failure) {
        return new Failed<>(failure);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** Applies {@code f} to a value; passes a failure through. */
    default <R> ChainResult<R> map(Function<? super T, ? extends R> f) {
        return switch (this) {
            case Ok<T> ok -> new Ok<>(f.apply(ok.value()));
            case Failed<T> failed -> new Failed<>(failed.failure());
        };
    }

    /** Chains a further node interaction on a value; passes a failure through. */
    default <R> ChainResult<R> flatMap(Function<? super T, ChainResult<R>> f) {
        return switch (this) {
            case Ok<T> ok -> f.apply(ok.value());
            case Failed<T> failed -> new Failed<>(failed.failure());
        };
    }

    /** The value; for a failure an {@link IllegalStateException} with its description (for tests and tools). */
    default T orElseThrow() {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Failed<T> failed -> throw new IllegalStateException(failed.failure().toString());
        };
    }
}
