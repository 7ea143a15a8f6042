package org.mpcwallet.bank.pipeline.policy.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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
import org.mpcwallet.bank.changes.api.ChangeResponse;
import org.mpcwallet.bank.changes.api.ProposedUnderFourEyes;
import org.mpcwallet.bank.changes.app.ChangeProposals;
import org.mpcwallet.bank.changes.app.PendingChange;
import org.mpcwallet.bank.pipeline.policy.app.WalletSettingsChanges;
import org.mpcwallet.bank.pipeline.policy.app.WalletSettingsService;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.domain.Wallet;
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
    private final ChangeProposals proposals;

    WalletSettingsController(WalletSettingsService settings, ChangeProposals proposals) {
        this.settings = settings;
        this.proposals = proposals;
    }

    @Get
    SettingsResponse get(@PathVariable String id, Authentication auth) {
        return SettingsResponse.of(call(() -> settings.get(caller(auth), id)));
    }

    /**
     * Sets the switch: at once for the wallet's OWNER (on only); an ADMIN's change, while four eyes are required,
     * answers 202 with the proposal, which applies when a second ADMIN approves it.
     */
    @org.mpcwallet.bank.web.RequiresStepUp("wallet_settings.change")
    @ProposedUnderFourEyes
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Set",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = SettingsResponse.class)))
    @Put
    HttpResponse<?> put(@PathVariable String id, @Body SettingsBody body, Authentication auth,
                        HttpRequest<?> request) {
        String correlationId = CorrelationIdFilter.correlationId(request);
        Caller caller = caller(auth);
        if (proposals.required() && WalletSettingsChanges.needsFourEyes(caller)) {
            PendingChange ch = call(() -> {
                Wallet w = settings.proposable(caller, id, body.allowlistOnly());
                return proposals.propose(caller, WalletSettingsChanges.KIND, WalletSettingsChanges.payload(w,
                        body.allowlistOnly()), WalletSettingsChanges.summary(w, body.allowlistOnly()), correlationId);
            });
            return ChangeResponse.accepted(ch);
        }
        return HttpResponse.ok(SettingsResponse.of(call(() -> settings.set(caller, id, body.allowlistOnly(),
                correlationId))));
    }
}
