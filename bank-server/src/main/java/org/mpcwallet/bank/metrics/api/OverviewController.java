package org.mpcwallet.bank.metrics.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;
import org.mpcwallet.bank.metrics.app.Overview;

/** {@code GET /v1/admin/overview}: the figures the console's overview shows (docs/admin-console.md "Overview"). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Administration", description = "Staff, roles and four-eyes changes.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/admin/overview")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class OverviewController {

    /**
     * Transfers per state (all states that have any), the longest wait in each unfinished state in seconds,
     * transfers waiting for approval, open KYT cases, open key incidents, the chain listener's lag in blocks and the
     * webhook deliveries pending, the webhook endpoints disabled for failing (an ADMIN re-enables them);
     * {@code listenerLagBlocks} -1 without a node.
     */
    @Serdeable
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    record OverviewResponse(Map<String, Long> transfersPerState, Map<String, Double> oldestSecondsPerState,
                            long approvalsPending, long openCases, long openIncidents, long listenerLagBlocks,
                            long webhookBacklog, long webhookEndpointsDisabled) {
    }

    private final Overview overview;

    OverviewController(Overview overview) {
        this.overview = overview;
    }

    @Get
    OverviewResponse get(Authentication auth) {
        Overview.Figures f = call(() -> overview.figures(caller(auth)));
        return new OverviewResponse(f.transfersPerState(), f.oldestSecondsPerState(), f.approvalsPending(),
                f.openCases(), f.openIncidents(), f.listenerLagBlocks(), f.webhookBacklog(),
                f.webhookEndpointsDisabled());
    }
}
