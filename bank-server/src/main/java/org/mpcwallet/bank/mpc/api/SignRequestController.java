package org.mpcwallet.bank.mpc.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.HexFormat;
import java.util.List;
import org.mpcwallet.bank.mpc.app.SignRequestService;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.bank.web.CorrelationIdFilter;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;

/** Sign requests (docs/mpc-channel.md "Sign requests"): create, list per wallet, read one. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Sign requests", description = "Signing requests of a wallet and their state.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class SignRequestController {

    @Serdeable
    record CreateSignRequest(@Nullable String type, @Nullable String chainId, @Nullable String nonce,
                             @Nullable String maxPriorityFeePerGas, @Nullable String maxFeePerGas,
                             @Nullable String gasPrice, @Nullable String gasLimit, @Nullable String to,
                             @Nullable String valueWei, @Nullable String data) {
    }

    @Serdeable
    record SignatureResponse(String r, String s, int v) {
    }

    @Serdeable
    record SignRequestResponse(String id, String walletId, String status, String type, String chainId, String nonce,
                               @Nullable String maxPriorityFeePerGas, @Nullable String maxFeePerGas,
                               @Nullable String gasPrice, String gasLimit, String to,
                               String valueWei, String data, String signingHash, String createdAt, String expiresAt,
                               String createdBy, @Nullable SignatureResponse signature,
                               @Nullable String rawTransaction, @Nullable String txHash, @Nullable String failure) {
        static SignRequestResponse of(SignRequest r) {
            EthTransaction tx = r.tx();
            Eip1559Transaction fm = tx instanceof Eip1559Transaction t ? t : null;
            LegacyTransaction legacy = tx instanceof LegacyTransaction t ? t : null;
            HexFormat h = HexFormat.of();
            SignatureResponse sig = r.signature() == null ? null : new SignatureResponse(
                    hex32(r.signature().r()), hex32(r.signature().s()), r.signature().v());
            return new SignRequestResponse(r.id().toString(), r.walletId().toString(), r.status().name(),
                    tx.type().name(), tx.chainId().toString(), tx.nonce().toString(),
                    fm == null ? null : fm.maxPriorityFeePerGas().toString(),
                    fm == null ? null : fm.maxFeePerGas().toString(),
                    legacy == null ? null : legacy.gasPrice().toString(), tx.gasLimit().toString(),
                    tx.to().toChecksumHex(),
                    tx.value().toString(), "0x" + h.formatHex(tx.data()), "0x" + h.formatHex(r.signingHash()),
                    r.createdAt().toString(), r.expiresAt().toString(), r.createdBy().toString(), sig,
                    r.rawTransaction() == null ? null : "0x" + h.formatHex(r.rawTransaction()),
                    r.txHash() == null ? null : "0x" + h.formatHex(r.txHash()), r.failure());
        }

        private static String hex32(java.math.BigInteger v) {
            String s = v.toString(16);
            return "0".repeat(64 - s.length()) + s;
        }
    }

    private final SignRequestService requests;

    SignRequestController(SignRequestService requests) {
        this.requests = requests;
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @Post("/wallets/{id}/sign-requests")
    HttpResponse<SignRequestResponse> create(@PathVariable String id, @Body CreateSignRequest body,
                                             Authentication auth, HttpRequest<?> request) {
        EthTransaction tx;
        try {
            tx = SignRequest.transaction(body.type(), body.chainId(), body.nonce(), body.maxPriorityFeePerGas(),
                    body.maxFeePerGas(), body.gasPrice(), body.gasLimit(), body.to(), body.valueWei(), body.data());
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        SignRequest r = call(() -> requests.create(caller(auth), id, tx, CorrelationIdFilter.correlationId(request)));
        return HttpResponse.created(SignRequestResponse.of(r));
    }

    /** A page of the wallet's sign requests, oldest first. Paging: docs/integration.md "Pagination". */
    @Get("/wallets/{id}/sign-requests{?status,createdFrom,createdTo,cursor,limit}")
    org.mpcwallet.bank.web.PageResponse<SignRequestResponse> list(@PathVariable String id,
                                                                  @Nullable @QueryValue String status,
                                                                  @Nullable @QueryValue String createdFrom,
                                                                  @Nullable @QueryValue String createdTo,
                                                                  @Nullable @QueryValue String cursor,
                                                                  @Nullable @QueryValue Integer limit,
                                                                  Authentication auth) {
        return org.mpcwallet.bank.web.PageResponse.of(call(() -> requests.list(caller(auth), id, status, createdFrom,
                createdTo, cursor, limit)), SignRequestResponse::of);
    }

    @Get("/sign-requests/{id}")
    SignRequestResponse get(@PathVariable String id, Authentication auth) {
        return SignRequestResponse.of(call(() -> requests.get(caller(auth), id)));
    }
}
