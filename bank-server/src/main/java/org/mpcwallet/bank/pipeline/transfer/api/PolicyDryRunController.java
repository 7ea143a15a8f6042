package org.mpcwallet.bank.pipeline.transfer.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.mpcwallet.bank.pipeline.policy.domain.Policy;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyScope;
import org.mpcwallet.bank.pipeline.transfer.app.PolicyDryRun;

/**
 * {@code POST /v1/policies/dry-run} (docs/admin-console.md "Policies"): which rule decides a transfer, and why,
 * without making it (ADMIN, COMPLIANCE, OPERATOR).
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Policies", description = "Transfer policies and wallet settings.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/policies/dry-run")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class PolicyDryRunController {

    @Serdeable
    record DryRunBody(@Nullable String walletId, @Nullable String asset, @Nullable String to,
                      @Nullable String amount) {
    }

    /** A rule that decided: its id, type and scope, and the values it holds. */
    @Serdeable
    record RuleResponse(String id, String type, String scope, @Nullable String walletId, @Nullable String walletType,
                        @Nullable String asset, @Nullable String address, @Nullable String limit,
                        @Nullable Integer approvals) {
        static RuleResponse of(Policy p) {
            String walletId = p.scope() instanceof PolicyScope.Wallet w ? w.walletId().toString() : null;
            String walletType = p.scope() instanceof PolicyScope.OfType t ? t.walletType().name() : null;
            return new RuleResponse(p.id().toString(), p.type().name(), walletId != null ? "WALLET"
                    : walletType != null ? "WALLET_TYPE" : "GLOBAL", walletId, walletType, p.asset(), p.address(),
                    p.limit() == null ? null : p.limit().toString(), p.approvals());
        }
    }

    /** What the policy step would decide now: {@code rules} decided it; {@code check} names a block's kind. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record DryRunResponse(String result, int requiredApprovals, @Nullable String check, String reason,
                          List<RuleResponse> rules) {
    }

    private final PolicyDryRun dryRun;

    PolicyDryRunController(PolicyDryRun dryRun) {
        this.dryRun = dryRun;
    }

    /**
     * The wallet's rules in scope, its allowlist-only setting and today's used volume, as the pipeline would see them
     * now; nothing is created or reserved.
     */
    @Post
    DryRunResponse dryRun(@Body DryRunBody b, Authentication auth) {
        PolicyDryRun.Result r = call(() -> dryRun.run(caller(auth), b.walletId(), b.asset(), b.to(), b.amount()));
        return new DryRunResponse(r.result(), r.requiredApprovals(), r.check(), r.reason(), r.rules().stream()
                .map(RuleResponse::of).toList());
    }
}
