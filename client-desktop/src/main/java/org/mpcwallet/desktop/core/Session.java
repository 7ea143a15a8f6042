package org.mpcwallet.desktop.core;

/**
 * A logged-in session: the bank's URL, the username and the current token pair. {@link #toString()} never shows the
 * tokens.
 */
public record Session(String server, String username, String accessToken, String refreshToken) {
    public Session {
        if (server == null || username == null || accessToken == null || refreshToken == null) {
            throw new IllegalArgumentException("a session needs server, username and both tokens");
        }
    }

    public Session withTokens(String access, String refresh) {
        return new Session(server, username, access, refresh);
    }

    @Override
    public String toString() {
        return "Session[" + username + " @ " + server + ", tokens redacted]";
    }
}
