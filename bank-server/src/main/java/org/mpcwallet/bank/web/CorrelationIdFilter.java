package org.mpcwallet.bank.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Accepts a well-formed {@code X-Correlation-ID} from the caller, generates one (a random UUID) when it is absent or
 * malformed, and echoes it on every response, errors included.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class CorrelationIdFilter {
    public static final String HEADER = "X-Correlation-ID";
    public static final String ATTRIBUTE = "bank.correlationId";
    /** Printable token characters only, so the echoed header can carry no injection. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    @RequestFilter
    public void onRequest(HttpRequest<?> request) {
        request.setAttribute(ATTRIBUTE, correlationId(request));
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.getHeaders().set(HEADER, correlationId(request));
    }

    /** The request's correlation id (assigning one if the filter has not run yet). */
    public static String correlationId(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class).orElseGet(() -> {
            String given = request.getHeaders().get(HEADER);
            String id = given != null && VALID.matcher(given).matches() ? given : UUID.randomUUID().toString();
            request.setAttribute(ATTRIBUTE, id);
            return id;
        });
    }
}
