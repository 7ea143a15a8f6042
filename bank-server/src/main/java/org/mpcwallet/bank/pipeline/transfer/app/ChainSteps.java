package org.mpcwallet.bank.pipeline.transfer.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.HexFormat;
import java.util.Optional;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.chain.BroadcastResult;
import org.mpcwallet.bank.chain.ChainReceipt;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.ReceiptCheck;
import org.mpcwallet.bank.pipeline.PipelineConfig;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.domain.TxStatus;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository.Change;

/**
 * The pipeline's chain steps (docs/custody-pipeline.md): the broadcast (a transaction already on chain is found by
 * its hash, never sent anew), the receipt, confirmations, reorgs and FINALIZED (then a sweep's rotation is closed).
 * Node answers come from {@link NodeFacts}, fetched with no transaction open.
 */
@Singleton
class ChainSteps {
    static final String ACTOR = PipelineWorker.ACTOR;

    private final Transitions transitions;
    private final AuditLog audit;
    private final JsonMapper json;
    private final PipelineConfig config;
    private final org.mpcwallet.bank.mpc.app.RotationService rotations;
    private final TxRequestRepository requests;

    ChainSteps(Transitions transitions, AuditLog audit, JsonMapper json, PipelineConfig config,
                org.mpcwallet.bank.mpc.app.RotationService rotations, TxRequestRepository requests) {
        this.transitions = transitions;
        this.audit = audit;
        this.json = json;
        this.config = config;
        this.rotations = rotations;
        this.requests = requests;
    }

    // ---- chain

    boolean broadcast(TxRequest r, Instant now, NodeFacts node) throws SQLException {
        String hash = r.txHashHex();
        String raw = "0x" + HexFormat.of().formatHex(r.rawTransaction());
        // a transaction already on chain (e.g. sent before a crash) is found by its hash, never sent anew
        Optional<ChainReceipt> mined = receipt(node, hash);
        if (mined.isPresent()) {
            return transitions.apply(r, new TxEvent.Mined(mined.get().blockNumber()), now, ACTOR,
                    Change.blockNumber(mined.get().blockNumber()));
        }
        BroadcastResult result = node.broadcast(raw, hash);
        int attempts = r.broadcastAttempts() + 1;
        audit.appendInTransaction(ACTOR, "TX_BROADCAST", AuditPayload.of(json, "txRequestId", r.id().toString(),
                "txHash", hash, "attempt", attempts, "result", result.getClass().getSimpleName(), "detail",
                Steps.clip(result.toString())));
        return switch (result) {
            case BroadcastResult.Accepted a -> transitions.apply(r, new TxEvent.BroadcastAccepted(hash), now,
                    ACTOR, Change.broadcastAttempts(attempts), Change.lastError(null));
            case BroadcastResult.AlreadyKnown k -> transitions.apply(r, new TxEvent.BroadcastAccepted(hash), now,
                    ACTOR, Change.broadcastAttempts(attempts), Change.lastError(null));
            case BroadcastResult.Transient t -> transitions.apply(r,
                    new TxEvent.BroadcastFailed(TxEvent.BroadcastFailed.Kind.TRANSIENT),
                    now.plusSeconds(Math.min(60, 1L << Math.min(attempts, 6))), ACTOR,
                    Change.broadcastAttempts(attempts), Change.lastError(Steps.clip(t.reason())));
            case BroadcastResult.Permanent p -> transitions.apply(r,
                    new TxEvent.BroadcastFailed(TxEvent.BroadcastFailed.Kind.PERMANENT), now, ACTOR,
                    Change.broadcastAttempts(attempts), Change.lastError(Steps.clip(p.reason())));
        };
    }

    boolean mined(TxRequest r, Instant now, NodeFacts node) throws SQLException {
        Optional<ChainReceipt> receipt = receipt(node, r.txHashHex());
        if (receipt.isEmpty()) {
            return Steps.later(requests, r, null, 1);
        }
        return transitions.apply(r, new TxEvent.Mined(receipt.get().blockNumber()), now, ACTOR,
                Change.blockNumber(receipt.get().blockNumber()));
    }

    /**
     * A confirmation step; once FINALIZED, a sweep's wallet is looked at for retirement after the transaction
     * committed ({@code afterCommit}: the signer is asked outside any transaction).
     */
    boolean confirm(TxRequest r, Instant now, NodeFacts node, List<Runnable> afterCommit)
            throws SQLException {
        ReceiptCheck.Status status = node.recheck(r.txHashHex());
        return switch (status) {
            case ReceiptCheck.Status.Missing m -> transitions.apply(r, new TxEvent.Reorged(), now, ACTOR,
                    Change.blockNumber(null), Change.confirmations(0),
                    Change.lastError("the transaction left the chain (reorg); waiting for it again"));
            case ReceiptCheck.Status.Unavailable u -> Steps.later(requests, r, Steps.clip(u.reason()), 5);
            case ReceiptCheck.Status.Included inc -> {
                int n = (int) Math.min(Integer.MAX_VALUE, inc.confirmations());
                if (r.status() == TxStatus.CONFIRMED) {
                    audit.appendInTransaction(ACTOR, "TX_FINALIZED", AuditPayload.of(json, "txRequestId",
                            r.id().toString(), "txHash", r.txHashHex(), "block", inc.receipt().blockNumber(),
                            "confirmations", n, "success", inc.receipt().success()));
                    boolean finalized = transitions.apply(r, new TxEvent.Finalized(), now, ACTOR,
                            Change.confirmations(n));
                    if (finalized) {
                        afterCommit.add(() -> rotations.afterFinalizedCommitted(r));
                    }
                    yield finalized;
                }
                boolean moved = transitions.apply(r, new TxEvent.Confirmations(Math.max(0, n),
                        config.confirmationBlocks()), now.plusSeconds(1), ACTOR, Change.confirmations(n),
                        Change.blockNumber(inc.receipt().blockNumber()));
                if (moved && n >= config.confirmationBlocks()) {
                    audit.appendInTransaction(ACTOR, "TX_CONFIRMED", AuditPayload.of(json, "txRequestId",
                            r.id().toString(), "txHash", r.txHashHex(), "block", inc.receipt().blockNumber(),
                            "confirmations", n));
                }
                yield moved;
            }
        };
    }

    private static Optional<ChainReceipt> receipt(NodeFacts node, String hash) {
        ChainResult<Optional<ChainReceipt>> r = node.receipt(hash);
        return r instanceof ChainResult.Ok<Optional<ChainReceipt>> ok ? ok.value() : Optional.empty();
    }

}
