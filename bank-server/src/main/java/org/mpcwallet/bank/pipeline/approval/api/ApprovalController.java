package org.mpcwallet.bank.pipeline.approval.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.mpcwallet.bank.pipeline.approval.app.ApprovalService;
import org.mpcwallet.bank.pipeline.transfer.api.TxResponse;

/** {@code POST /v1/tx-requests/{id}/approve}: an approver's vote (docs/custody-pipeline.md "Approvals"). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Transfers", description = "Transfers through the custody pipeline.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/tx-requests")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class ApprovalController {

    @Serdeable
    record VoteBody(@Nullable String decision, @Nullable String comment) {
    }

    private final ApprovalService approvals;

    ApprovalController(ApprovalService approvals) {
        this.approvals = approvals;
    }

    @org.mpcwallet.bank.web.RequiresStepUp("approval.vote")
    @Post("/{id}/approve")
    TxResponse approve(@PathVariable String id, @Body VoteBody body, Authentication auth) {
        return TxResponse.of(call(() -> approvals.approve(caller(auth), id, body.decision(), body.comment())));
    }
}
