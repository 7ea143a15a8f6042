package org.mpcwallet.desktop.testing;

/** Helpers for the bank's JWT access tokens in tests. */
public final class Jwts {
    private Jwts() {}

    /**
     * The same JWT with one character of its signature changed: the bank answers 401 to it, as to an expired token,
     * so a test sees the client's refresh-on-401 without waiting for the token's lifetime (at least 60 s).
     */
    public static String spoil(String jwt) {
        int i = jwt.length() - 2;
        char c = jwt.charAt(i);
        return jwt.substring(0, i) + (c == 'A' ? 'B' : 'A') + jwt.substring(i + 1);
    }
}
