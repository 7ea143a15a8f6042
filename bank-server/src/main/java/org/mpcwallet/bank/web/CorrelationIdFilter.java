package org.mpcwallet.bank.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a well-formed {@code X-Correlation-ID} from the caller, generates one (a random UUID) when it is absent or
 * malformed, and echoes it on every response, errors included. While the request is handled, on whatever thread,
 * the id is in the logging MDC as {@code correlationId}, so every log line of the request carries it (a field of
 * its own with {@code BANK_LOG_FORMAT=JSON}; docs/operations.md "Logs"). With {@code bank.web.access-log} (
 * {@code BANK_ACCESS_LOG=true}) each answer is logged: method, path (without the query), status and time.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class CorrelationIdFilter {
    public static final String HEADER = "X-Correlation-ID";
    public static final String ATTRIBUTE = "bank.correlationId";
    /** The MDC key (and the JSON log field under {@code mdc}). */
    public static final String MDC_KEY = "correlationId";
    private static final String STARTED = "bank.startedNanos";
    private static final Logger ACCESS = LoggerFactory.getLogger("bank.access");
    /** Printable token characters only, so the echoed header can carry no injection. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private final boolean accessLog;

    public CorrelationIdFilter(@Value("${bank.web.access-log:false}") boolean accessLog) {
        this.accessLog = accessLog;
    }

    @RequestFilter
    public void onRequest(HttpRequest<?> request, MutablePropagatedContext context) {
        request.setAttribute(STARTED, System.nanoTime());
        context.add(new MdcPropagationContext(Map.of(MDC_KEY, correlationId(request))));
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.getHeaders().set(HEADER, correlationId(request));
        if (accessLog) {
            long started = request.getAttribute(STARTED, Long.class).orElse(System.nanoTime());
            String previous = org.slf4j.MDC.get(MDC_KEY);
            org.slf4j.MDC.put(MDC_KEY, correlationId(request)); // whatever thread the answer is on
            try {
                ACCESS.info("{} {} {} {} ms", request.getMethodName(), request.getPath(), response.code(),
                        (System.nanoTime() - started) / 1_000_000);
            } finally {
                if (previous == null) {
                    org.slf4j.MDC.remove(MDC_KEY);
                } else {
                    org.slf4j.MDC.put(MDC_KEY, previous);
                }
            }
        }
    }

    /**
     * Runs {@code work} (the rest of the filter chain, from a filter that moved to another thread) with the request's
     * correlation id in the propagated context and the MDC, so the lines logged downstream carry it.
     */
    public static <T> T withCorrelationId(HttpRequest<?> request, java.util.function.Supplier<T> work) {
        try (io.micronaut.core.propagation.PropagatedContext.Scope ignored = io.micronaut.core.propagation
                .PropagatedContext.getOrEmpty().plus(new MdcPropagationContext(Map.of(MDC_KEY,
                        correlationId(request)))).propagate()) {
            return work.get();
        }
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
