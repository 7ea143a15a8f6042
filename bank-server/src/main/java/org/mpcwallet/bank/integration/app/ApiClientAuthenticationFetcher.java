package org.mpcwallet.bank.integration.app;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import java.util.Map;
import org.mpcwallet.bank.auth.app.AuthService;
import org.reactivestreams.Publisher;

/**
 * The authentication of a request whose signature {@link SignedRequestFilter} verified: the client's user row
 * ({@code api.<name>}), its current bank roles, and the claims the rest of the bank reads ({@code uid},
 * {@code ver}). Ordered first, so the bank's own JWT fetcher never has to make sense of an EdDSA token.
 */
@Singleton
class ApiClientAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    @Override
    public int getOrder() {
        return -100;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        return request.getAttribute(SignedRequestFilter.ATTRIBUTE, ApiClients.Verified.class)
                .map(v -> Publishers.just(Authentication.build(v.username(), v.roles(), Map.of(
                        AuthService.CLAIM_USER_ID, v.userId().toString(), AuthService.CLAIM_VERSION,
                        v.authVersion(), "clientId", v.clientId().toString()))))
                .orElseGet(Publishers::empty);
    }
}
