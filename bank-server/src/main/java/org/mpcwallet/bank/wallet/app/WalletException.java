package org.mpcwallet.bank.wallet.app;

/** A refused wallet request; {@link Kind} maps to the HTTP status, the message is safe to show the caller. */
public final class WalletException extends RuntimeException {
    public enum Kind { INVALID_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT }

    private final Kind kind;

    public WalletException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
