package org.mpcwallet.bank.pipeline.transfer.domain;

import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.APPROVAL_PENDING;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.BROADCASTED;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.BROADCAST_PENDING;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.CONFIRMED;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.CONFIRMING;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.FAILED_BROADCAST;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.FAILED_SIGN;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.FINALIZED;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.KYT_BLOCKED;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.KYT_PENDING;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.KYT_REVIEW;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.POLICY_BLOCKED;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.POLICY_EVAL_PENDING;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.REJECTED;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.SIGNED;
import static org.mpcwallet.bank.pipeline.transfer.domain.TxStatus.SIGN_PENDING;

import org.mpcwallet.bank.pipeline.policy.domain.PolicyDecision;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.BroadcastAccepted;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.BroadcastFailed;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.BroadcastQueued;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.CaseResolved;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.Confirmations;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.Finalized;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.KeyLocked;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.KytVerdict;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.Mined;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.PolicyVerdict;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.Reorged;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.Retry;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.SignFailed;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.SignTimedOut;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.SignatureReady;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.Submitted;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent.Vote;
import org.mpcwallet.bank.pipeline.transfer.domain.TxTransition.Move;
import org.mpcwallet.bank.pipeline.transfer.domain.TxTransition.Refused;

/**
 * The transaction request's state machine (docs/custody-pipeline.md "State machine"), as one pure, total function:
 * {@link #next} answers every (status, event) pair, null included, with a value and never throws. The caller persists
 * a {@link Move} (optimistic lock on {@code version}, with its audit event, in one transaction) and drops a
 * {@link Refused} event (logging or answering it, nothing else).
 *
 * <p>The whole table; every pair not listed is refused:
 * <pre>
 * SUBMITTED           Submitted                     -&gt; KYT_PENDING
 * KYT_PENDING         KytVerdict ALLOW              -&gt; POLICY_EVAL_PENDING
 *                     KytVerdict REVIEW             -&gt; KYT_REVIEW (a case is opened)
 *                     KytVerdict BLOCK              -&gt; KYT_BLOCKED
 * KYT_REVIEW          CaseResolved ALLOW            -&gt; POLICY_EVAL_PENDING
 *                     CaseResolved BLOCK            -&gt; KYT_BLOCKED
 * POLICY_EVAL_PENDING PolicyVerdict Allowed(0)      -&gt; SIGN_PENDING
 *                     PolicyVerdict Allowed(n &gt; 0)  -&gt; APPROVAL_PENDING
 *                     PolicyVerdict Blocked         -&gt; POLICY_BLOCKED
 * APPROVAL_PENDING    Vote APPROVE, count &lt; needed  -&gt; APPROVAL_PENDING (stays)
 *                     Vote APPROVE, count &gt;= needed -&gt; SIGN_PENDING
 *                     Vote REJECT                   -&gt; REJECTED (any one rejection ends it)
 *                     ApprovalExpired               -&gt; REJECTED (the approval window passed)
 * SIGN_PENDING        SignatureReady                -&gt; SIGNED
 *                     SignTimedOut                  -&gt; SIGN_PENDING (new sign request, same nonce; not a failure)
 *                     SignFailed(n &lt; 3)             -&gt; SIGN_PENDING
 *                     SignFailed(n &gt;= 3)            -&gt; FAILED_SIGN
 *                     KeyLocked                     -&gt; FAILED_SIGN
 * SIGNED              BroadcastQueued               -&gt; BROADCAST_PENDING
 * BROADCAST_PENDING   BroadcastAccepted             -&gt; BROADCASTED
 *                     BroadcastFailed TRANSIENT     -&gt; BROADCAST_PENDING (retried with backoff, no cap here)
 *                     BroadcastFailed PERMANENT     -&gt; FAILED_BROADCAST
 *                     Mined                         -&gt; CONFIRMING (found on chain by its hash)
 * BROADCASTED         Mined                         -&gt; CONFIRMING
 * CONFIRMING          Confirmations n &lt; required    -&gt; CONFIRMING (stays)
 *                     Confirmations n &gt;= required   -&gt; CONFIRMED
 *                     Reorged                       -&gt; BROADCASTED
 * CONFIRMED           Finalized                     -&gt; FINALIZED
 *                     Reorged                       -&gt; BROADCASTED
 * FAILED_BROADCAST    Retry (operator)              -&gt; BROADCAST_PENDING
 *                     Mined                         -&gt; CONFIRMING (the chain overrides the failure)
 * FINALIZED, KYT_BLOCKED, POLICY_BLOCKED, REJECTED, FAILED_SIGN: terminal, refuse everything
 * </pre>
 *
 * <p>Edge rules, and why:
 * <ul>
 * <li>Events are never replayed into a move: a repeated event (a second SignatureReady, BroadcastAccepted at
 * BROADCASTED, Confirmations at CONFIRMED) is refused, so the caller can treat a refusal as "already done or out of
 * order" and change nothing.</li>
 * <li>KeyLocked applies only at SIGN_PENDING, where the key would be used; earlier statuses meet the lock when they
 * reach SIGN_PENDING. From SIGNED on it is refused: a signature made under a valid permit is not revoked by a later
 * lock, and the transfer proceeds (the incident is handled apart).</li>
 * <li>SIGNED needs BroadcastQueued before anything is sent, so the broadcast is reserved (BROADCAST_PENDING committed)
 * before the node is called: a crash after that re-broadcasts the same raw transaction (idempotent by hash) and
 * never re-signs.</li>
 * <li>Mined is accepted at BROADCAST_PENDING and FAILED_BROADCAST too: a transaction found on chain by its hash was
 * sent (a crash before BroadcastAccepted was stored, or a misread error), and the chain is the truth.</li>
 * <li>FAILED_BROADCAST is not terminal: Retry (built only by the operator endpoint) re-queues it. FAILED_SIGN is
 * terminal: the nonce stays reserved for a replacement decided outside this machine.</li>
 * <li>Reorged takes a mined transaction (CONFIRMING or CONFIRMED) back to BROADCASTED, where Mined is expected
 * again; it is refused before Mined and after FINALIZED.</li>
 * </ul>
 */
