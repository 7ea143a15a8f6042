package org.mpcwallet.bank.health.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.mpcwallet.bank.health.app.HealthService;

/**
 * {@code GET /health} (and {@code /health/readiness}): 200 with status UP when the database and the signer answer, or
 * 503 with status DOWN; {@code GET /health/liveness}: 200 while the process serves requests.
 */
@Secured(SecurityRule.IS_ANONYMOUS)
@io.swagger.v3.oas.annotations.tags.Tag(name = "Operations", description = "Health and metrics.")
@Controller("/health")
@ExecuteOn(TaskExecutors.BLOCKING)
class HealthController {

    @Serdeable
    record Component(String status, @io.micronaut.core.annotation.Nullable String mode) {
    }

    @Serdeable
    record HealthResponse(String status, Component database, Component signer) {
    }

    private final HealthService health;

    HealthController(HealthService health) {
        this.health = health;
    }

    @Serdeable
    record Liveness(String status) {
    }

    /** {@code GET /health/liveness}: the process serves requests (restart it when this fails). */
    @Get("/liveness")
    Liveness liveness() {
        return new Liveness("UP");
    }

    /** {@code GET /health/readiness}: the same check as {@code /health} (send traffic only while it is 200). */
    @Get("/readiness")
    HttpResponse<HealthResponse> readiness() {
        return health();
    }

    @Get
    HttpResponse<HealthResponse> health() {
        HealthService.Report r = health.check();
        HealthResponse body = new HealthResponse(r.status().name(), new Component(r.database().name(), null),
                new Component(r.signer().name(), r.signerMode()));
        return HttpResponse.<HealthResponse>status(r.status() == HealthService.Status.UP ? HttpStatus.OK
                : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
