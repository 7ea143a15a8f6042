package org.mpcwallet.bank.pipeline.transfer.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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
import java.util.List;
import org.mpcwallet.bank.pipeline.approval.app.ApprovalService;
import org.mpcwallet.bank.pipeline.approval.persistence.ApprovalStore.Vote;
import org.mpcwallet.bank.pipeline.transfer.app.TxRequestService;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.web.CorrelationIdFilter;

/** {@code /v1/tx-requests} (docs/custody-pipeline.md). */
@Controller("/v1/tx-requests")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class TxRequestController {

    @Serdeable
    record CreateBody(@Nullable String walletId, @Nullable String asset, @Nullable String to, @Nullable String amount,
                      @Nullable String note) {
    }

    @Serdeable
    record VoteBody(@Nullable String decision, @Nullable String comment) {
    }

    @Serdeable
    record VoteResponse(String userId, String decision, @Nullable String comment, String at) {
    }

    @Serdeable
    record TxResponse(String id, String walletId, String status, String asset, @Nullable String tokenAddress,
                      String to, String amount, @Nullable String note, String createdBy, @Nullable String kytVerdict,
                      @Nullable String kytCaseId, @Nullable String policyResult, int requiredApprovals,
                      @Nullable List<VoteResponse> votes, @Nullable String chainId, @Nullable String nonce,
                      @Nullable String signRequestId, @Nullable String txHash, @Nullable Long blockNumber,
                      int confirmations, int broadcastAttempts, @Nullable String lastError, String createdAt,
                      String updatedAt, String kind, @Nullable String sweepToWallet) {
        static TxResponse of(TxRequestService.View v) {
            TxResponse t = of(v.request(), v.votes());
            return v.sweepTo() == null ? t : new TxResponse(t.id, t.walletId, t.status, t.asset, t.tokenAddress, t.to,
                    t.amount, t.note, t.createdBy, t.kytVerdict, t.kytCaseId, t.policyResult, t.requiredApprovals,
                    t.votes, t.chainId, t.nonce, t.signRequestId, t.txHash, t.blockNumber, t.confirmations,
                    t.broadcastAttempts, t.lastError, t.createdAt, t.updatedAt, "SWEEP", v.sweepTo().toString());
        }

        static TxResponse of(TxRequest r, List<Vote> votes) {
            return new TxResponse(r.id().toString(), r.walletId().toString(), r.status().name(), r.asset(),
                    r.tokenAddress(), r.toAddress(), r.amount().toString(), r.note(), r.createdBy().toString(),
                    r.kytVerdict(), s(r.kytCaseId()), r.policyResult(), r.requiredApprovals(),
                    votes == null ? null : votes.stream().map(v -> new VoteResponse(v.userId().toString(),
                            v.decision(), v.comment(), v.at().toString())).toList(), s(r.chainId()), s(r.nonce()),
                    s(r.signRequestId()), r.txHashHex(), r.blockNumber(), r.confirmations(), r.broadcastAttempts(),
                    r.lastError(), r.createdAt().toString(), r.updatedAt().toString(), "TRANSFER", null);
        }

        private static String s(Object o) {
            return o == null ? null : o.toString();
        }
    }

    private final TxRequestService requests;
    private final ApprovalService approvals;

    TxRequestController(TxRequestService requests, ApprovalService approvals) {
        this.requests = requests;
        this.approvals = approvals;
    }

    @Post
    HttpResponse<TxResponse> create(@Body CreateBody body, Authentication auth, HttpRequest<?> request) {
        TxRequestService.View v = call(() -> requests.create(caller(auth), body.walletId(), body.asset(), body.to(),
                body.amount(), body.note(), CorrelationIdFilter.correlationId(request)));
        return HttpResponse.created(TxResponse.of(v));
    }

    @Get("{?walletId,status}")
    List<TxResponse> list(@Nullable @QueryValue String walletId, @Nullable @QueryValue String status,
                          Authentication auth) {
        return call(() -> requests.list(caller(auth), walletId, status)).stream()
                .map(TxResponse::of).toList();
    }

    @Get("/{id}")
    TxResponse get(@PathVariable String id, Authentication auth) {
        TxRequestService.View v = call(() -> requests.get(caller(auth), id));
        return TxResponse.of(v);
    }

    @Post("/{id}/approve")
    TxResponse approve(@PathVariable String id, @Body VoteBody body, Authentication auth) {
        TxRequestService.View v = call(() -> approvals.approve(caller(auth), id, body.decision(), body.comment()));
        return TxResponse.of(v);
    }

    @Post("/{id}/resume")
    TxResponse resume(@PathVariable String id, Authentication auth) {
        TxRequestService.View v = call(() -> requests.resume(caller(auth), id));
        return TxResponse.of(v);
    }

    @Post("/{id}/retry")
    TxResponse retry(@PathVariable String id, Authentication auth) {
        TxRequestService.View v = call(() -> requests.retry(caller(auth), id));
        return TxResponse.of(v);
    }
}
