package org.mpcwallet.bank.pipeline.policy.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.mpcwallet.bank.pipeline.policy.app.WalletSettingsService;
import org.mpcwallet.bank.web.CorrelationIdFilter;

/** {@code /v1/wallets/{id}/settings}: ADMIN or the wallet's OWNER change it; anyone who sees the wallet reads it. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Policies", description = "Transfer policies and wallet settings.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/wallets/{id}/settings")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class WalletSettingsController {

    @Serdeable
    record SettingsBody(@Nullable Boolean allowlistOnly) {
    }

    @Serdeable
    record SettingsResponse(String walletId, boolean allowlistOnly) {
        static SettingsResponse of(WalletSettingsService.Settings s) {
            return new SettingsResponse(s.walletId().toString(), s.allowlistOnly());
        }
    }

    private final WalletSettingsService settings;

    WalletSettingsController(WalletSettingsService settings) {
        this.settings = settings;
    }

    @Get
    SettingsResponse get(@PathVariable String id, Authentication auth) {
        return SettingsResponse.of(call(() -> settings.get(caller(auth), id)));
    }

    @org.mpcwallet.bank.web.RequiresStepUp("wallet_settings.change")
    @Put
    SettingsResponse put(@PathVariable String id, @Body SettingsBody body, Authentication auth,
                         HttpRequest<?> request) {
        return SettingsResponse.of(call(() -> settings.set(caller(auth), id, body.allowlistOnly(),
                CorrelationIdFilter.correlationId(request))));
    }
}
