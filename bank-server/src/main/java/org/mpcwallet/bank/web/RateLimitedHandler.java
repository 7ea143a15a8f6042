package org.mpcwallet.bank.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.mpcwallet.bank.limits.RateLimited;

/** A limit refused the request (docs/controls-hardening.md §4): 429 (or 503) problem+json with {@code Retry-After}. */
@Produces
@Singleton
@Requires(classes = {RateLimited.class, ExceptionHandler.class})
public final class RateLimitedHandler implements ExceptionHandler<RateLimited, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, RateLimited e) {
        return response(request, e);
    }

    /** The answer to {@code e}; also for the filters that refuse before a controller runs. */
    public static MutableHttpResponse<Problem> response(HttpRequest<?> request, RateLimited e) {
        HttpStatus status = e.overloaded() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.TOO_MANY_REQUESTS;
        Problem problem = new Problem("about:blank", status.getReason(), status.getCode(), e.getMessage(),
                request.getPath(), CorrelationIdFilter.correlationId(request));
        return HttpResponse.<Problem>status(status)
                .header("Retry-After", Long.toString(e.retryAfterSeconds()))
                .contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE)
                .body(problem);
    }
}
