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

/** {@code GET /health}: 200 with status UP, or 503 with status DOWN. */
@Secured(SecurityRule.IS_ANONYMOUS)
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

    @Get
    HttpResponse<HealthResponse> health() {
        HealthService.Report r = health.check();
        HealthResponse body = new HealthResponse(r.status().name(), new Component(r.database().name(), null),
                new Component(r.signer().name(), r.signerMode()));
        return HttpResponse.<HealthResponse>status(r.status() == HealthService.Status.UP ? HttpStatus.OK
                : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
