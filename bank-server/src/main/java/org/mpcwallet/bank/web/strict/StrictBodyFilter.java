package org.mpcwallet.bank.web.strict;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteInfo;
import java.io.IOException;
import java.util.Optional;
import org.mpcwallet.bank.web.CorrelationIdFilter;
import org.mpcwallet.bank.web.Problem;

/**
 * One strict parsing layer for every JSON request body of the API (docs/controls-hardening.md §5): before the
 * controller binds the body, it must be valid JSON without duplicate keys and fit its type exactly
 * ({@link BodyShape}); otherwise 400 problem+json naming the field and the rule. Runs after authentication, so an
 * anonymous caller learns nothing about protected endpoints' bodies.
 */
@ServerFilter("/v1/**")
final class StrictBodyFilter implements io.micronaut.core.order.Ordered {
    private final JsonMapper json;

    StrictBodyFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request, @Nullable @Body String body) {
        Optional<RouteInfo<?>> route = RouteAttributes.getRouteInfo(request);
        Optional<Argument<?>> type = route.flatMap(r -> r.getBodyArgument());
        if (type.isEmpty() || body == null || body.isEmpty()) {
            return null;
        }
        JsonNode tree;
        try {
            tree = json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            String detail = e.getMessage() != null && e.getMessage().contains("Duplicate field")
                    ? "the body names a field twice" : "The request body is not valid JSON.";
            return refuse(request, detail);
        }
        return BodyShape.check(tree, type.get()).map(v -> refuse(request, v.detail())).orElse(null);
    }

    private static HttpResponse<?> refuse(HttpRequest<?> request, String detail) {
        return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE)
                .body(new Problem("about:blank", "Bad Request", 400, detail, request.getPath(),
                        CorrelationIdFilter.correlationId(request)));
    }
}
