package org.mpcwallet.bank.wallet.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
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
import org.mpcwallet.bank.wallet.app.WalletLifecycle;
import org.mpcwallet.bank.wallet.app.WalletRoleChanges;
import org.mpcwallet.bank.wallet.app.WalletRoleGrants;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.RoleGrant;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.web.CorrelationIdFilter;
import org.mpcwallet.bank.web.PageResponse;

/** {@code /v1/wallets}: create, list, read, keyset metadata and wallet-scoped role grants. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Wallets", description = "Wallets, their keys, roles, balances, deposits and device backups.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/wallets")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class WalletController {

    @Serdeable
    record CreateWalletRequest(@Nullable String name, @Nullable String type, @Nullable String riskProfile,
                               @Nullable List<String> tags, @Nullable String custodyBackend) {
    }

    @Serdeable
    record AssignRoleRequest(@Nullable String userId, @Nullable String role) {
    }

    /** Every field present, empty lists and nulls included, as the OpenAPI document says. */
    @Serdeable
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    record WalletResponse(String id, String name, String type, String riskProfile, List<String> tags,
                          String custodyBackend, String status, String keysetId, @Nullable String address,
                          String createdAt, String updatedAt, @Nullable String lastUsedAt, String createdBy) {
        static WalletResponse of(Wallet w) {
            return new WalletResponse(w.id().toString(), w.name(), w.type().name(), w.riskProfile().name(),
                    w.tags(), w.custodyBackend().name(), w.status().name(), w.keysetId(), w.address(),
                    w.createdAt().toString(), w.updatedAt().toString(),
                    w.lastUsedAt() == null ? null : w.lastUsedAt().toString(), w.createdBy().toString());
        }
    }

    @Serdeable
    record MpcResponse(String walletId, String keysetId, String custodyBackend, String status,
                       @Nullable String publicKey, @Nullable String address, String createdAt,
                       @Nullable String lastUsedAt, boolean locked, @Nullable Long epoch) {
        static MpcResponse of(WalletService.MpcInfo info) {
            Wallet w = info.wallet();
            byte[] pk = w.publicKey();
            return new MpcResponse(w.id().toString(), w.keysetId(), w.custodyBackend().name(), w.status().name(),
                    pk == null ? null : java.util.HexFormat.of().formatHex(pk), w.address(),
                    w.createdAt().toString(), w.lastUsedAt() == null ? null : w.lastUsedAt().toString(),
                    info.locked(), info.epoch());
        }
    }

    @Serdeable
    record RoleGrantResponse(String walletId, String userId, String role, String grantedAt) {
        static RoleGrantResponse of(RoleGrant g) {
            return new RoleGrantResponse(g.walletId().toString(), g.userId().toString(), g.role().name(),
                    g.grantedAt().toString());
        }
    }

    private final WalletService wallets;
    private final WalletLifecycle lifecycle;
    private final WalletRoleGrants grants;

    private final org.mpcwallet.bank.changes.app.ChangeProposals proposals;

    WalletController(WalletService wallets, WalletLifecycle lifecycle, WalletRoleGrants grants,
                     org.mpcwallet.bank.changes.app.ChangeProposals proposals) {
        this.wallets = wallets;
        this.lifecycle = lifecycle;
        this.grants = grants;
        this.proposals = proposals;
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @Post
    HttpResponse<WalletResponse> create(@Body CreateWalletRequest body, Authentication auth, HttpRequest<?> request) {
        Wallet w = call(() -> lifecycle.create(caller(auth), body.name(), body.type(), body.riskProfile(), body.tags(),
                body.custodyBackend(), CorrelationIdFilter.correlationId(request)));
        return HttpResponse.created(WalletResponse.of(w));
    }

    /** A page of wallets, newest first; {@code next_cursor} continues. Paging: docs/integration.md "Pagination". */
    @Get("{?status,createdFrom,createdTo,q,cursor,limit}")
    PageResponse<WalletResponse> list(@Nullable @QueryValue String status, @Nullable @QueryValue String createdFrom,
                                      @Nullable @QueryValue String createdTo, @Nullable @QueryValue String q,
                                      @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit,
                                      Authentication auth) {
        return PageResponse.of(call(() -> wallets.list(caller(auth), status, createdFrom, createdTo, q, cursor,
                limit)), WalletResponse::of);
    }

    @Get("/{id}")
    WalletResponse get(@PathVariable String id, Authentication auth) {
        return WalletResponse.of(call(() -> wallets.get(caller(auth), id)));
    }

    @Get("/{id}/mpc")
    MpcResponse mpc(@PathVariable String id, Authentication auth) {
        return MpcResponse.of(call(() -> wallets.mpc(caller(auth), id)));
    }

    @Get("/{id}/roles")
    List<RoleGrantResponse> roles(@PathVariable String id, Authentication auth) {
        return call(() -> wallets.roles(caller(auth), id)).stream().map(RoleGrantResponse::of).toList();
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @org.mpcwallet.bank.web.RequiresStepUp("wallet.roles.grant")
    @org.mpcwallet.bank.changes.api.ProposedUnderFourEyes
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "Granted",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = RoleGrantResponse.class)))
    @Post("/{id}/roles")
    HttpResponse<?> assign(@PathVariable String id, @Body AssignRoleRequest body, Authentication auth,
                           HttpRequest<?> request) {
        String correlationId = CorrelationIdFilter.correlationId(request);
        if (proposals.required() && WalletRoleChanges.needsFourEyes(body.role())) {
            org.mpcwallet.bank.changes.app.PendingChange ch = call(() -> {
                org.mpcwallet.bank.wallet.domain.Wallet w = grants.checkAssign(caller(auth), id, body.userId(),
                        body.role());
                return proposals.propose(caller(auth), WalletRoleChanges.GRANT, WalletRoleChanges.payload(
                        w.id().toString(), body.userId(), body.role()), WalletRoleChanges.summary(true, w,
                        wallets.username(java.util.UUID.fromString(body.userId())), body.role()), correlationId);
            });
            return org.mpcwallet.bank.changes.api.ChangeResponse.accepted(ch);
        }
        RoleGrant g = call(() -> grants.assign(caller(auth), id, body.userId(), body.role(), correlationId));
        return HttpResponse.created(RoleGrantResponse.of(g));
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.NO_CONTENT)
    @org.mpcwallet.bank.web.RequiresStepUp("wallet.roles.revoke")
    @org.mpcwallet.bank.changes.api.ProposedUnderFourEyes
    @Delete("/{id}/roles/{userId}/{role}")
    HttpResponse<?> revoke(@PathVariable String id, @PathVariable String userId, @PathVariable String role,
                           Authentication auth, HttpRequest<?> request) {
        String correlationId = CorrelationIdFilter.correlationId(request);
        if (proposals.required() && WalletRoleChanges.needsFourEyes(role)) {
            org.mpcwallet.bank.changes.app.PendingChange ch = call(() -> {
                org.mpcwallet.bank.wallet.domain.Wallet w = grants.checkRevoke(caller(auth), id, userId, role);
                return proposals.propose(caller(auth), WalletRoleChanges.REVOKE, WalletRoleChanges.payload(
                        w.id().toString(), userId, role), WalletRoleChanges.summary(false, w,
                        wallets.username(java.util.UUID.fromString(userId)), role), correlationId);
            });
            return org.mpcwallet.bank.changes.api.ChangeResponse.accepted(ch);
        }
        call(() -> {
            grants.revoke(caller(auth), id, userId, role, correlationId);
            return null;
        });
        return HttpResponse.noContent();
    }
}
