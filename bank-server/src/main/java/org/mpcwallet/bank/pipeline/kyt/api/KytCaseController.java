package org.mpcwallet.bank.pipeline.kyt.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
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
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.mpcwallet.bank.pipeline.kyt.app.KytCaseService;
import org.mpcwallet.bank.pipeline.kyt.persistence.KytCase;

/** {@code /v1/cases}: KYT cases for COMPLIANCE (and ADMIN). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Compliance cases", description = "KYT cases and their resolution (COMPLIANCE, ADMIN).")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/cases")
@Secured({"COMPLIANCE", "ADMIN"})
@ExecuteOn(TaskExecutors.BLOCKING)
class KytCaseController {

    @Serdeable
    record ResolveBody(@Nullable String decision, @Nullable String comment) {
    }

    @Serdeable
    record CaseResponse(String id, String address, String direction, @Nullable String txRequestId,
                        @Nullable String depositId, String reason, String provider, String status, String createdAt,
                        @Nullable String resolvedAt, @Nullable String resolvedBy, @Nullable String resolution) {
        static CaseResponse of(KytCase k) {
            return new CaseResponse(k.id().toString(), k.address(), k.direction(), str(k.txRequestId()),
                    str(k.depositId()), k.reason(), k.provider(), k.status().name(), k.createdAt().toString(),
                    str(k.resolvedAt()), str(k.resolvedBy()), k.resolution());
        }

        private static String str(Object o) {
            return o == null ? null : o.toString();
        }
    }

    private final KytCaseService cases;

    KytCaseController(KytCaseService cases) {
        this.cases = cases;
    }

    /** A page of cases, oldest first. Paging: docs/integration.md "Pagination". */
    @Get("{?status,createdFrom,createdTo,cursor,limit}")
    org.mpcwallet.bank.web.PageResponse<CaseResponse> list(@Nullable @QueryValue String status,
                                                           @Nullable @QueryValue String createdFrom,
                                                           @Nullable @QueryValue String createdTo,
                                                           @Nullable @QueryValue String cursor,
                                                           @Nullable @QueryValue Integer limit, Authentication auth) {
        return org.mpcwallet.bank.web.PageResponse.of(call(() -> cases.list(caller(auth), status, createdFrom,
                createdTo, cursor, limit)), CaseResponse::of);
    }

    @Get("/{id}")
    CaseResponse get(@PathVariable String id, Authentication auth) {
        return CaseResponse.of(call(() -> cases.get(caller(auth), id)));
    }

    @org.mpcwallet.bank.web.RequiresStepUp("kyt_case.resolve")
    @Post("/{id}/resolve")
    CaseResponse resolve(@PathVariable String id, @Body ResolveBody body, Authentication auth) {
        return CaseResponse.of(call(() -> cases.resolve(caller(auth), id, body.decision(), body.comment())));
    }
}
