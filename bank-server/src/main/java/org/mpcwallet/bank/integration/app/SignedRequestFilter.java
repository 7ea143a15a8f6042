package org.mpcwallet.bank.integration.app;

import io.micronaut.core.order.Ordered;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.filter.FilterContinuation;
import org.reactivestreams.Publisher;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.mpcwallet.bank.limits.RateLimited;
import org.mpcwallet.bank.limits.RequestRateConfig;
import org.mpcwallet.bank.limits.TokenBuckets;
import org.mpcwallet.bank.web.ClientAddress;
import org.mpcwallet.bank.web.RateLimitedHandler;
import org.mpcwallet.bank.web.CorrelationIdFilter;
import org.mpcwallet.bank.web.Problem;

/**
 * Verifies API clients' signed requests (docs/integration.md "Signed requests") before the security filter: a
 * bearer token with header {@code alg} EdDSA is read ({@link SignedRequest}), the raw body buffered and hashed, and
 * {@link ApiClients#authenticate} decides on the blocking executor (other requests stay on the event loop). A refusal is answered here, 401 problem+json
 * naming the failed check; a pass leaves the client on the request for {@link ApiClientAuthenticationFetcher}. Other
 * tokens (the bank's own HS256 JWTs) pass through untouched.
 */
@ServerFilter("/v1/**")
final class SignedRequestFilter implements Ordered {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SignedRequestFilter.class);
    static final String ATTRIBUTE = "bank.apiClient";
    /** The largest body a signed request may carry (the API's own limits are lower). */
    static final int MAX_BODY = 1_048_576;

    private final ApiClients clients;
    private final JsonMapper json;
    private final ExecutorService blocking;
    /** Refused signed requests per client address: counted after a refusal, checked before any work. */
    private final TokenBuckets refusals;

    SignedRequestFilter(ApiClients clients, JsonMapper json, @Named(TaskExecutors.BLOCKING) ExecutorService blocking,
                        RequestRateConfig rates) {
        this.clients = clients;
        this.json = json;
        this.blocking = blocking;
        this.refusals = new TokenBuckets(rates.refusedSignedPerAddressPerMinute() / 60.0,
                rates.refusedSignedPerAddressBurst());
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @RequestFilter
    Publisher<MutableHttpResponse<?>> verify(ServerHttpRequest<?> request,
                                             FilterContinuation<Publisher<MutableHttpResponse<?>>> chain) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return chain.proceed(); // on the event loop, no hop: most requests (and every WebSocket upgrade)
        }
        SignedRequest.Parsed parsed = SignedRequest.parse(header.substring(7).strip(), this::object);
        if (!parsed.ours()) {
            return chain.proceed();
        }
        String address = ClientAddress.of(request);
        java.time.Duration wait = refusals.waitFor(address, System.nanoTime());
        if (!wait.isZero()) {
            return Publishers.just(tooMany(request, wait));
        }
        if (parsed.refusal() != null) {
            refusals.take(address, System.nanoTime());
            clients.malformed();
            return Publishers.just(refused(request, parsed.refusal()));
        }
        String target = request.getUri().getRawPath()
                + (request.getUri().getRawQuery() == null ? "" : "?" + request.getUri().getRawQuery());
        CompletableFuture<MutableHttpResponse<?>> decided;
        if (request.getContentLength() > MAX_BODY) {
            // refused on what it declares, before a byte of it is read
            decided = CompletableFuture.supplyAsync(() -> tooLarge(request, parsed, address), blocking);
        } else {
            // the copy read here drives the upstream (NEW): with the default (the slowest of both) a body larger than
            // what arrives at once would wait for the request's own reader, which comes only after this decision
            decided = request.byteBody().split(io.micronaut.http.body.ByteBody.SplitBackpressureMode.NEW).buffer()
                    .handleAsync((body, unread) -> {
                        if (unread != null) {
                            return unreadable(request, parsed, address, unread);
                        }
                        byte[] bytes;
                        try (CloseableAvailableByteBody b = body) {
                            if (b.length() > MAX_BODY) {
                                return tooLarge(request, parsed, address);
                            }
                            bytes = b.toByteArray();
                        }
                        ApiClients.Decision d = clients.authenticate(parsed.token(), request.getMethodName(),
                                target, bytes, address);
                        if (d.refusal() != null) {
                            refusals.take(address, System.nanoTime());
                            return refused(request, d.refusal());
                        }
                        request.setAttribute(ATTRIBUTE, d.verified());
                        return null;
                    }, blocking);
        }
        // the decision, then either the refusal or the rest of the chain (a Publisher that waits for the decision)
        return subscriber -> decided.whenComplete((refusal, failure) -> {
            if (failure != null) {
                // the bank could not decide (its database): not the client's fault, not a 401
                LOG.error("a signed request could not be checked ({} {})", request.getMethodName(),
                        request.getPath(), failure);
            }
            Publisher<MutableHttpResponse<?>> next = failure != null ? Publishers.just(unavailable(request))
                    : refusal != null ? Publishers.just(refusal) : chain.proceed();
            next.subscribe(subscriber);
        });
    }

    /** A body over {@link #MAX_BODY}: refused, charged to the address, audited (as the other refusals). */
    private MutableHttpResponse<?> tooLarge(HttpRequest<?> request, SignedRequest.Parsed parsed, String address) {
        refusals.take(address, System.nanoTime());
        return refused(request, clients.refuseUnchecked(parsed.token(), SignedRequest.Refusal.BODY_TOO_LARGE,
                address).refusal());
    }

    /**
     * The body could not be read: over the server's request size while it streamed in (refused as too large), or
     * the client broke it off or sent it malformed (400). Either is the client's doing: charged, logged without
     * a stack.
     */
    private MutableHttpResponse<?> unreadable(HttpRequest<?> request, SignedRequest.Parsed parsed, String address,
                                              Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof io.micronaut.http.exceptions.ContentLengthExceededException
                || cause instanceof io.micronaut.http.exceptions.BufferLengthExceededException) {
            return tooLarge(request, parsed, address);
        }
        refusals.take(address, System.nanoTime());
        LOG.warn("a signed request's body could not be read ({} {}): {}", request.getMethodName(), request.getPath(),
                cause.getClass().getSimpleName());
        Problem p = new Problem("about:blank", "Bad Request", 400, "The request's body could not be read.",
                request.getPath(), CorrelationIdFilter.correlationId(request));
        return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE)
                .body(p);
    }

    private MutableHttpResponse<?> refused(HttpRequest<?> request, SignedRequest.Refusal why) {
        Problem p = new Problem("https://mpc-wallet.example/problems/signed-request/" + why.reason(),
                "Unauthorized", 401, "Signed request refused: " + why.detail() + ".", request.getPath(),
                CorrelationIdFilter.correlationId(request));
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").body(p);
    }

    private static MutableHttpResponse<?> unavailable(HttpRequest<?> request) {
        Problem p = new Problem("about:blank", "Service Unavailable", 503, "The bank could not check this signed "
                + "request now; send it again (with a new jti).", request.getPath(),
                CorrelationIdFilter.correlationId(request));
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(
                MediaType.APPLICATION_JSON_PROBLEM_TYPE).body(p);
    }

    private static MutableHttpResponse<?> tooMany(HttpRequest<?> request, java.time.Duration wait) {
        return RateLimitedHandler.response(request, RateLimited.tooMany("Too many refused signed requests from this "
                + "address; try again in " + Math.max(1, (wait.toMillis() + 999) / 1000) + " s.", wait));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(byte[] utf8) {
        try {
            Object o = json.readValue(utf8, Argument.OBJECT_ARGUMENT);
            return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
