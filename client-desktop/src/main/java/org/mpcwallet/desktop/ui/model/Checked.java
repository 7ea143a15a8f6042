package org.mpcwallet.desktop.ui.model;

/**
 * What the window made of one field as typed: the value, or the sentence shown next to the field. Built by
 * {@link Inputs}; a view never parses a field itself.
 */
public sealed interface Checked<T> permits Checked.Ok, Checked.Invalid {
    /** The field holds {@code value}; {@code note} is a hint shown under the field (null when there is none). */
    record Ok<T>(T value, String note) implements Checked<T> {
    }

    /** The field cannot be used; {@code message} says why and what to type instead. */
    record Invalid<T>(String message) implements Checked<T> {
    }

    static <T> Checked<T> ok(T value) {
        return new Ok<>(value, null);
    }

    static <T> Checked<T> invalid(String message) {
        return new Invalid<>(message);
    }

    /** The value, or null when the field is invalid. */
    default T valueOrNull() {
        return this instanceof Ok<T> ok ? ok.value() : null;
    }

    /** The sentence shown next to the field, or null when the field is valid. */
    default String problem() {
        return this instanceof Invalid<T> bad ? bad.message() : null;
    }
}
