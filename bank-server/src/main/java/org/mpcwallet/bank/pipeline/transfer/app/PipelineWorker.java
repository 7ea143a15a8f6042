package org.mpcwallet.bank.pipeline.transfer.app;

import io.micronaut.context.annotation.Context;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.mpc.event.SignRequestCompleted;
import org.mpcwallet.bank.pipeline.ChainAccess;
import org.mpcwallet.bank.pipeline.PipelineConfig;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.domain.TxStatus;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository;
import org.mpcwallet.bank.sched.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves transaction requests along (docs/custody-pipeline.md): claims due requests with {@code for update skip
 * locked} (so any number of instances share the work without taking the same request) and advances each, one step
 * per transaction, with no node call while that transaction is open ({@link NodeFacts}). The steps themselves are
 * {@link ScreeningSteps} (KYT, policies), {@link SigningSteps} and {@link ChainSteps}; the state machine is
 * {@code TxRequestMachine}. External effects are idempotent: the nonce is reserved once per request, a broadcast is
 * recognised again by its hash.
 */
@Context
public class PipelineWorker {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineWorker.class);
    static final String ACTOR = "system:pipeline";
    static final Set<TxStatus> WORK = EnumSet.of(TxStatus.SUBMITTED, TxStatus.KYT_PENDING,
            TxStatus.POLICY_EVAL_PENDING, TxStatus.APPROVAL_PENDING, TxStatus.SIGN_PENDING, TxStatus.SIGNED,
            TxStatus.BROADCAST_PENDING, TxStatus.BROADCASTED, TxStatus.CONFIRMING, TxStatus.CONFIRMED);

    private final TransactionRunner transactions;
    private final ChainAccess chain;
    private final PipelineConfig config;
    private final ScreeningSteps screening;
    private final SigningSteps signing;
    private final ChainSteps chainSteps;
    private final Transitions transitions;
    private final TxRequestRepository requests;
    private final Periodic timer;
    /** The threads that step claimed requests at once ({@code workerThreads}). */
    private final java.util.concurrent.ExecutorService steppers;
    /** Effects to run once the current step's transaction committed (device notifications, a swept key's end). */
    private final ThreadLocal<List<Runnable>> afterCommit = ThreadLocal.withInitial(java.util.ArrayList::new);

    public PipelineWorker(TransactionRunner transactions, ChainAccess chain, PipelineConfig config,
                          ScreeningSteps screening, SigningSteps signing, ChainSteps chainSteps,
                          Transitions transitions, TxRequestRepository requests) {
        this.transactions = transactions;
        this.chain = chain;
        this.config = config;
        this.screening = screening;
        this.signing = signing;
        this.chainSteps = chainSteps;
        this.transitions = transitions;
        this.requests = requests;
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
            transactions.run(() -> requests.dueNow(e.signRequestId()));
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
        List<UUID> ids = transactions.inTransaction(() -> requests.claim(WORK,
                config.workerBatch()).stream().map(TxRequest::id).toList());
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

    /**
     * One step of one request; its effects (device notices, a swept key's end) run once it committed; a failure of
     * the step is recorded on the row — not one of an effect: the step stands committed, the effect is logged.
     */
    private boolean stepOnce(UUID id) {
        afterCommit.get().clear();
        boolean moved;
        try {
            moved = Boolean.TRUE.equals(stepWithoutNodeCallsInTransaction(id));
        } catch (RuntimeException e) {
            afterCommit.get().clear();
            LOG.warn("pipeline: step of {} failed ({}: {})", id, e.getClass().getSimpleName(), e.getMessage());
            transactions.run(() -> requests.stepFailed(id, Steps.clip(e.getClass().getSimpleName() + ": "
                    + e.getMessage()), 5));
            return false;
        }
        List<Runnable> effects = List.copyOf(afterCommit.get());
        afterCommit.get().clear();
        for (Runnable effect : effects) {
            try {
                effect.run();
            } catch (RuntimeException e) {
                LOG.warn("pipeline: an effect after the committed step of {} failed ({}: {})", id,
                        e.getClass().getSimpleName(), e.getMessage());
            }
        }
        return moved;
    }

    /** The most node calls one step makes (receipt and broadcast; or chain id, gas, nonce and fees). */
    private static final int MAX_NODE_CALLS_PER_STEP = 8;

    /**
     * One step of one request in its own transaction, with no node call while that transaction (and the request's
     * row lock) is open: the node calls the step asks for are made between attempts ({@link NodeFacts}).
     */
    private Boolean stepWithoutNodeCallsInTransaction(UUID id) {
        NodeFacts node = new NodeFacts(chain.knownChainId());
        while (true) {
            afterCommit.get().clear();
            try {
                return transactions.inTransaction(() -> {
                    // claim again under lock: another instance may have taken it since the listing
                    List<TxRequest> mine = claimOne(id);
                    return mine.isEmpty() ? false : step(mine.get(0), node);
                });
            } catch (NodeFacts.Needed needed) {
                if (node.size() >= MAX_NODE_CALLS_PER_STEP) {
                    throw new IllegalStateException("a step asked for more than " + MAX_NODE_CALLS_PER_STEP
                            + " node calls");
                }
                node.fetchWithCompanions(needed.call, chain); // rolled back: no transaction is open now
            }
        }
    }

    private List<TxRequest> claimOne(UUID id) {
        if (!requests.lockIfDue(id)) {
            return List.of();
        }
        return requests.find(id, false).filter(r -> WORK.contains(r.status())).stream().toList();
    }

    /**
     * A transfer waiting for votes: rejected as expired once the approval window since it entered APPROVAL_PENDING
     * passed; before that, not due again until then (votes move it by themselves).
     */
    private boolean expireOrWait(TxRequest r, Instant now) throws SQLException {
        Instant expires = requests.statusSince(r.id()).plus(java.time.Duration.ofHours(
                config.approvalWindowHours()));
        if (now.isBefore(expires)) {
            requests.dueAt(r.id(), expires);
            return false;
        }
        return transitions.apply(r, new TxEvent.ApprovalExpired(config.approvalWindowHours()), now, ACTOR);
    }

    /** One step of one request, in the caller's transaction; true when it moved. */
    boolean step(TxRequest r, NodeFacts node) throws SQLException {
        Instant now = Instant.now();
        return switch (r.status()) {
            case SUBMITTED -> transitions.apply(r, new TxEvent.Submitted(), now, ACTOR);
            case KYT_PENDING -> screening.screen(r, now);
            case POLICY_EVAL_PENDING -> screening.evaluatePolicies(r, now);
            case APPROVAL_PENDING -> expireOrWait(r, now);
            case SIGN_PENDING -> signing.signing(r, now, node, afterCommit.get());
            case SIGNED -> transitions.apply(r, new TxEvent.BroadcastQueued(), now, ACTOR);
            case BROADCAST_PENDING -> chainSteps.broadcast(r, now, node);
            case BROADCASTED -> chainSteps.mined(r, now, node);
            case CONFIRMING, CONFIRMED -> chainSteps.confirm(r, now, node, afterCommit.get());
            default -> false;
        };
    }
}
