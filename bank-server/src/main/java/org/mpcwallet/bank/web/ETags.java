package org.mpcwallet.bank.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Conditional GET for answers a client polls (the console's approvals queue, every second): the {@code ETag} is the
 * SHA-256 of the answer's JSON, so it changes exactly when the answer does; a request whose {@code If-None-Match}
 * names it gets {@code 304 Not Modified} without a body. The answer is still computed (the rows are read): what a
 * 304 saves is the transfer and the client's rendering. Nothing is stored by a cache ({@code private, no-store}):
 * the client keeps the last answer itself, with its tag.
 */
public final class ETags {
    private ETags() {
    }

    /** {@code body} with its {@code ETag}, or 304 when the request already has it. */
    public static <T> MutableHttpResponse<T> conditional(HttpRequest<?> request, T body, JsonMapper json) {
        String tag = tag(body, json);
        String asked = request.getHeaders().get(HttpHeaders.IF_NONE_MATCH);
        if (asked != null && matches(asked, tag)) {
            MutableHttpResponse<T> notModified = HttpResponse.notModified();
            return notModified.header(HttpHeaders.ETAG, tag).header(HttpHeaders.CACHE_CONTROL, "private, no-store");
        }
        return HttpResponse.ok(body).header(HttpHeaders.ETAG, tag).header(HttpHeaders.CACHE_CONTROL, "private, no-store");
    }

    static String tag(Object body, JsonMapper json) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 9110 §13.1.2: a list of tags or {@code *}; weak comparison (a {@code W/} prefix is ignored). */
    static boolean matches(String ifNoneMatch, String tag) {
        for (String part : ifNoneMatch.split(",")) {
            String t = part.trim();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(tag)) {
                return true;
            }
        }
        return false;
    }
}
