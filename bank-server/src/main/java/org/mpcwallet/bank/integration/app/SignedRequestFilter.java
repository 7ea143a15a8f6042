package org.mpcwallet.bank.integration.app;

import io.micronaut.core.annotation.Nullable;
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
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mpcwallet.bank.web.ClientAddress;
import org.mpcwallet.bank.web.CorrelationIdFilter;
import org.mpcwallet.bank.web.Problem;

/**
 * Verifies API clients' signed requests (docs/integration.md "Signed requests") before the security filter: a
 * bearer token with header {@code alg} EdDSA is read ({@link SignedRequest}), the raw body buffered and hashed, and
 * {@link ApiClients#authenticate} decides (the filter runs on the blocking executor). A refusal is answered here, 401 problem+json
 * naming the failed check; a pass leaves the client on the request for {@link ApiClientAuthenticationFetcher}. Other
 * tokens (the bank's own HS256 JWTs) pass through untouched.
 */
@ServerFilter("/v1/**")
final class SignedRequestFilter implements Ordered {
    static final String ATTRIBUTE = "bank.apiClient";
    /** The largest body a signed request may carry (the API's own limits are lower). */
    static final int MAX_BODY = 1_048_576;

    private final ApiClients clients;
    private final JsonMapper json;
    SignedRequestFilter(ApiClients clients, JsonMapper json) {
        this.clients = clients;
        this.json = json;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> verify(ServerHttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        SignedRequest.Parsed parsed = SignedRequest.parse(header.substring(7).strip(), this::object);
        if (!parsed.ours()) {
            return null;
        }
        if (parsed.refusal() != null) {
            return refused(request, parsed.refusal());
        }
        String target = request.getUri().getRawPath()
                + (request.getUri().getRawQuery() == null ? "" : "?" + request.getUri().getRawQuery());
        byte[] bytes;
        try (CloseableAvailableByteBody b = request.byteBody().split().buffer().get(30, TimeUnit.SECONDS)) {
            if (b.length() > MAX_BODY) {
                return refused(request, SignedRequest.Refusal.BODY_MISMATCH);
            }
            bytes = b.toByteArray();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused(request, SignedRequest.Refusal.BODY_MISMATCH);
        } catch (ExecutionException | TimeoutException e) {
            return refused(request, SignedRequest.Refusal.BODY_MISMATCH);
        }
        ApiClients.Decision d = clients.authenticate(parsed.token(), request.getMethodName(), target, bytes,
                ClientAddress.of(request));
        if (d.refusal() != null) {
            return refused(request, d.refusal());
        }
        request.setAttribute(ATTRIBUTE, d.verified());
        return null;
    }

    private HttpResponse<?> refused(HttpRequest<?> request, SignedRequest.Refusal why) {
        Problem p = new Problem("https://mpc-wallet.example/problems/signed-request/" + why.reason(),
                "Unauthorized", 401, "Signed request refused: " + why.detail() + ".", request.getPath(),
                CorrelationIdFilter.correlationId(request));
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").body(p);
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
