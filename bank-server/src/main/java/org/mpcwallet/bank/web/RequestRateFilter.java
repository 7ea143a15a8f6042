package org.mpcwallet.bank.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import java.time.Duration;
import org.mpcwallet.bank.auth.app.AuthService;
import org.mpcwallet.bank.limits.RateLimited;
import org.mpcwallet.bank.limits.RequestRateConfig;
import org.mpcwallet.bank.limits.TokenBuckets;

/**
 * Request rate limits (docs/integration.md "Rate limits"), after the security filter has found the caller: an API
 * client's requests count against the client, a signed-in user's against the user, the rest against the client
 * address. Over the limit: 429 problem+json with {@code Retry-After} (whole seconds). Login and registration keep
 * their own throttles (docs/controls-hardening.md §4) on top of this.
 */
@ServerFilter("/v1/**")
final class RequestRateFilter implements Ordered {
    private final TokenBuckets clients;
    private final TokenBuckets users;
    private final TokenBuckets addresses;

    RequestRateFilter(RequestRateConfig config) {
        this.clients = new TokenBuckets(config.perClientPerSecond(), config.perClientBurst());
        this.users = new TokenBuckets(config.perUserPerSecond(), config.perUserBurst());
        this.addresses = new TokenBuckets(config.perAddressPerSecond(), config.perAddressBurst());
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> limit(HttpRequest<?> request) {
        long now = System.nanoTime();
        Authentication auth = request.getUserPrincipal(Authentication.class).orElse(null);
        Duration wait;
        String who;
        if (auth != null && auth.getAttributes().get("clientId") != null) {
            who = "this API client";
            wait = clients.take(String.valueOf(auth.getAttributes().get("clientId")), now);
        } else if (auth != null && auth.getAttributes().get(AuthService.CLAIM_USER_ID) != null) {
            who = "this user";
            wait = users.take(String.valueOf(auth.getAttributes().get(AuthService.CLAIM_USER_ID)), now);
        } else {
            who = "this address";
            wait = addresses.take(ClientAddress.of(request), now);
        }
        if (wait.isZero()) {
            return null;
        }
        return RateLimitedHandler.response(request, RateLimited.tooMany("Too many requests from " + who
                + "; try again in " + Math.max(1, (wait.toMillis() + 999) / 1000) + " s.", wait));
    }
}
