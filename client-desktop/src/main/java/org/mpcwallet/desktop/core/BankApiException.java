package org.mpcwallet.desktop.core;

/**
 * The bank answered with an error: the HTTP status and the problem+json {@code title} and {@code detail} (RFC 7807).
 * The message never holds a token or a request body.
 */
public final class BankApiException extends WalletException {
    private final int status;
    private final String title;
    private final String detail;

    public BankApiException(int status, String title, String detail) {
        super(message(status, title, detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    private static String message(int status, String title, String detail) {
        StringBuilder b = new StringBuilder("the bank answered ").append(status);
        if (title != null && !title.isBlank()) {
            b.append(' ').append(title);
        }
        if (detail != null && !detail.isBlank()) {
            b.append(": ").append(detail);
        }
        return b.toString();
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }
}