public final class TxRequestMachine {
    /** A request fails for good at its this-many-th signing failure. */
    public static final int MAX_SIGN_FAILURES = 3;

    private TxRequestMachine() {
    }

    /** The transition for {@code event} at {@code state}: a {@link Move} or a {@link Refused}, never null. */
    public static TxTransition next(TxStatus state, TxEvent event) {
        if (state == null) {
            return new Refused("no current status");
        }
        if (event == null) {
            return new Refused("no event");
        }
        if (state.terminal()) {
            return new Refused(state + " is terminal");
        }
        TxTransition t = switch (state) {
            case SUBMITTED -> event instanceof Submitted ? move(KYT_PENDING, "queued for KYT screening") : null;
            case KYT_PENDING -> event instanceof KytVerdict v ? kyt(v) : null;
            case KYT_REVIEW -> event instanceof CaseResolved c ? caseResolved(c) : null;
            case POLICY_EVAL_PENDING -> event instanceof PolicyVerdict p ? policy(p.decision()) : null;
            case APPROVAL_PENDING -> event instanceof Vote v ? vote(v)
                    : event instanceof TxEvent.ApprovalExpired e ? move(REJECTED, "expired: not approved within "
                    + e.windowHours() + " h") : null;
            case SIGN_PENDING -> signing(event);
            case SIGNED -> event instanceof BroadcastQueued
                    ? move(BROADCAST_PENDING, "signed; broadcast reserved") : null;
            case BROADCAST_PENDING -> broadcasting(event);
            case BROADCASTED -> event instanceof Mined m ? mined(m) : null;
            case CONFIRMING -> confirming(event);
            case CONFIRMED -> event instanceof Finalized
                    ? move(FINALIZED, "receipt re-checked at the required depth")
                    : event instanceof Reorged ? reorged() : null;
            case FAILED_BROADCAST -> event instanceof Retry r
                    ? move(BROADCAST_PENDING, "broadcast retry requested by operator " + r.operator())
                    : event instanceof Mined m ? mined(m) : null;
            case FINALIZED, KYT_BLOCKED, POLICY_BLOCKED, REJECTED, FAILED_SIGN -> null; // terminal, handled above
        };
        return t != null ? t : new Refused(event.getClass().getSimpleName() + " does not apply to " + state);
    }

