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
import org.mpcwallet.bank.pipeline.transfer.app.TxRequestService;
import org.mpcwallet.bank.value.Address;
import org.mpcwallet.bank.value.AssetSymbol;
import org.mpcwallet.bank.value.BaseUnits;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.web.CorrelationIdFilter;
import org.mpcwallet.bank.web.PageResponse;

/**
 * {@code /v1/tx-requests} (docs/custody-pipeline.md); the vote, {@code POST /{id}/approve}, is the approval feature's
 * {@code ApprovalController}.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Transfers", description = "Transfers through the custody pipeline.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/tx-requests")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class TxRequestController {

    @Serdeable
    record CreateBody(@Nullable String walletId, @Nullable String asset, @Nullable String to, @Nullable String amount,
                      @Nullable String note) {
    }

    private final TxRequestService requests;

    TxRequestController(TxRequestService requests) {
        this.requests = requests;
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @Post
    HttpResponse<TxResponse> create(@Body CreateBody body, Authentication auth, HttpRequest<?> request) {
        TxRequestService.View v = call(() -> {
            // read at the edge, in this order (the first field that is wrong is the one named)
            AssetSymbol asset = AssetSymbol.parse("asset", body.asset()).orElseThrow(TxRequestController::invalid);
            Address to = Address.recipient("to", body.to()).orElseThrow(TxRequestController::invalid);
            BaseUnits amount = BaseUnits.parse("amount", body.amount()).orElseThrow(TxRequestController::invalid);
            return requests.create(caller(auth), body.walletId(), asset, to, amount, body.note(),
                    CorrelationIdFilter.correlationId(request));
        });
        return HttpResponse.created(TxResponse.of(v));
    }

    private static WalletException invalid(String reason) {
        return new WalletException(WalletException.Kind.INVALID_REQUEST, reason);
    }

    /** A page of transfers, oldest first; {@code next_cursor} continues. Paging: docs/integration.md "Pagination". */
    @Get("{?walletId,status,createdFrom,createdTo,cursor,limit}")
    PageResponse<TxResponse> list(@Nullable @QueryValue String walletId, @Nullable @QueryValue String status,
                                  @Nullable @QueryValue String createdFrom, @Nullable @QueryValue String createdTo,
                                  @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit,
                                  Authentication auth) {
        return PageResponse.of(call(() -> requests.list(caller(auth), walletId, status, createdFrom, createdTo,
                cursor, limit)), TxResponse::of);
    }

    @Get("/{id}")
    TxResponse get(@PathVariable String id, Authentication auth) {
        TxRequestService.View v = call(() -> requests.get(caller(auth), id));
        return TxResponse.of(v);
    }

    @org.mpcwallet.bank.web.RequiresStepUp("transfer.resume")
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
