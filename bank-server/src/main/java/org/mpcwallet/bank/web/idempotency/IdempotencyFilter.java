package org.mpcwallet.bank.web.idempotency;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mpcwallet.bank.auth.app.JwtSecret;
import org.mpcwallet.bank.web.CorrelationIdFilter;
import org.mpcwallet.bank.web.Problem;
import org.mpcwallet.bank.web.idempotency.persistence.IdempotencyRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} on POST requests (docs/bank-server.md, "Idempotency-Key"). Runs after the security filter,
 * so keys are scoped per authenticated principal ({@code anonymous} on public endpoints) and per method and path.
 * The first request claims the key; a later one with the same body replays the stored response
 * ({@code Idempotent-Replayed: true}), with a different body answers 422, while the first is still running 409.
 * Login and refresh are excluded: their responses carry bearer and refresh tokens, which must not be stored at rest.
 * All database work runs on the blocking executor.
 */
@ServerFilter(value = ServerFilter.MATCH_ALL_PATTERN, methods = HttpMethod.POST)
public final class IdempotencyFilter implements Ordered {
    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    /** Paths whose responses carry secrets (tokens): the header is ignored there and nothing is stored. */
    public static final Set<String> EXCLUDED_PATHS = Set.of("/v1/auth/login", "/v1/auth/refresh",
            "/v1/auth/passkey", "/v1/auth/passkey/enroll", "/v1/auth/step-up", "/v1/auth/step-up/options",
            "/v1/admin/users"); // the last answers a staff invitation's one-time code
    /** 1-128 visible ASCII characters (0x21-0x7E). */
    private static final Pattern VALID = Pattern.compile("[!-~]{1,128}");
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final IdempotencyRepository store;
    private final JsonMapper json;
    /** HMAC key for request fingerprints, derived from the server secret (never the secret itself). */
    private final SecretKeySpec fingerprintKey;

    IdempotencyFilter(IdempotencyRepository store, JsonMapper json, JwtSecret secret) {
        this.store = store;
        this.json = json;
        this.fingerprintKey = new SecretKeySpec(hmac(new SecretKeySpec(
                secret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                "mpc-wallet/idempotency/request-fingerprint/v1".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> filter(HttpRequest<?> request, @Nullable @Body byte[] body,
                                  FilterContinuation<HttpResponse<?>> continuation) {
        List<String> keys = request.getHeaders().getAll(HEADER);
        if (keys.isEmpty() || EXCLUDED_PATHS.contains(request.getPath())) {
            return CorrelationIdFilter.withCorrelationId(request, continuation::proceed);
        }
        String key = keys.get(0);
        if (keys.size() != 1 || key == null || !VALID.matcher(key).matches()) {
            return problem(request, HttpStatus.BAD_REQUEST,
                    "Idempotency-Key must be one header of 1-128 visible ASCII characters.");
        }
        byte[] scope = scopeHash(request);
        byte[] requestHash = fingerprint(body == null ? new byte[0] : body);
        IdempotencyRepository.Claim claim = store.claim(scope, key, requestHash);
        switch (claim) {
            case IdempotencyRepository.Claim.InProgress p -> {
                return problem(request, HttpStatus.CONFLICT, "A request with this Idempotency-Key is in progress.");
            }
            case IdempotencyRepository.Claim.Mismatch m -> {
                return problem(request, HttpStatus.UNPROCESSABLE_ENTITY,
                        "This Idempotency-Key was used with a different request body.");
            }
            case IdempotencyRepository.Claim.Replay r -> {
                MutableHttpResponse<byte[]> replay = HttpResponse.<byte[]>status(HttpStatus.valueOf(r.status()))
                        .body(r.body());
                if (r.contentType() != null) {
                    replay.contentType(r.contentType());
                }
                replay.header(REPLAYED_HEADER, "true");
                return replay;
            }
            case IdempotencyRepository.Claim.Claimed c -> {
                return execute(request, continuation, scope, key);
            }
        }
    }

    private HttpResponse<?> execute(HttpRequest<?> request, FilterContinuation<HttpResponse<?>> continuation,
                                    byte[] scope, String key) {
        HttpResponse<?> response;
        try {
            response = CorrelationIdFilter.withCorrelationId(request, continuation::proceed);
        } catch (RuntimeException | Error e) {
            release(scope, key);
            throw e;
        }
        if (response.code() >= 500) {
            release(scope, key); // a server failure is not an answer: let the client retry with the same key
            return response;
        }
        byte[] bytes;
        try {
            Object b = response.getBody().orElse(null);
            bytes = b == null ? new byte[0]
                    : b instanceof byte[] raw ? raw
                    : b instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                    : json.writeValueAsBytes(b);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Idempotency-Key: response of {} {} not storable ({}); key released",
                    request.getMethodName(), request.getPath(), e.getClass().getSimpleName());
            release(scope, key);
            return response;
        }
        String contentType = response.getContentType().map(MediaType::toString)
                .orElse(bytes.length == 0 ? null : MediaType.APPLICATION_JSON);
        store.complete(scope, key, response.code(), contentType, bytes);
        MutableHttpResponse<?> mutable = response.toMutableResponse();
        if (!(response.getBody().orElse(null) instanceof byte[]) && bytes.length > 0) {
            // send exactly the bytes stored, so the first answer and every replay are identical
            mutable.body(bytes);
            mutable.contentType(contentType);
            mutable.getHeaders().remove(HttpHeaders.CONTENT_LENGTH);
        }
        return mutable;
    }

    private void release(byte[] scope, String key) {
        try {
            store.release(scope, key);
        } catch (RuntimeException e) {
            LOG.warn("Idempotency-Key: releasing a key failed ({})", e.getMessage());
        }
    }

    /** SHA-256 of the principal (or {@code anonymous}), the method and the path: keys never collide across them. */
    static byte[] scopeHash(HttpRequest<?> request) {
        String principal = request.getUserPrincipal().map(Principal::getName).map(n -> "user:" + n)
                .orElse("anonymous");
        String scope = "v1\n" + principal + "\n" + request.getMethodName() + " " + request.getPath();
        return sha256(scope.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * HMAC-SHA-256 of the request body under a server-held key. A plain SHA-256 of a register body would let anyone
     * reading the table test password guesses offline; the keyed hash does not.
     */
    byte[] fingerprint(byte[] body) {
        return hmac(fingerprintKey, body);
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> problem(HttpRequest<?> request, HttpStatus status, String detail) {
        Problem problem = new Problem("about:blank", status.getReason(), status.getCode(), detail, request.getPath(),
                CorrelationIdFilter.correlationId(request));
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(problem);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return HttpResponse.<byte[]>status(status).contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE).body(bytes);
    }
}
