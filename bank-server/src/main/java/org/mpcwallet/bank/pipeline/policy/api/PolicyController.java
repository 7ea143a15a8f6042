package org.mpcwallet.bank.pipeline.policy.api;

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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.mpcwallet.bank.pipeline.policy.app.PolicyAdmin;
import org.mpcwallet.bank.pipeline.policy.app.PolicyChanges;
import org.mpcwallet.bank.pipeline.policy.domain.Policy;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyScope;
import org.mpcwallet.bank.web.CorrelationIdFilter;

/** {@code /v1/policies}: ADMIN writes, ADMIN/COMPLIANCE/OPERATOR read (docs/custody-pipeline.md, "Controls"). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Policies", description = "Transfer policies and wallet settings.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/policies")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class PolicyController {

    /** {@code limit}: a decimal string of base units (amounts beyond 2^53 do not survive a JSON number in many clients). */
    @Serdeable
    record CreateBody(@Nullable String type, @Nullable String scope, @Nullable String walletId,
                      @Nullable String walletType,
                      @Nullable String asset, @Nullable String address, @Nullable String token, @Nullable String limit,
                      @Nullable Integer approvals) {
    }

    @Serdeable
    record PolicyResponse(String id, String type, String scope, @Nullable String walletId, @Nullable String walletType,
                          @Nullable String asset, @Nullable String address, @Nullable String token,
                          @Nullable String limit, @Nullable Integer approvals, boolean enabled) {
        static PolicyResponse of(Policy p) {
            String walletId = p.scope() instanceof PolicyScope.Wallet w ? w.walletId().toString() : null;
            String walletType = p.scope() instanceof PolicyScope.OfType t ? t.walletType().name() : null;
            String scope = walletId != null ? "WALLET" : walletType != null ? "WALLET_TYPE" : "GLOBAL";
            return new PolicyResponse(p.id().toString(), p.type().name(), scope, walletId, walletType, p.asset(),
                    p.address(), p.token(), p.limit() == null ? null : p.limit().toString(), p.approvals(), true);
        }
    }

    private final PolicyAdmin policies;
    private final org.mpcwallet.bank.changes.app.ChangeProposals proposals;

    PolicyController(PolicyAdmin policies, org.mpcwallet.bank.changes.app.ChangeProposals proposals) {
        this.policies = policies;
        this.proposals = proposals;
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @org.mpcwallet.bank.web.RequiresStepUp("policy.create")
    @org.mpcwallet.bank.changes.api.ProposedUnderFourEyes
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "Created",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = PolicyResponse.class)))
    @Post
    HttpResponse<?> create(@Body CreateBody b, Authentication auth, HttpRequest<?> request) {
        PolicyAdmin.Draft d = new PolicyAdmin.Draft(b.type(), b.scope(), b.walletId(), b.walletType(), b.asset(),
                b.address(), b.token(), b.limit(), b.approvals());
        String correlationId = CorrelationIdFilter.correlationId(request);
        if (proposals.required()) {
            org.mpcwallet.bank.changes.app.PendingChange ch = call(() -> proposals.propose(caller(auth),
                    PolicyChanges.CREATE, PolicyChanges.payload(d), PolicyChanges.summary(
                            policies.prepare(caller(auth), d)), correlationId));
            return org.mpcwallet.bank.changes.api.ChangeResponse.accepted(ch);
        }
        Policy p = call(() -> policies.create(caller(auth), d, correlationId));
        return HttpResponse.created(PolicyResponse.of(p));
    }

    @Get
    List<PolicyResponse> list(Authentication auth) {
        return call(() -> policies.list(caller(auth))).stream().map(PolicyResponse::of).toList();
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.NO_CONTENT)
    @org.mpcwallet.bank.web.RequiresStepUp("policy.delete")
    @org.mpcwallet.bank.changes.api.ProposedUnderFourEyes
    @Delete("/{id}")
    HttpResponse<?> disable(@PathVariable String id, Authentication auth, HttpRequest<?> request) {
        String correlationId = CorrelationIdFilter.correlationId(request);
        if (proposals.required()) {
            org.mpcwallet.bank.changes.app.PendingChange ch = call(() -> {
                java.util.UUID policyId = policies.enabledPolicy(caller(auth), id);
                return proposals.propose(caller(auth), PolicyChanges.DISABLE, java.util.Map.of("policyId",
                        policyId.toString()), "Disable the rule " + policyId, correlationId);
            });
            return org.mpcwallet.bank.changes.api.ChangeResponse.accepted(ch);
        }
        call(() -> {
            policies.disable(caller(auth), id, correlationId);
            return null;
        });
        return HttpResponse.noContent();
    }
}
