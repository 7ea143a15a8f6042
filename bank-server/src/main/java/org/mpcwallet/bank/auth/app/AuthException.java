package org.mpcwallet.bank.auth.app;

/** An authentication request refused; {@code getMessage()} is safe to show to the caller. */
public final class AuthException extends RuntimeException {
    /** How the API answers. */
    public enum Kind { INVALID_REQUEST, CONFLICT, UNAUTHORIZED }

    /** The one message for every failed login or refresh: it does not tell which part was wrong. */
    public static final String INVALID_CREDENTIALS = "Invalid username or password";
    public static final String INVALID_REFRESH = "Invalid or expired refresh token";

    private final Kind kind;

    public AuthException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
