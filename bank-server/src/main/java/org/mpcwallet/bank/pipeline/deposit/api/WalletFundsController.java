package org.mpcwallet.bank.pipeline.deposit.api;

import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.mpcwallet.bank.web.PageResponse;
import org.mpcwallet.bank.pipeline.ChainCalls;
import org.mpcwallet.bank.pipeline.deposit.app.WalletFundsService;
import org.mpcwallet.bank.pipeline.deposit.persistence.DepositRepository.Deposit;

/** {@code /v1/wallets/{id}/balances} (live from the node) and {@code /v1/wallets/{id}/deposits}. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Wallets", description = "Wallets, their keys, roles, balances, deposits and device backups.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/wallets/{id}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class WalletFundsController {

    @Serdeable
    record BalanceResponse(String asset, String amount, int decimals, @Nullable String token) {
    }

    @Serdeable
    record BalancesResponse(String walletId, String address, List<BalanceResponse> balances) {
    }

    @Serdeable
    record DepositResponse(String id, String txHash, int logIndex, String asset, @Nullable String token, String from,
                           String amount, long blockNumber, @Nullable String kytVerdict, @Nullable String kytCaseId,
                           String status, String createdAt) {
        static DepositResponse of(Deposit d) {
            return new DepositResponse(d.id().toString(), d.txHash(), d.logIndex(), d.asset(), d.tokenAddress(),
                    d.from(), d.amount().toString(), d.blockNumber(), d.kytVerdict(),
                    d.kytCaseId() == null ? null : d.kytCaseId().toString(), d.status(), d.createdAt().toString());
        }
    }

    private final WalletFundsService funds;

    WalletFundsController(WalletFundsService funds) {
        this.funds = funds;
    }

    @Get("/balances")
    BalancesResponse balances(@PathVariable String id, Authentication auth) {
        WalletFundsService.Balances b = ChainCalls.call(() -> funds.balances(caller(auth), id));
        return new BalancesResponse(b.walletId().toString(), b.address(), b.balances().stream()
                .map(x -> new BalanceResponse(x.asset(), x.amount().toString(), x.decimals(), x.token())).toList());
    }

    /** A page of the wallet's deposits, newest first. Paging: docs/integration.md "Pagination". */
    @Get("/deposits{?status,createdFrom,createdTo,cursor,limit}")
    PageResponse<DepositResponse> deposits(@PathVariable String id, @Nullable @QueryValue String status,
                                           @Nullable @QueryValue String createdFrom,
                                           @Nullable @QueryValue String createdTo,
                                           @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit,
                                           Authentication auth) {
        return PageResponse.of(ChainCalls.call(() -> funds.deposits(caller(auth), id, status,
                createdFrom, createdTo, cursor, limit)), DepositResponse::of);
    }
}
