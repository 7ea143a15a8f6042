package org.mpcwallet.bank.pipeline.approval.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import org.mpcwallet.bank.pipeline.approval.app.ApprovalQueue;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.web.ETags;
import org.mpcwallet.bank.web.PageResponse;

/** {@code GET /v1/approvals}: the transfers waiting for the caller's vote (docs/admin-console.md "Approvals queue"). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Transfers", description = "Transfers through the custody pipeline.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/approvals")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class ApprovalQueueController {

    /**
     * One waiting transfer: amounts in base units ({@code amount}) and in the asset's units ({@code amountInUnits},
     * with {@code decimals}); {@code estimatedFeeWei}/{@code estimatedFeeEth} at the network's price now for a plain
     * transfer of the asset (absent without a node); {@code kind} PAYMENT or SWEEP; {@code expiresAt}: when it is
     * rejected as expired unless approved by then ({@code BANK_APPROVAL_WINDOW_HOURS} after it began to wait).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record QueueItem(String txRequestId, String createdAt, String createdBy, String creator, String walletId,
                     String walletName, String walletType, String kind, String to, boolean allowlisted,
                     String asset, @Nullable String token, @Nullable Integer decimals, String amount,
                     @Nullable String amountInUnits, @Nullable String estimatedFeeWei,
                     @Nullable String estimatedFeeEth, @Nullable String kytVerdict, @Nullable String kytCaseId,
                     @Nullable String policyResult, @Nullable String policyRules, int approvals,
                     int requiredApprovals, @Nullable String note, String expiresAt) {
        static QueueItem of(ApprovalQueue.Item i) {
            TxRequest r = i.row().request();
            return new QueueItem(r.id().toString(), r.createdAt().toString(), r.createdBy().toString(),
                    i.row().creator(), r.walletId().toString(), i.row().walletName(), i.row().walletType(),
                    i.row().sweep() ? "SWEEP" : "PAYMENT", r.toAddress(), i.allowlisted(), r.asset(),
                    r.tokenAddress(), i.decimals(), r.amount().toString(), i.amountInUnits(),
                    i.feeWei() == null ? null : i.feeWei().toString(), i.feeWei() == null ? null
                    : new java.math.BigDecimal(i.feeWei()).movePointLeft(18).stripTrailingZeros().toPlainString(),
                    r.kytVerdict(), r.kytCaseId() == null ? null : r.kytCaseId().toString(), r.policyResult(),
                    r.policyRules(), i.row().approvals(), Math.max(1, r.requiredApprovals()), r.note(),
                    i.expiresAt().toString());
        }
    }

    private final ApprovalQueue queue;
    private final JsonMapper json;

    ApprovalQueueController(ApprovalQueue queue, JsonMapper json) {
        this.queue = queue;
        this.json = json;
    }

    /**
     * A page of the transfers the caller may vote on now, oldest first, with an {@code ETag}: a poll that sends it
     * back in {@code If-None-Match} gets 304 while the page is unchanged.
     */
    @Get("{?cursor,limit}")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", useReturnTypeSchema = true,
            description = "A page of the waiting transfers; header ETag identifies it.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "304",
            description = "Unchanged since the ETag sent in If-None-Match; no body.")
    HttpResponse<PageResponse<QueueItem>> waiting(@Nullable @QueryValue String cursor,
                                                  @Nullable @QueryValue Integer limit, Authentication auth,
                                                  HttpRequest<?> request) {
        return ETags.conditional(request, PageResponse.of(call(() -> queue.queue(caller(auth), cursor, limit)),
                QueueItem::of), json);
    }
}
