package org.mpcwallet.bank.auth.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.web.router.RouteAttributes;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.auth.app.AuthService;
import org.mpcwallet.bank.auth.app.PasskeyConfig;
import org.mpcwallet.bank.auth.app.Passkeys;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.web.CorrelationIdFilter;
import org.mpcwallet.bank.web.Problem;
import org.mpcwallet.bank.web.RequiresStepUp;

/**
 * The step-up check (docs/admin-console.md "Step-up"): a route marked {@link RequiresStepUp}, called by a signed-in
 * user who needs the second factor (any role but CUSTOMER) while it is required, must carry header {@code Step-Up}
 * with an unspent step-up token of that user; it is spent for this action. Otherwise 403 problem+json of type
 * {@link #PROBLEM_TYPE}, saying what to do. Runs after authentication and after the Idempotency-Key filter, so a
 * replayed answer does not ask for a second step-up. API clients (signed requests) are machines: not asked. Only on
 * the methods that change something: a GET (the MPC channel's WebSocket upgrade among them) never leaves the event
 * loop for it.
 */
@ServerFilter(value = "/v1/**", methods = {HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH})
final class StepUpFilter implements Ordered {
    public static final String HEADER = "Step-Up";
    public static final String PROBLEM_TYPE = "https://mpc-bank.example/problems/step-up-required";

    private final Passkeys passkeys;
    private final PasskeyConfig config;

    StepUpFilter(Passkeys passkeys, PasskeyConfig config) {
        this.passkeys = passkeys;
        this.config = config;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after() + 1;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        Optional<String> action = RouteAttributes.getRouteInfo(request)
                .flatMap(r -> r.getAnnotationMetadata().stringValue(RequiresStepUp.class));
        if (action.isEmpty() || !config.required()) {
            return null;
        }
        Authentication auth = request.getUserPrincipal(Authentication.class).orElse(null);
        if (auth == null || auth.getAttributes().containsKey("clientId")
                || !Role.needsSecondFactor(Role.known(auth.getRoles()))) {
            return null;
        }
        UUID userId;
        try {
            userId = UUID.fromString(String.valueOf(auth.getAttributes().get(AuthService.CLAIM_USER_ID)));
        } catch (IllegalArgumentException e) {
            return null; // not a user session; the route's own rules decide
        }
        Optional<String> refused = passkeys.spendStepUp(userId, "user:" + auth.getName(),
                request.getHeaders().get(HEADER), action.get(), CorrelationIdFilter.correlationId(request));
        if (refused.isEmpty()) {
            return null;
        }
        String detail = switch (refused.get()) {
            case "missing" -> "This action needs a fresh confirmation with your passkey: get a step-up token "
                    + "(POST /v1/auth/step-up) and send it in the Step-Up header.";
            case "used" -> "This step-up token was already used for another action; confirm with your passkey again.";
            case "expired" -> "This step-up token has expired (they last two minutes); confirm with your passkey "
                    + "again.";
            default -> "This step-up token is not valid for you; confirm with your passkey again.";
        };
        return HttpResponse.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE)
                .body(new Problem(PROBLEM_TYPE, "Step-up required", 403, detail, request.getPath(),
                        CorrelationIdFilter.correlationId(request)));
    }
}
