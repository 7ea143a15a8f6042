package org.mpcwallet.bank.pipeline.token.api;

import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.mpcwallet.bank.pipeline.ChainCalls;
import org.mpcwallet.bank.pipeline.token.app.TokenRegistry;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository.Token;
import org.mpcwallet.bank.web.CorrelationIdFilter;

/** {@code /v1/tokens}: the ERC-20 registry of the configured chain; ADMIN registers, ADMIN/COMPLIANCE/OPERATOR list. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Tokens", description = "ERC-20 tokens the bank knows.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/tokens")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class TokenController {

    @Serdeable
    record RegisterBody(@Nullable String symbol, @Nullable String address, @Nullable Integer decimals) {
    }

    @Serdeable
    record TokenResponse(String chainId, String symbol, String address, int decimals, String createdAt) {
        static TokenResponse of(Token t) {
            return new TokenResponse(Long.toString(t.chainId()), t.symbol(), t.address(), t.decimals(),
                    t.createdAt().toString());
        }
    }

    private final TokenRegistry tokens;

    TokenController(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @Post
    HttpResponse<TokenResponse> register(@Body RegisterBody b, Authentication auth, HttpRequest<?> request) {
        Token t = ChainCalls.call(() -> tokens.register(caller(auth), b.symbol(), b.address(), b.decimals(),
                CorrelationIdFilter.correlationId(request)));
        return HttpResponse.created(TokenResponse.of(t));
    }

    @Get
    List<TokenResponse> list(Authentication auth) {
        return ChainCalls.call(() -> tokens.list(caller(auth))).stream().map(TokenResponse::of).toList();
    }
}
