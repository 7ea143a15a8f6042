package org.mpcwallet.bank.changes.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.mpcwallet.bank.changes.app.ChangeDecisions;
import org.mpcwallet.bank.web.CorrelationIdFilter;
import org.mpcwallet.bank.web.PageResponse;

/**
 * {@code /v1/admin/changes}: the changes to the controls that wait for a second ADMIN (docs/admin-console.md "Four
 * eyes") — list and read (ADMIN, COMPLIANCE, OPERATOR), approve (another ADMIN than the proposer; the change applies
 * in the same transaction) or reject (another ADMIN, or the proposer withdrawing it). Both with step-up.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Administration", description = "Staff, roles and four-eyes changes.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/admin/changes")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class ChangeController {

    @Serdeable
    record DecisionBody(@Nullable String comment) {
    }

    private final ChangeDecisions decisions;

    ChangeController(ChangeDecisions decisions) {
        this.decisions = decisions;
    }

    /** The changes, oldest first; {@code status} PENDING, APPLIED, REJECTED or FAILED. */
    @Get
    PageResponse<ChangeResponse> list(@Nullable @QueryValue String status, @Nullable @QueryValue String cursor,
                                      @Nullable @QueryValue Integer limit, Authentication auth) {
        return PageResponse.of(call(() -> decisions.list(caller(auth), status, cursor, limit)), ChangeResponse::of);
    }

    @Get("/{id}")
    ChangeResponse get(@PathVariable String id, Authentication auth) {
        return ChangeResponse.of(call(() -> decisions.get(caller(auth), id)));
    }

    /** A second ADMIN approves: the change applies now (409 with the reason if it no longer can; it is closed). */
    @org.mpcwallet.bank.web.RequiresStepUp("change.approve")
    @Post("/{id}/approve")
    ChangeResponse approve(@PathVariable String id, @Body DecisionBody body, Authentication auth,
                           HttpRequest<?> request) {
        return ChangeResponse.of(call(() -> decisions.approve(caller(auth), id, body.comment(),
                CorrelationIdFilter.correlationId(request))));
    }

    /** Another ADMIN rejects, or the proposer withdraws: nothing changes. */
    @org.mpcwallet.bank.web.RequiresStepUp("change.reject")
    @Post("/{id}/reject")
    ChangeResponse reject(@PathVariable String id, @Body DecisionBody body, Authentication auth,
                          HttpRequest<?> request) {
        return ChangeResponse.of(call(() -> decisions.reject(caller(auth), id, body.comment(),
                CorrelationIdFilter.correlationId(request))));
    }
}
