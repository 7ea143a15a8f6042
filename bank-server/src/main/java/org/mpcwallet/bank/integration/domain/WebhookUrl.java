package org.mpcwallet.bank.integration.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The URLs a webhook may go to (docs/integration.md "Subscriptions"): {@code https://} anywhere, or {@code http://} to
 * a loopback address (a receiver on the bank's own host); no user info (credentials in a URL end up in logs), no
 * fragment, at most 2000 characters. Pure: names are not resolved here.
 */
public final class WebhookUrl {
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    private WebhookUrl() {
    }

    /** Why {@code url} is refused, or empty when it is fine. */
    public static Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("url is required");
        }
        if (url.length() > 2000) {
            return Optional.of("url must be at most 2000 characters");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("url is not a valid URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute() || u.getHost() == null || u.getHost().isEmpty()) {
            return Optional.of("url must be absolute with a host, e.g. https://hooks.example.com/mpc");
        }
        if (u.getRawUserInfo() != null) {
            return Optional.of("url must not carry a user name or password");
        }
        if (u.getRawFragment() != null) {
            return Optional.of("url must not have a fragment");
        }
        if (scheme.equals("https")) {
            return Optional.empty();
        }
        if (scheme.equals("http")) {
            return loopback(u.getHost()) ? Optional.empty()
                    : Optional.of("url must use https (plain http only to a loopback address)");
        }
        return Optional.of("url must use https");
    }

    /**
     * {@code url} as logs and the audit chain keep it: the query's values replaced by {@code …} (receivers often take
     * a token there, and the audit chain is exported), and a part without a name too; names kept so an operator still
     * sees which parameters there were. A URL that does not parse is "(not a URL)". A token in the path (some
     * receivers put one there) is not recognised and stays.
     */
    public static String forLog(String url) {
        if (url == null) {
            return null;
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return "(not a URL)";
        }
        String query = u.getRawQuery();
        if (query == null) {
            return url;
        }
        StringBuilder kept = new StringBuilder();
        for (String part : query.split("&", -1)) {
            int eq = part.indexOf('=');
            kept.append(kept.isEmpty() ? "" : "&").append(eq < 0 ? "…" : part.substring(0, eq) + "=…");
        }
        int q = url.indexOf('?');
        return url.substring(0, q + 1) + kept;
    }

    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || LOOPBACK_V4.matcher(h).matches();
    }
}
