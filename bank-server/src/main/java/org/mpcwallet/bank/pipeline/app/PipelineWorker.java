package org.mpcwallet.bank.pipeline.app;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.mpcwallet.bank.sched.Periodic;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.chain.BroadcastResult;
import org.mpcwallet.bank.chain.ChainFailure;
import org.mpcwallet.bank.chain.ChainReceipt;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.FeeOracle;
import org.mpcwallet.bank.chain.ReceiptCheck;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.mpc.app.SignRequestService;
import org.mpcwallet.bank.mpc.event.CosignRequested;
import org.mpcwallet.bank.mpc.event.SignRequestCompleted;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.bank.pipeline.domain.TxEvent;
import org.mpcwallet.bank.pipeline.domain.TxRequest;
import org.mpcwallet.bank.pipeline.domain.TxStatus;
import org.mpcwallet.bank.pipeline.kyt.Direction;
import org.mpcwallet.bank.pipeline.kyt.KytProvider;
import org.mpcwallet.bank.pipeline.kyt.KytResult;
import org.mpcwallet.bank.pipeline.kyt.ListKytProvider;
import org.mpcwallet.bank.pipeline.policy.PolicyDecision;
import org.mpcwallet.bank.pipeline.policy.PolicyEngine;
import org.mpcwallet.bank.pipeline.policy.PolicyInput;
import org.mpcwallet.bank.pipeline.policy.TransferRequest;
import org.mpcwallet.bank.pipeline.store.DailyVolumes;
import org.mpcwallet.bank.pipeline.store.NonceAllocator;
import org.mpcwallet.bank.pipeline.store.PolicyStore;
import org.mpcwallet.bank.pipeline.store.TxRequestStore;
import org.mpcwallet.bank.pipeline.store.TxRequestStore.Change;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves transaction requests along (docs/custody-pipeline.md): claims due requests with {@code for update skip
 * locked} (so any number of instances share the work without taking the same request) and applies one step to each,
 * in one transaction per request. External effects are idempotent: the nonce is reserved once per request, a
 * broadcast is recognised again by its hash.
 */
