package org.mpcwallet.bank.value;

import java.util.function.Function;

/**
 * A value read at the edge of the bank (a request's field), or why it was refused: a failure as a value
 * (docs/redesign.md step 6). The reason names the field and the rule, in words an integrator or a customer reads.
 */
public sealed interface Parsed<T> {

    /** The value as read. */
    record Ok<T>(T value) implements Parsed<T> {
    }

    /** Why the text was refused: the field and the rule it breaks. */
    record Refused<T>(String reason) implements Parsed<T> {
    }

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> refused(String reason) {
        return new Refused<>(reason);
    }

    /** The value, or the exception {@code refusal} makes of the reason (the caller's 400). */
    default <X extends RuntimeException> T orElseThrow(Function<String, X> refusal) {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Refused<T> r -> throw refusal.apply(r.reason());
        };
    }
}
