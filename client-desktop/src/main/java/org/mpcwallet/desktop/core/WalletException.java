package org.mpcwallet.desktop.core;

/**
 * A failure of a wallet operation, with a message meant for the user. Messages never contain a password, a share, a
 * token or protocol message bytes. Subclasses carry the structured cause ({@link BankApiException},
 * {@link MpcException}).
 */
public class WalletException extends RuntimeException {
    public WalletException(String message) {
        super(message);
    }

    public WalletException(String message, Throwable cause) {
        super(message, cause);
    }
}