@Context
public class PipelineWorker {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineWorker.class);
    static final String ACTOR = "system:pipeline";
    static final Set<TxStatus> WORK = EnumSet.of(TxStatus.SUBMITTED, TxStatus.KYT_PENDING,
            TxStatus.POLICY_EVAL_PENDING, TxStatus.SIGN_PENDING, TxStatus.SIGNED, TxStatus.BROADCAST_PENDING,
            TxStatus.BROADCASTED, TxStatus.CONFIRMING, TxStatus.CONFIRMED);

    private final DataSource dataSource;
    private final WalletService wallets;
    private final SignRequestService signRequests;
    private final ApplicationEventPublisher<CosignRequested> cosignRequests;
    private final Transitions transitions;
    private final KytCaseService cases;
    private final ChainAccess chain;
    private final AuditLog audit;
    private final JsonMapper json;
    private final PipelineConfig config;
    private final org.mpcwallet.bank.mpc.app.RotationService rotations;
    private final KytProvider kyt;
    private final Periodic timer;
    /** The threads that step claimed requests at once ({@code workerThreads}). */
    private final java.util.concurrent.ExecutorService steppers;
    /** Effects to run once the current step's transaction committed (device notifications). */
    private final ThreadLocal<List<Runnable>> afterCommit = ThreadLocal.withInitial(java.util.ArrayList::new);

    public PipelineWorker(DataSource dataSource, WalletService wallets, SignRequestService signRequests,
                          ApplicationEventPublisher<CosignRequested> cosignRequests, Transitions transitions, KytCaseService cases, ChainAccess chain,
                          AuditLog audit, JsonMapper json, PipelineConfig config,
                          org.mpcwallet.bank.mpc.app.RotationService rotations) {
        this.rotations = rotations;
        this.dataSource = dataSource;
        this.wallets = wallets;
        this.signRequests = signRequests;
        this.cosignRequests = cosignRequests;
        this.transitions = transitions;
        this.cases = cases;
        this.chain = chain;
        this.audit = audit;
        this.json = json;
        this.config = config;
        this.kyt = new ListKytProvider(config.kytBlacklist(), config.kytGraylist());
        this.steppers = java.util.concurrent.Executors.newFixedThreadPool(config.workerThreads(),
                Thread.ofVirtual().name("pipeline-step-", 0).factory());
        this.timer = Periodic.every("pipeline-worker", config.workerIntervalMillis(), this::runQuietly);
    }

    @PreDestroy
    void stop() {
        timer.close();
        steppers.shutdown();
    }

    /**
     * A co-signing session of a transfer's sign request ended (the channel's event, after its commit): the transfer
     * is due now and the worker runs at once, instead of at the transfer's next poll.
     */
    @EventListener
    void onSignRequestCompleted(SignRequestCompleted e) {
        try {
            Transactions.inTransaction(dataSource, c -> {
                TxRequestStore.dueNow(c, e.signRequestId());
                return null;
            }, WalletService.WalletStoreException::new);
        } catch (RuntimeException ex) {
            LOG.warn("pipeline: marking the transfer of sign request {} due failed ({})", e.signRequestId(),
                    ex.getClass().getSimpleName());
        }
        timer.wake();
    }

    private void runQuietly() {
        try {
            if (runOnce() > 0) {
                timer.wake(); // more may be due at once (the next states of what moved): no wait for the interval
            }
        } catch (RuntimeException e) {
            LOG.warn("pipeline: a round failed ({}: {})", e.getClass().getSimpleName(), e.getMessage());
        }
    }

    /**
     * One round: claims up to the batch size of due requests and advances each (up to {@code workerThreads} at once,
     * each up to {@code stepsPerRound} steps while it moves and stays due); returns how many moved.
     */
    public int runOnce() {
        List<UUID> ids = Transactions.inTransaction(dataSource, c -> TxRequestStore.claim(c, WORK,
                config.workerBatch()).stream().map(TxRequest::id).toList(), WalletService.WalletStoreException::new);
        if (ids.size() <= 1 || config.workerThreads() == 1) {
            int moved = 0;
            for (UUID id : ids) {
                moved += advance(id) ? 1 : 0;
            }
            return moved;
        }
        List<java.util.concurrent.Callable<Boolean>> work = ids.stream()
                .<java.util.concurrent.Callable<Boolean>>map(id -> () -> advance(id)).toList();
        int moved = 0;
        try {
            for (java.util.concurrent.Future<Boolean> f : steppers.invokeAll(work)) {
                moved += Boolean.TRUE.equals(f.get()) ? 1 : 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("pipeline: a stepper failed ({})", e.getCause().getClass().getSimpleName());
        }
        return moved;
    }

    /** Steps one request while each step moves it and leaves it due, at most {@code stepsPerRound} times. */
    private boolean advance(UUID id) {
        boolean movedAtAll = false;
        for (int i = 0; i < config.stepsPerRound() && stepOnce(id); i++) {
            movedAtAll = true;
        }
        return movedAtAll;
    }

    /** One step of one request; its device notices go out once it committed; a failure is recorded on the row. */
    private boolean stepOnce(UUID id) {
        afterCommit.get().clear();
        try {
            boolean moved = Boolean.TRUE.equals(stepWithoutNodeCallsInTransaction(id));
            for (Runnable effect : afterCommit.get()) {
                effect.run();
            }
            return moved;
        } catch (RuntimeException e) {
            afterCommit.get().clear();
            LOG.warn("pipeline: step of {} failed ({}: {})", id, e.getClass().getSimpleName(), e.getMessage());
            Transactions.inTransaction(dataSource, c -> {
                try (PreparedStatement ps = c.prepareStatement("update tx_requests set last_error = ?, "
                        + "next_attempt_at = now() + interval '5 seconds' where id = ?")) {
                    ps.setString(1, clip(e.getClass().getSimpleName() + ": " + e.getMessage()));
                    ps.setObject(2, id);
                    ps.executeUpdate();
                }
                return null;
            }, WalletService.WalletStoreException::new);
            return false;
        }
    }

    /** The most node calls one step makes (receipt and broadcast; or chain id, gas, nonce and fees). */
    private static final int MAX_NODE_CALLS_PER_STEP = 8;

    /**
     * One step of one request in its own transaction, with no node call while that transaction (and the request's
     * row lock) is open: the node calls the step asks for are made between attempts ({@link NodeFacts}).
     */
    private Boolean stepWithoutNodeCallsInTransaction(UUID id) {
        NodeFacts node = new NodeFacts();
        while (true) {
            afterCommit.get().clear();
            try {
                return Transactions.inTransaction(dataSource, c -> {
                    // claim again under lock: another instance may have taken it since the listing
                    List<TxRequest> mine = claimOne(c, id);
                    return mine.isEmpty() ? false : step(c, mine.get(0), node);
                }, WalletService.WalletStoreException::new);
            } catch (NodeFacts.Needed needed) {
                if (node.size() >= MAX_NODE_CALLS_PER_STEP) {
                    throw new IllegalStateException("a step asked for more than " + MAX_NODE_CALLS_PER_STEP
                            + " node calls");
                }
                node.fetch(needed.call, chain); // rolled back: no transaction is open now
            }
        }
    }

    private static List<TxRequest> claimOne(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from tx_requests where id = ? and "
                + "next_attempt_at <= now() for update skip locked")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of();
                }
            }
        }
        return TxRequestStore.find(c, id, false).filter(r -> WORK.contains(r.status())).stream().toList();
    }

    /** One step of one request, in {@code c}'s transaction; true when it moved. */
    boolean step(Connection c, TxRequest r, NodeFacts node) throws SQLException {
        Instant now = Instant.now();
        return switch (r.status()) {
            case SUBMITTED -> transitions.apply(c, r, new TxEvent.Submitted(), now, ACTOR);
            case KYT_PENDING -> screen(c, r, now);
            case POLICY_EVAL_PENDING -> evaluatePolicies(c, r, now);
            case SIGN_PENDING -> signing(c, r, now, node);
            case SIGNED -> transitions.apply(c, r, new TxEvent.BroadcastQueued(), now, ACTOR);
            case BROADCAST_PENDING -> broadcast(c, r, now, node);
            case BROADCASTED -> mined(c, r, now, node);
            case CONFIRMING, CONFIRMED -> confirm(c, r, now, node);
            default -> false;
        };
    }

    // ---- KYT

    private boolean screen(Connection c, TxRequest r, Instant now) throws SQLException {
        KytResult result = kyt.screen(r.toAddress(), Direction.OUTBOUND);
        if (result.verdict() == KytResult.Verdict.ALLOW) {
            Optional<KytCaseService.KytCase> hold = cases.inboundHold(c, r.walletId());
            if (hold.isPresent()) {
                KytCaseService.KytCase k = hold.get();
                result = new KytResult(KytResult.Verdict.REVIEW, "the wallet holds a deposit "
                        + (k.status() == KytCaseService.Status.OPEN ? "under compliance review"
                        : "from a sender compliance blocked") + " (inbound case " + k.id() + ")", "inbound-hold");
            }
        }
        audit.append(c, ACTOR, "KYT_EVALUATED", AuditPayload.of(json, "txRequestId", r.id().toString(), "address",
                r.toAddress(), "direction", "OUTBOUND", "verdict", result.verdict().name(), "reason", result.reason(),
                "provider", result.provider()));
        UUID caseId = null;
        if (result.verdict() == KytResult.Verdict.REVIEW) {
            caseId = cases.open(c, r.toAddress(), "OUTBOUND", r.id(), null, result.reason(), result.provider());
        }
        return transitions.apply(c, r, new TxEvent.KytVerdict(result), now, ACTOR,
                new Change("kyt_verdict", result.verdict().name()), new Change("kyt_case_id", caseId));
    }

    // ---- policies

    private boolean evaluatePolicies(Connection c, TxRequest r, Instant now) throws SQLException {
        if (org.mpcwallet.bank.pipeline.store.SweepStore.sweepTarget(c, r.id()).isPresent()) {
            return sweepPolicy(c, r, now);
        }
        Wallet w = wallets.find(c, r.walletId());
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Map<String, BigInteger> used = new HashMap<>();
        used.put(r.asset(), DailyVolumes.used(c, r.walletId(), day, r.asset()));
        PolicyInput input = new PolicyInput(new TransferRequest(r.walletId(), w.type(), r.asset(), r.tokenAddress(),
                r.toAddress(), r.amount()), PolicyStore.allowlistOnly(c, r.walletId()),
                PolicyStore.inScope(c, r.walletId(), w.type()), used);
        PolicyDecision decision = PolicyEngine.evaluate(input);
        if (decision instanceof PolicyDecision.Allowed a) {
            // reserve the day's volume atomically (another request may have reserved since we read it)
            BigInteger limit = a.dailyLimit() == null ? null : a.dailyLimit().limit();
            if (!DailyVolumes.reserve(c, r.walletId(), day, r.asset(), r.amount(), limit)) {
                decision = new PolicyDecision.Blocked(org.mpcwallet.bank.pipeline.policy.PolicyCheck.DAILY_LIMIT,
                        a.dailyLimit(), "daily limit " + limit + " of " + r.asset() + " reached by concurrent requests");
            }
        }
        String result = decision instanceof PolicyDecision.Allowed ok
                ? (ok.requiredApprovals() > 0 ? "NEEDS_APPROVALS" : "ALLOWED") : "BLOCKED";
        String rules = String.join(",", decision.matchedRuleIds().stream().map(UUID::toString).toList());
        int required = decision instanceof PolicyDecision.Allowed ok ? ok.requiredApprovals() : 0;
        audit.append(c, ACTOR, "POLICY_EVALUATED", AuditPayload.of(json, "txRequestId", r.id().toString(), "result",
                result, "rules", rules, "requiredApprovals", required, "reason",
                decision instanceof PolicyDecision.Blocked b ? b.reason() : null));
        return transitions.apply(c, r, new TxEvent.PolicyVerdict(decision), now, ACTOR,
                new Change("policy_result", result), new Change("policy_rules", rules),
                new Change("required_approvals", required));
    }

    /**
     * A sweep (docs/key-rotation.md) pays the bank's own successor wallet, fixed by the rotation and enforced by the
     * signer, so limits and allowlists (made for payments to others) do not apply; it always needs one approval by
     * someone other than the ADMIN who created it.
     */
    private boolean sweepPolicy(Connection c, TxRequest r, Instant now) throws SQLException {
        PolicyDecision decision = new PolicyDecision.Allowed(SWEEP_APPROVALS, List.of(), null);
        audit.append(c, ACTOR, "POLICY_EVALUATED", AuditPayload.of(json, "txRequestId", r.id().toString(), "result",
                "NEEDS_APPROVALS", "rules", "sweep", "requiredApprovals", SWEEP_APPROVALS, "reason",
                "sweep of a retired key to its successor wallet"));
        return transitions.apply(c, r, new TxEvent.PolicyVerdict(decision), now, ACTOR,
                new Change("policy_result", "NEEDS_APPROVALS"), new Change("policy_rules", "sweep"),
                new Change("required_approvals", SWEEP_APPROVALS));
    }

    /** Approvals a sweep needs (besides its creator, who never approves). */
    static final int SWEEP_APPROVALS = 1;

    // ---- signing

    private boolean signing(Connection c, TxRequest r, Instant now, NodeFacts node) throws SQLException {
        if (!chain.configured()) {
            return later(c, r, "no Ethereum node configured (ETH_RPC_URL)", 30);
        }
        if (r.signRequestId() == null) {
            return prepareSignRequest(c, r, now, r.signFailures(), node);
        }
        Optional<SignRequest> sr = signRequests.findById(c, r.signRequestId());
        if (sr.isEmpty()) {
            return prepareSignRequest(c, r, now, r.signFailures(), node);
        }
        SignRequest s = sr.get();
        switch (s.status()) {
            case SIGNED -> {
                return transitions.apply(c, r, new TxEvent.SignatureReady(), now, ACTOR,
                        new Change("raw_transaction", s.rawTransaction()), new Change("tx_hash", s.txHash()));
            }
            case FAILED -> {
                if ("KEY_LOCKED".equals(s.failure())) {
                    return transitions.apply(c, r, new TxEvent.KeyLocked(), now, ACTOR,
                            new Change("last_error", "the wallet's key is locked after a failed signature"));
                }
                int failures = r.signFailures() + 1;
                return signFailed(c, r, now, failures, "sign request failed: " + s.failure());
            }
            default -> {
                int failed = signRequests.failedSessions(c, s.id());
                if (failed >= org.mpcwallet.bank.pipeline.domain.TxRequestMachine.MAX_SIGN_FAILURES) {
                    return signFailed(c, r, now, failed, failed + " co-signing sessions failed");
                }
                if (s.expired(now)) {
                    TxEvent e = new TxEvent.SignTimedOut();
                    if (transitions.apply(c, r, e, now, ACTOR)) {
                        TxRequest again = TxRequestStore.find(c, r.id(), false).orElseThrow();
                        prepareSignRequest(c, again, now, again.signFailures(), node);
                        return true;
                    }
                    return false;
                }
                // the channel's SignRequestCompleted event makes the transfer due as soon as a session ends; this
                // round is the fallback (a lost event) and notices the request's expiry
                long untilExpiry = java.time.Duration.between(now, s.expiresAt()).toSeconds() + 1;
                return later(c, r, null, (int) Math.max(1, Math.min(SIGN_PENDING_RECHECK_SECONDS, untilExpiry)));
            }
        }
    }

    /** How long a SIGN_PENDING transfer waits for its next look when no co-signing session ends. */
    static final int SIGN_PENDING_RECHECK_SECONDS = 10;

    private boolean signFailed(Connection c, TxRequest r, Instant now, int failures, String why) throws SQLException {
        boolean moved = transitions.apply(c, r, new TxEvent.SignFailed(Math.max(1, failures)), now, ACTOR,
                new Change("sign_failures", failures), new Change("last_error", clip(why)),
                new Change("sign_request_id", null));
        return moved;
    }

    /** Reserves the nonce (once per request), prices and builds the transaction, opens a sign request. */
    private boolean prepareSignRequest(Connection c, TxRequest r, Instant now, int failures, NodeFacts node)
            throws SQLException {
        Wallet w = wallets.find(c, r.walletId());
        if (wallets.keysetLocked(c, w.keysetId())
                && org.mpcwallet.bank.pipeline.store.SweepStore.sweepTarget(c, r.id()).isEmpty()) {
            // a locked key signs only its sweep: no nonce is reserved and no device is asked
            return transitions.apply(c, r, new TxEvent.KeyLocked(), now, ACTOR,
                    new Change("last_error", "the wallet's key is locked after a failed signature"));
        }
        String from = w.address();
        BigInteger chainId = BigInteger.valueOf(node.chainId());
        EthAddress to;
        BigInteger value;
        byte[] data;
        if (r.tokenAddress() == null) {
            to = EthAddress.parse(r.toAddress());
            value = r.amount();
            data = new byte[0];
        } else {
            to = EthAddress.parse(r.tokenAddress());
            value = BigInteger.ZERO;
            data = Erc20.transferCalldata(EthAddress.parse(r.toAddress()), r.amount());
        }
        // the gas is estimated before a nonce is reserved: a transfer the node refuses reserves none
        ChainResult<BigInteger> estimate = node.estimateGas(from, to.toLowerHex(), value,
                "0x" + HexFormat.of().formatHex(data));
        if (estimate instanceof ChainResult.Failed<BigInteger> refused
                && refused.failure().kind() == ChainFailure.Kind.NODE_ERROR) {
            // the node understood the transfer and refuses it (it reverts, or the wallet cannot pay value and gas):
            // the same transfer will not succeed by retrying forever (issue 10 §5); after MAX_SIGN_FAILURES such
            // refusals the request ends FAILED_SIGN with the node's reason
            return signFailed(c, r, now, r.signFailures() + 1, "the node refused the transfer when estimating its "
                    + "gas: " + refused.failure().message());
        }
        BigInteger gas = value(estimate, "gas estimate");
        BigInteger nonce = r.nonce() != null ? r.nonce()
                : NonceAllocator.reserve(c, chainId, from, () -> value(node.pendingNonce(from), "nonce"));
        FeeOracle.FeeQuote quote = node.feeQuote();
        if (!(quote instanceof FeeOracle.FeeQuote.Quoted q)) {
            return later(c, r, "fees: " + quote, 10, new Change("nonce", nonce), new Change("chain_id", chainId));
        }
        gas = gas.multiply(BigInteger.valueOf(12)).divide(BigInteger.TEN); // 20 % headroom
        FeeOracle.Fees fees = q.fees();
        // a node without EIP-1559 (no base fee) gets a legacy EIP-155 transaction at the quoted gas price
        EthTransaction tx = fees.legacy()
                ? new LegacyTransaction(chainId, nonce, fees.maxFeePerGas(), gas, to, value, data)
                : new Eip1559Transaction(chainId, nonce, fees.maxPriorityFeePerGas(), fees.maxFeePerGas(), gas, to,
                        value, data);
        SignRequest s = signRequests.createForTxRequest(c, r.walletId(), tx, r.id(), r.createdBy());
        TxRequestStore.update(c, r, r.status(), now.plusSeconds(2), new Change("chain_id", chainId),
                new Change("nonce", nonce), new Change("tx_type", tx.type().name()),
                new Change("max_fee_per_gas", fees.legacy() ? null : fees.maxFeePerGas()),
                new Change("max_priority_fee_per_gas", fees.legacy() ? null : fees.maxPriorityFeePerGas()),
                new Change("gas_price", fees.legacy() ? fees.maxFeePerGas() : null), new Change("gas_limit", gas),
                new Change("sign_request_id", s.id()), new Change("sign_failures", failures));
        audit.append(c, ACTOR, "COSIGN_REQUESTED", AuditPayload.of(json, "txRequestId", r.id().toString(),
                "requestId", s.id().toString(), "type", tx.type().name(), "nonce", nonce.toString(),
                fees.legacy() ? "gasPrice" : "maxFeePerGas", fees.maxFeePerGas().toString(), "gasLimit",
                gas.toString(), "signingHash", HexFormat.of().formatHex(s.signingHash())));
        // delivered on another thread: the worker never waits for a device connection
        afterCommit.get().add(() -> cosignRequests.publishEventAsync(new CosignRequested(r.walletId(), r.id(), s.id())));
        return true;
    }

    // ---- chain

    private boolean broadcast(Connection c, TxRequest r, Instant now, NodeFacts node) throws SQLException {
        String hash = r.txHashHex();
        String raw = "0x" + HexFormat.of().formatHex(r.rawTransaction());
        // a transaction already on chain (e.g. sent before a crash) is found by its hash, never sent anew
        Optional<ChainReceipt> mined = receipt(node, hash);
        if (mined.isPresent()) {
            return transitions.apply(c, r, new TxEvent.Mined(mined.get().blockNumber()), now, ACTOR,
                    new Change("block_number", mined.get().blockNumber()));
        }
        BroadcastResult result = node.broadcast(raw, hash);
        int attempts = r.broadcastAttempts() + 1;
        audit.append(c, ACTOR, "TX_BROADCAST", AuditPayload.of(json, "txRequestId", r.id().toString(), "txHash", hash,
                "attempt", attempts, "result", result.getClass().getSimpleName(), "detail", clip(result.toString())));
        return switch (result) {
            case BroadcastResult.Accepted a -> transitions.apply(c, r, new TxEvent.BroadcastAccepted(hash), now,
                    ACTOR, new Change("broadcast_attempts", attempts), new Change("last_error", null));
            case BroadcastResult.AlreadyKnown k -> transitions.apply(c, r, new TxEvent.BroadcastAccepted(hash), now,
                    ACTOR, new Change("broadcast_attempts", attempts), new Change("last_error", null));
            case BroadcastResult.Transient t -> transitions.apply(c, r,
                    new TxEvent.BroadcastFailed(TxEvent.BroadcastFailed.Kind.TRANSIENT),
                    now.plusSeconds(Math.min(60, 1L << Math.min(attempts, 6))), ACTOR,
                    new Change("broadcast_attempts", attempts), new Change("last_error", clip(t.reason())));
            case BroadcastResult.Permanent p -> transitions.apply(c, r,
                    new TxEvent.BroadcastFailed(TxEvent.BroadcastFailed.Kind.PERMANENT), now, ACTOR,
                    new Change("broadcast_attempts", attempts), new Change("last_error", clip(p.reason())));
        };
    }

    private boolean mined(Connection c, TxRequest r, Instant now, NodeFacts node) throws SQLException {
        Optional<ChainReceipt> receipt = receipt(node, r.txHashHex());
        if (receipt.isEmpty()) {
            return later(c, r, null, 1);
        }
        return transitions.apply(c, r, new TxEvent.Mined(receipt.get().blockNumber()), now, ACTOR,
                new Change("block_number", receipt.get().blockNumber()));
    }

    private boolean confirm(Connection c, TxRequest r, Instant now, NodeFacts node) throws SQLException {
        ReceiptCheck.Status status = node.recheck(r.txHashHex());
        return switch (status) {
            case ReceiptCheck.Status.Missing m -> transitions.apply(c, r, new TxEvent.Reorged(), now, ACTOR,
                    new Change("block_number", null), new Change("confirmations", 0),
                    new Change("last_error", "the transaction left the chain (reorg); waiting for it again"));
            case ReceiptCheck.Status.Unavailable u -> later(c, r, clip(u.reason()), 5);
            case ReceiptCheck.Status.Included inc -> {
                int n = (int) Math.min(Integer.MAX_VALUE, inc.confirmations());
                if (r.status() == TxStatus.CONFIRMED) {
                    audit.append(c, ACTOR, "TX_FINALIZED", AuditPayload.of(json, "txRequestId", r.id().toString(),
                            "txHash", r.txHashHex(), "block", inc.receipt().blockNumber(), "confirmations", n,
                            "success", inc.receipt().success()));
                    boolean finalized = transitions.apply(c, r, new TxEvent.Finalized(), now, ACTOR,
                            new Change("confirmations", n));
                    if (finalized) {
                        rotations.afterFinalized(c, r);
                    }
                    yield finalized;
                }
                boolean moved = transitions.apply(c, r, new TxEvent.Confirmations(Math.max(0, n),
                        config.confirmationBlocks()), now.plusSeconds(1), ACTOR, new Change("confirmations", n),
                        new Change("block_number", inc.receipt().blockNumber()));
                if (moved && n >= config.confirmationBlocks()) {
                    audit.append(c, ACTOR, "TX_CONFIRMED", AuditPayload.of(json, "txRequestId", r.id().toString(),
                            "txHash", r.txHashHex(), "block", inc.receipt().blockNumber(), "confirmations", n));
                }
                yield moved;
            }
        };
    }

    private static Optional<ChainReceipt> receipt(NodeFacts node, String hash) {
        ChainResult<Optional<ChainReceipt>> r = node.receipt(hash);
        return r instanceof ChainResult.Ok<Optional<ChainReceipt>> ok ? ok.value() : Optional.empty();
    }

    private static <T> T value(ChainResult<T> r, String what) {
        if (r instanceof ChainResult.Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("the node failed on " + what + ": " + r);
    }

    private boolean later(Connection c, TxRequest r, String why, int seconds, Change... more) throws SQLException {
        Change[] changes = new Change[more.length + (why == null ? 0 : 1)];
        System.arraycopy(more, 0, changes, 0, more.length);
        if (why != null) {
            changes[more.length] = new Change("last_error", clip(why));
        }
        TxRequestStore.update(c, r, r.status(), Instant.now().plusSeconds(seconds), changes);
        return false;
    }

    static String clip(String s) {
        if (s == null) {
            return null;
        }
        String t = s.replaceAll("\\p{Cntrl}", " ");
        return t.length() > 300 ? t.substring(0, 300) : t;
    }
}