    private static TxTransition kyt(KytVerdict v) {
        String why = "KYT (" + v.result().provider() + "): " + v.result().reason();
        return switch (v.result().verdict()) {
            case ALLOW -> move(POLICY_EVAL_PENDING, why);
            case REVIEW -> move(KYT_REVIEW, why);
            case BLOCK -> move(KYT_BLOCKED, why);
        };
    }

    private static TxTransition caseResolved(CaseResolved c) {
        return switch (c.resolution()) {
            case ALLOW -> move(POLICY_EVAL_PENDING, "KYT case resolved: allowed");
            case BLOCK -> move(KYT_BLOCKED, "KYT case resolved: blocked");
        };
    }

    private static TxTransition policy(PolicyDecision d) {
        return switch (d) {
            case PolicyDecision.Blocked b -> move(POLICY_BLOCKED, "policy " + b.check() + ": " + b.reason());
            case PolicyDecision.Allowed a when a.requiredApprovals() == 0 ->
                    move(SIGN_PENDING, "policy allowed, no approvals required");
            case PolicyDecision.Allowed a ->
                    move(APPROVAL_PENDING, "policy allowed, " + a.requiredApprovals() + " approval(s) required");
        };
    }

    private static TxTransition vote(Vote v) {
        if (v.decision() == Vote.Decision.REJECT) {
            return move(REJECTED, "rejected by an approver");
        }
        String count = v.approvals() + " of " + v.required() + " approval(s)";
        return v.approvals() >= v.required() ? move(SIGN_PENDING, count + ": approved")
                : move(APPROVAL_PENDING, count);
    }

    private static TxTransition signing(TxEvent event) {
        return switch (event) {
            case SignatureReady s -> move(SIGNED, "signature ready");
            case SignTimedOut s -> move(SIGN_PENDING, "sign request expired; a new one is made with the same nonce");
            case SignFailed f when f.failures() >= MAX_SIGN_FAILURES ->
                    move(FAILED_SIGN, "signing failed " + f.failures() + " times");
            case SignFailed f -> move(SIGN_PENDING, "signing failed " + f.failures() + " time(s) of "
                    + MAX_SIGN_FAILURES + "; retrying");
            case KeyLocked k -> move(FAILED_SIGN, "the wallet's key is locked");
            default -> null;
        };
    }

    private static TxTransition broadcasting(TxEvent event) {
        return switch (event) {
            case BroadcastAccepted a -> move(BROADCASTED, "broadcast accepted: " + a.txHash());
            case BroadcastFailed f when f.kind() == BroadcastFailed.Kind.TRANSIENT ->
                    move(BROADCAST_PENDING, "broadcast failed transiently; will retry");
            case BroadcastFailed f -> move(FAILED_BROADCAST, "broadcast failed permanently; an operator may retry");
            case Mined m -> mined(m);
            default -> null;
        };
    }

    private static TxTransition confirming(TxEvent event) {
        return switch (event) {
            case Confirmations c when c.confirmations() >= c.required() ->
                    move(CONFIRMED, c.confirmations() + " of " + c.required() + " confirmations");
            case Confirmations c -> move(CONFIRMING, c.confirmations() + " of " + c.required() + " confirmations");
            case Reorged r -> reorged();
            default -> null;
        };
    }

    private static TxTransition mined(Mined m) {
        return move(CONFIRMING, "mined in block " + m.blockNumber());
    }

    private static TxTransition reorged() {
        return move(BROADCASTED, "reorged out of the canonical chain; waiting to be mined again");
    }

    private static TxTransition move(TxStatus to, String reason) {
        return new Move(to, reason);
    }
}
