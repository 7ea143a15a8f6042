package org.mpcwallet.bank.metrics.app;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.reactivestreams.Publisher;

/**
 * Authenticates the metrics scraper on {@code /prometheus} only: {@code Authorization: Bearer <scrape token>} equal
 * to {@code bank.metrics.scrape-token} (at least 32 characters; unset: no scraper, only ADMIN and OPERATOR tokens)
 * gives the role METRICS and nothing else.
 */
@Singleton
class ScrapeTokenAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {
    static final String PATH = "/prometheus";
    private final byte[] token;

    ScrapeTokenAuthenticationFetcher(@Value("${bank.metrics.scrape-token:}") String token) {
        this.token = token == null || token.length() < 32 ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int getOrder() {
        return -90;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        if (token == null || !PATH.equals(request.getPath())) {
            return Publishers.empty();
        }
        String h = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Publishers.empty();
        }
        byte[] given = h.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token)
                ? Publishers.just(Authentication.build("metrics-scraper", List.of("METRICS")))
                : Publishers.empty();
    }
}
