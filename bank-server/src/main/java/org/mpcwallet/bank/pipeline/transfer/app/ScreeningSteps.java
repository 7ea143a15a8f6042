package org.mpcwallet.bank.pipeline.transfer.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.pipeline.PipelineConfig;
import org.mpcwallet.bank.pipeline.kyt.app.KytCaseService;
import org.mpcwallet.bank.pipeline.kyt.app.ListKytProvider;
import org.mpcwallet.bank.pipeline.kyt.domain.Direction;
import org.mpcwallet.bank.pipeline.kyt.domain.KytProvider;
import org.mpcwallet.bank.pipeline.kyt.domain.KytResult;
import org.mpcwallet.bank.pipeline.kyt.persistence.KytCase;
import org.mpcwallet.bank.pipeline.kyt.persistence.KytCaseRepository;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyDecision;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyEngine;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyInput;
import org.mpcwallet.bank.pipeline.policy.domain.TransferRequest;
import org.mpcwallet.bank.pipeline.policy.persistence.PolicyRepository;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.persistence.DailyVolumeRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.SweepRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository.Change;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;

/**
 * The pipeline's screening steps (docs/custody-pipeline.md): KYT_PENDING (the outbound screening, an inbound hold of
 * the wallet, a case for REVIEW) and POLICY_EVAL_PENDING (the policy engine, the day's volume reserved atomically; a
 * sweep's fixed rule). Each runs in the worker's transaction for the request; no node call.
 */
@Singleton
class ScreeningSteps {
    static final String ACTOR = PipelineWorker.ACTOR;

    private final WalletService wallets;
    private final KytCaseService cases;
    private final Transitions transitions;
    private final AuditLog audit;
    private final JsonMapper json;
    private final KytProvider kyt;
    private final PolicyRepository policyRows;
    private final KytCaseRepository caseRows;
    private final DailyVolumeRepository volumes;
    private final SweepRepository sweeps;

    ScreeningSteps(WalletService wallets, KytCaseService cases, Transitions transitions, AuditLog audit, JsonMapper json,
                   PipelineConfig config, PolicyRepository policyRows, KytCaseRepository caseRows,
                   DailyVolumeRepository volumes, SweepRepository sweeps) {
        this.wallets = wallets;
        this.cases = cases;
        this.transitions = transitions;
        this.audit = audit;
        this.json = json;
        this.kyt = new ListKytProvider(config.kytBlacklist(), config.kytGraylist());
        this.policyRows = policyRows;
        this.caseRows = caseRows;
        this.volumes = volumes;
        this.sweeps = sweeps;
    }

    // ---- KYT

    boolean screen(TxRequest r, Instant now) throws SQLException {
        KytResult result = kyt.screen(r.toAddress(), Direction.OUTBOUND);
        if (result.verdict() == KytResult.Verdict.ALLOW) {
            Optional<KytCase> hold = caseRows.inboundHold(r.walletId());
            if (hold.isPresent()) {
                KytCase k = hold.get();
                result = new KytResult(KytResult.Verdict.REVIEW, "the wallet holds a deposit "
                        + (k.status() == KytCase.Status.OPEN ? "under compliance review"
                        : "from a sender compliance blocked") + " (inbound case " + k.id() + ")", "inbound-hold");
            }
        }
        audit.appendInTransaction(ACTOR, "KYT_EVALUATED", AuditPayload.of(json, "txRequestId", r.id().toString(),
                "address", r.toAddress(), "direction", "OUTBOUND", "verdict", result.verdict().name(), "reason",
                result.reason(), "provider", result.provider()));
        UUID caseId = null;
        if (result.verdict() == KytResult.Verdict.REVIEW) {
            caseId = cases.open(r.toAddress(), "OUTBOUND", r.id(), null, result.reason(), result.provider());
        }
        return transitions.apply(r, new TxEvent.KytVerdict(result), now, ACTOR,
                Change.kytVerdict(result.verdict()), Change.kytCaseId(caseId));
    }

    // ---- policies

    boolean evaluatePolicies(TxRequest r, Instant now) throws SQLException {
        if (sweeps.sweepTarget(r.id()).isPresent()) {
            return sweepPolicy(r, now);
        }
        Wallet w = wallets.find(r.walletId());
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Map<String, BigInteger> used = new HashMap<>();
        used.put(r.asset(), volumes.used(r.walletId(), day, r.asset()));
        PolicyInput input = new PolicyInput(new TransferRequest(r.walletId(), w.type(), r.asset(), r.tokenAddress(),
                r.toAddress(), r.amount()), policyRows.allowlistOnly(r.walletId()),
                policyRows.inScope(r.walletId(), w.type()), used);
        PolicyDecision decision = PolicyEngine.evaluate(input);
        if (decision instanceof PolicyDecision.Allowed a) {
            // reserve the day's volume atomically (another request may have reserved since we read it)
            BigInteger limit = a.dailyLimit() == null ? null : a.dailyLimit().limit();
            if (!volumes.reserve(r.walletId(), day, r.asset(), r.amount(), limit)) {
                decision = new PolicyDecision.Blocked(org.mpcwallet.bank.pipeline.policy.domain.PolicyCheck.DAILY_LIMIT,
                        a.dailyLimit(), "daily limit " + limit + " of " + r.asset() + " reached by concurrent requests");
            }
        }
        String result = decision instanceof PolicyDecision.Allowed ok
                ? (ok.requiredApprovals() > 0 ? "NEEDS_APPROVALS" : "ALLOWED") : "BLOCKED";
        String rules = String.join(",", decision.matchedRuleIds().stream().map(UUID::toString).toList());
        int required = decision instanceof PolicyDecision.Allowed ok ? ok.requiredApprovals() : 0;
        audit.appendInTransaction(ACTOR, "POLICY_EVALUATED", AuditPayload.of(json, "txRequestId", r.id().toString(),
                "result", result, "rules", rules, "requiredApprovals", required, "reason",
                decision instanceof PolicyDecision.Blocked b ? b.reason() : null));
        return transitions.apply(r, new TxEvent.PolicyVerdict(decision), now, ACTOR,
                Change.policyResult(result), Change.policyRules(rules), Change.requiredApprovals(required));
    }

    /**
     * A sweep (docs/key-rotation.md) pays the bank's own successor wallet, fixed by the rotation and enforced by the
     * signer, so limits and allowlists (made for payments to others) do not apply; it always needs one approval by
     * someone other than the ADMIN who created it.
     */
    private boolean sweepPolicy(TxRequest r, Instant now) throws SQLException {
        PolicyDecision decision = new PolicyDecision.Allowed(SWEEP_APPROVALS, List.of(), null);
        audit.appendInTransaction(ACTOR, "POLICY_EVALUATED", AuditPayload.of(json, "txRequestId", r.id().toString(),
                "result", "NEEDS_APPROVALS", "rules", "sweep", "requiredApprovals", SWEEP_APPROVALS, "reason",
                "sweep of a retired key to its successor wallet"));
        return transitions.apply(r, new TxEvent.PolicyVerdict(decision), now, ACTOR,
                Change.policyResult("NEEDS_APPROVALS"), Change.policyRules("sweep"),
                Change.requiredApprovals(SWEEP_APPROVALS));
    }

    /** Approvals a sweep needs (besides its creator, who never approves). */
    static final int SWEEP_APPROVALS = 1;

}
