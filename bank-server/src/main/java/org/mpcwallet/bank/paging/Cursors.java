package org.mpcwallet.bank.paging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;

/**
 * Opaque page cursors: the sort key of the last row of a page (e.g. its creation time and id), tagged with the list
 * it belongs to, base64url. Keyset pagination on a unique, immutable key: a row inserted meanwhile sorts before or
 * after the cursor, so no row is skipped or repeated. Not a secret and not signed: a forged cursor only moves within
 * what the caller may read anyway.
 */
public final class Cursors {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final String SEP = "\u001f";

    private Cursors() {
    }

    public static String encode(String list, String... key) {
        String plain = list + SEP + String.join(SEP, key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The key parts of {@code cursor} for {@code list}; null for no cursor; 400 for a cursor of anything else. */
    public static List<String> decode(String list, String cursor, int parts) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] p = plain.split(SEP, -1);
            if (p.length == parts + 1 && p[0].equals(list)) {
                return List.of(p).subList(1, p.length);
            }
        } catch (IllegalArgumentException e) {
            // not base64url: refused below
        }
        throw refused();
    }

    /** The sort key of a list ordered by creation time: the time and the row id (unique, never changed). */
    public record TimeKey(java.time.Instant at, java.util.UUID id) {
    }

    public static String timeCursor(String list, java.time.Instant at, java.util.UUID id) {
        return encode(list, at.toString(), id.toString());
    }

    /** The key in a cursor of {@link #timeCursor}; null for none; 400 for anything else. */
    public static TimeKey timeKey(String list, String cursor) {
        List<String> p = decode(list, cursor, 2);
        if (p == null) {
            return null;
        }
        try {
            return new TimeKey(java.time.Instant.parse(p.get(0)), java.util.UUID.fromString(p.get(1)));
        } catch (RuntimeException e) {
            throw refused();
        }
    }

    public static String seqCursor(String list, long seq) {
        return encode(list, Long.toString(seq));
    }

    /** The sequence number in a cursor of {@link #seqCursor}; {@code none} when there is no cursor. */
    public static long seqKey(String list, String cursor, long none) {
        List<String> p = decode(list, cursor, 1);
        if (p == null) {
            return none;
        }
        try {
            return Long.parseLong(p.get(0));
        } catch (NumberFormatException e) {
            throw refused();
        }
    }

    /** An optional ISO-8601 instant query parameter ({@code createdFrom}, {@code createdTo}); 400 when malformed. */
    public static java.time.Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new WalletException(Kind.INVALID_REQUEST, name + " must be an ISO-8601 instant like "
                    + "2026-12-07T00:00:00Z");
        }
    }

    private static WalletException refused() {
        return new WalletException(Kind.INVALID_REQUEST, "cursor is not one this list returned (use next_cursor as "
                + "given)");
    }

    /** The page size asked for: {@link #DEFAULT_LIMIT} when absent, 1 to {@link #MAX_LIMIT}. */
    public static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new WalletException(Kind.INVALID_REQUEST, "limit must be 1 to " + MAX_LIMIT);
        }
        return limit;
    }
}
