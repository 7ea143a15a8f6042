package org.mpcwallet.bank.pipeline.transfer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.pipeline.kyt.domain.KytResult;
import org.mpcwallet.bank.pipeline.policy.domain.Policy;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyCheck;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyDecision;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyScope;
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
 * {@link TxRequestMachine} over every status x every kind of event (each event with the payload variants that lead
 * to different answers). The expected table below is the whole behaviour: any change to the machine changes it.
 */
class TxRequestMachineTest {
    private static final String HASH = "0x" + "ab".repeat(32);
    private static final Policy APPROVAL_RULE = Policy.approvalRequired(
            UUID.fromString("00000000-0000-0000-0000-00000000000a"), new PolicyScope.Global(), null, 2);
    private static final Policy DENY_RULE = Policy.addressDenylist(
            UUID.fromString("00000000-0000-0000-0000-00000000000b"), new PolicyScope.Global(), null,
            "0x" + "11".repeat(20));

    /** One representative of every event kind and payload variant, by label. */
    private static final Map<String, TxEvent> EVENTS = new LinkedHashMap<>();

    static {
        EVENTS.put("Submitted", new Submitted());
        EVENTS.put("KytVerdict(ALLOW)", new KytVerdict(new KytResult(KytResult.Verdict.ALLOW, "clean", "list")));
        EVENTS.put("KytVerdict(REVIEW)", new KytVerdict(new KytResult(KytResult.Verdict.REVIEW, "grey", "list")));
        EVENTS.put("KytVerdict(BLOCK)", new KytVerdict(new KytResult(KytResult.Verdict.BLOCK, "black", "list")));
        EVENTS.put("CaseResolved(ALLOW)", new CaseResolved(CaseResolved.Resolution.ALLOW));
        EVENTS.put("CaseResolved(BLOCK)", new CaseResolved(CaseResolved.Resolution.BLOCK));
        EVENTS.put("PolicyVerdict(Allowed 0)", new PolicyVerdict(new PolicyDecision.Allowed(0, List.of(), null)));
        EVENTS.put("PolicyVerdict(Allowed 2)",
                new PolicyVerdict(new PolicyDecision.Allowed(2, List.of(APPROVAL_RULE), null)));
        EVENTS.put("PolicyVerdict(Blocked)", new PolicyVerdict(
                new PolicyDecision.Blocked(PolicyCheck.ADDRESS_DENYLIST, DENY_RULE, "denylisted")));
        EVENTS.put("Vote(APPROVE 1/2)", Vote.approve(1, 2));
        EVENTS.put("Vote(APPROVE 2/2)", Vote.approve(2, 2));
        EVENTS.put("Vote(APPROVE 3/2)", Vote.approve(3, 2));
        EVENTS.put("Vote(REJECT)", Vote.reject(1, 2));
        EVENTS.put("ApprovalExpired", new TxEvent.ApprovalExpired(72));
        EVENTS.put("SignatureReady", new SignatureReady());
        EVENTS.put("SignTimedOut", new SignTimedOut());
        EVENTS.put("SignFailed(1)", new SignFailed(1));
        EVENTS.put("SignFailed(2)", new SignFailed(2));
        EVENTS.put("SignFailed(3)", new SignFailed(3));
        EVENTS.put("SignFailed(4)", new SignFailed(4));
        EVENTS.put("KeyLocked", new KeyLocked());
        EVENTS.put("BroadcastQueued", new BroadcastQueued());
        EVENTS.put("BroadcastAccepted", new BroadcastAccepted(HASH));
        EVENTS.put("BroadcastFailed(TRANSIENT)", new BroadcastFailed(BroadcastFailed.Kind.TRANSIENT));
        EVENTS.put("BroadcastFailed(PERMANENT)", new BroadcastFailed(BroadcastFailed.Kind.PERMANENT));
        EVENTS.put("Mined", new Mined(100));
        EVENTS.put("Confirmations(1/12)", new Confirmations(1, 12));
        EVENTS.put("Confirmations(12/12)", new Confirmations(12, 12));
        EVENTS.put("Confirmations(13/12)", new Confirmations(13, 12));
        EVENTS.put("Reorged", new Reorged());
        EVENTS.put("Finalized", new Finalized());
        EVENTS.put("Retry", new Retry("operator-1"));
    }

    /** Every accepted (status, event) pair; every pair not here must be refused. */
    private static final String EXPECTED_MOVES = """
            SUBMITTED + Submitted -> KYT_PENDING
            KYT_PENDING + KytVerdict(ALLOW) -> POLICY_EVAL_PENDING
            KYT_PENDING + KytVerdict(REVIEW) -> KYT_REVIEW
            KYT_PENDING + KytVerdict(BLOCK) -> KYT_BLOCKED
            KYT_REVIEW + CaseResolved(ALLOW) -> POLICY_EVAL_PENDING
            KYT_REVIEW + CaseResolved(BLOCK) -> KYT_BLOCKED
            POLICY_EVAL_PENDING + PolicyVerdict(Allowed 0) -> SIGN_PENDING
            POLICY_EVAL_PENDING + PolicyVerdict(Allowed 2) -> APPROVAL_PENDING
            POLICY_EVAL_PENDING + PolicyVerdict(Blocked) -> POLICY_BLOCKED
            APPROVAL_PENDING + Vote(APPROVE 1/2) -> APPROVAL_PENDING
            APPROVAL_PENDING + Vote(APPROVE 2/2) -> SIGN_PENDING
            APPROVAL_PENDING + Vote(APPROVE 3/2) -> SIGN_PENDING
            APPROVAL_PENDING + Vote(REJECT) -> REJECTED
            APPROVAL_PENDING + ApprovalExpired -> REJECTED
            SIGN_PENDING + SignatureReady -> SIGNED
            SIGN_PENDING + SignTimedOut -> SIGN_PENDING
            SIGN_PENDING + SignFailed(1) -> SIGN_PENDING
            SIGN_PENDING + SignFailed(2) -> SIGN_PENDING
            SIGN_PENDING + SignFailed(3) -> FAILED_SIGN
            SIGN_PENDING + SignFailed(4) -> FAILED_SIGN
            SIGN_PENDING + KeyLocked -> FAILED_SIGN
            SIGNED + BroadcastQueued -> BROADCAST_PENDING
            BROADCAST_PENDING + BroadcastAccepted -> BROADCASTED
            BROADCAST_PENDING + BroadcastFailed(TRANSIENT) -> BROADCAST_PENDING
            BROADCAST_PENDING + BroadcastFailed(PERMANENT) -> FAILED_BROADCAST
            BROADCAST_PENDING + Mined -> CONFIRMING
            BROADCASTED + Mined -> CONFIRMING
            CONFIRMING + Confirmations(1/12) -> CONFIRMING
            CONFIRMING + Confirmations(12/12) -> CONFIRMED
            CONFIRMING + Confirmations(13/12) -> CONFIRMED
            CONFIRMING + Reorged -> BROADCASTED
            CONFIRMED + Reorged -> BROADCASTED
            CONFIRMED + Finalized -> FINALIZED
            FAILED_BROADCAST + Mined -> CONFIRMING
            FAILED_BROADCAST + Retry -> BROADCAST_PENDING
            """;

    @Test
    void fullTransitionTable() {
        StringBuilder actual = new StringBuilder();
        int moves = 0;
        int refused = 0;
        for (TxStatus s : TxStatus.values()) {
            for (Map.Entry<String, TxEvent> e : EVENTS.entrySet()) {
                TxTransition t = TxRequestMachine.next(s, e.getValue());
                switch (t) {
                    case Move m -> {
                        moves++;
                        assertFalse(m.reason().isBlank());
                        actual.append(s).append(" + ").append(e.getKey()).append(" -> ").append(m.to()).append('\n');
                    }
                    case Refused r -> {
                        refused++;
                        assertFalse(r.reason().isBlank());
                    }
                }
            }
        }
        assertEquals(EXPECTED_MOVES, actual.toString());
        assertEquals(TxStatus.values().length * EVENTS.size(), moves + refused);
        assertEquals(35, moves);
    }

    @Test
    void everyEventKindIsInTheTable() {
        Set<Class<?>> kinds = new java.util.HashSet<>();
        EVENTS.values().forEach(e -> kinds.add(e.getClass()));
        assertEquals(Set.of(TxEvent.class.getPermittedSubclasses()), kinds);
    }

    @Test
    void terminalStatuses() {
        EnumSet<TxStatus> terminal = EnumSet.noneOf(TxStatus.class);
        for (TxStatus s : TxStatus.values()) {
            if (s.terminal()) {
                terminal.add(s);
            }
        }
        assertEquals(EnumSet.of(TxStatus.FINALIZED, TxStatus.KYT_BLOCKED, TxStatus.POLICY_BLOCKED, TxStatus.REJECTED,
                TxStatus.FAILED_SIGN), terminal);
        for (TxStatus s : terminal) {
            for (TxEvent e : EVENTS.values()) {
                Refused r = assertInstanceOf(Refused.class, TxRequestMachine.next(s, e));
                assertEquals(s + " is terminal", r.reason());
            }
        }
        assertFalse(TxStatus.FAILED_BROADCAST.terminal());
    }

    @Test
    void everyStatusIsReachableFromSubmittedAndEveryNonTerminalOneCanEnd() {
        Set<TxStatus> reached = EnumSet.of(TxStatus.SUBMITTED);
        Deque<TxStatus> todo = new ArrayDeque<>(reached);
        while (!todo.isEmpty()) {
            TxStatus s = todo.pop();
            for (TxEvent e : EVENTS.values()) {
                if (TxRequestMachine.next(s, e) instanceof Move m && reached.add(m.to())) {
                    todo.push(m.to());
                }
            }
        }
        assertEquals(EnumSet.allOf(TxStatus.class), reached);
        for (TxStatus s : TxStatus.values()) {
            if (!s.terminal()) {
                assertTrue(EVENTS.values().stream().anyMatch(e -> TxRequestMachine.next(s, e) instanceof Move m
                        && m.to() != s), s + " has a way out");
            }
        }
    }

    @Test
    void nullsAreRefusedNotThrown() {
        assertEquals(new Refused("no current status"), TxRequestMachine.next(null, new Submitted()));
        assertEquals(new Refused("no event"), TxRequestMachine.next(TxStatus.SUBMITTED, null));
        assertInstanceOf(Refused.class, TxRequestMachine.next(null, null));
    }

    @Test
    void refusalNamesTheEventAndStatus() {
        assertEquals(new Refused("SignatureReady does not apply to SIGNED"),
                TxRequestMachine.next(TxStatus.SIGNED, new SignatureReady()));
    }

    @Test
    void happyPathWithoutApprovals() {
        assertEquals(List.of(TxStatus.KYT_PENDING, TxStatus.POLICY_EVAL_PENDING, TxStatus.SIGN_PENDING,
                        TxStatus.SIGNED, TxStatus.BROADCAST_PENDING, TxStatus.BROADCASTED, TxStatus.CONFIRMING,
                        TxStatus.CONFIRMING, TxStatus.CONFIRMED, TxStatus.FINALIZED),
                run(TxStatus.SUBMITTED, "Submitted", "KytVerdict(ALLOW)", "PolicyVerdict(Allowed 0)",
                        "SignatureReady", "BroadcastQueued", "BroadcastAccepted", "Mined", "Confirmations(1/12)",
                        "Confirmations(12/12)", "Finalized"));
    }

    @Test
    void happyPathThroughReviewApprovalsRetriesAndAReorg() {
        assertEquals(List.of(TxStatus.KYT_PENDING, TxStatus.KYT_REVIEW, TxStatus.POLICY_EVAL_PENDING,
                        TxStatus.APPROVAL_PENDING, TxStatus.APPROVAL_PENDING, TxStatus.SIGN_PENDING,
                        TxStatus.SIGN_PENDING, TxStatus.SIGN_PENDING, TxStatus.SIGN_PENDING, TxStatus.SIGNED,
                        TxStatus.BROADCAST_PENDING, TxStatus.BROADCAST_PENDING, TxStatus.BROADCASTED,
                        TxStatus.CONFIRMING, TxStatus.BROADCASTED, TxStatus.CONFIRMING, TxStatus.CONFIRMED,
                        TxStatus.BROADCASTED, TxStatus.CONFIRMING, TxStatus.CONFIRMED, TxStatus.FINALIZED),
                run(TxStatus.SUBMITTED, "Submitted", "KytVerdict(REVIEW)", "CaseResolved(ALLOW)",
                        "PolicyVerdict(Allowed 2)", "Vote(APPROVE 1/2)", "Vote(APPROVE 2/2)", "SignTimedOut",
                        "SignFailed(1)", "SignFailed(2)", "SignatureReady", "BroadcastQueued",
                        "BroadcastFailed(TRANSIENT)", "BroadcastAccepted", "Mined", "Reorged", "Mined",
                        "Confirmations(12/12)", "Reorged", "Mined", "Confirmations(13/12)", "Finalized"));
    }

    @Test
    void kytBlocked() {
        assertEquals(TxStatus.KYT_BLOCKED, last(TxStatus.SUBMITTED, "Submitted", "KytVerdict(BLOCK)"));
    }

    @Test
    void kytBlockedByTheCaseOfficer() {
        assertEquals(TxStatus.KYT_BLOCKED,
                last(TxStatus.SUBMITTED, "Submitted", "KytVerdict(REVIEW)", "CaseResolved(BLOCK)"));
    }

    @Test
    void policyBlocked() {
        assertEquals(TxStatus.POLICY_BLOCKED,
                last(TxStatus.SUBMITTED, "Submitted", "KytVerdict(ALLOW)", "PolicyVerdict(Blocked)"));
    }

    @Test
    void rejectedByOneApproverEvenAfterApprovals() {
        assertEquals(TxStatus.REJECTED, last(TxStatus.SUBMITTED, "Submitted", "KytVerdict(ALLOW)",
                "PolicyVerdict(Allowed 2)", "Vote(APPROVE 1/2)", "Vote(REJECT)"));
    }

    @Test
    void failedSignAfterThreeFailures() {
        assertEquals(List.of(TxStatus.SIGN_PENDING, TxStatus.SIGN_PENDING, TxStatus.FAILED_SIGN),
                run(TxStatus.SIGN_PENDING, "SignFailed(1)", "SignFailed(2)", "SignFailed(3)"));
        assertEquals(3, TxRequestMachine.MAX_SIGN_FAILURES);
    }

    @Test
    void failedSignAtOnceOnAKeyLock() {
        assertEquals(TxStatus.FAILED_SIGN, last(TxStatus.SIGN_PENDING, "KeyLocked"));
        for (TxStatus s : List.of(TxStatus.APPROVAL_PENDING, TxStatus.SIGNED, TxStatus.BROADCAST_PENDING)) {
            assertInstanceOf(Refused.class, TxRequestMachine.next(s, new KeyLocked()), s.name());
        }
    }

    @Test
    void permanentBroadcastFailureIsRetriedOnlyByAnOperator() {
        assertEquals(TxStatus.FAILED_BROADCAST, last(TxStatus.BROADCAST_PENDING, "BroadcastFailed(PERMANENT)"));
        for (String automatic : List.of("BroadcastQueued", "BroadcastAccepted", "BroadcastFailed(TRANSIENT)")) {
            assertInstanceOf(Refused.class, TxRequestMachine.next(TxStatus.FAILED_BROADCAST, EVENTS.get(automatic)));
        }
        assertEquals(List.of(TxStatus.BROADCAST_PENDING, TxStatus.BROADCASTED),
                run(TxStatus.FAILED_BROADCAST, "Retry", "BroadcastAccepted"));
        Move m = assertInstanceOf(Move.class, TxRequestMachine.next(TxStatus.FAILED_BROADCAST, new Retry("op-7")));
        assertTrue(m.reason().contains("op-7"));
    }

    @Test
    void aTransactionFoundOnChainOverridesABroadcastFailure() {
        assertEquals(TxStatus.CONFIRMING, last(TxStatus.FAILED_BROADCAST, "Mined"));
        assertEquals(TxStatus.CONFIRMING, last(TxStatus.BROADCAST_PENDING, "Mined"));
    }

    @Test
    void eventsCheckTheirOwnRanges() {
        assertThrows(IllegalArgumentException.class, () -> new SignFailed(0));
        assertThrows(IllegalArgumentException.class, () -> Vote.approve(0, 2));
        assertThrows(IllegalArgumentException.class, () -> Vote.approve(1, 0));
        assertThrows(IllegalArgumentException.class, () -> Vote.reject(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> new Confirmations(0, 12));
        assertThrows(IllegalArgumentException.class, () -> new Confirmations(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Mined(-1));
        assertThrows(IllegalArgumentException.class, () -> new BroadcastAccepted("0x1234"));
        assertThrows(IllegalArgumentException.class, () -> new BroadcastAccepted("ab".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> new Retry(" "));
        assertThrows(NullPointerException.class, () -> new KytVerdict(null));
        assertThrows(NullPointerException.class, () -> new PolicyVerdict(null));
        assertThrows(NullPointerException.class, () -> new CaseResolved(null));
        assertThrows(NullPointerException.class, () -> new BroadcastFailed(null));
    }

    /** Applies the labelled events in order from {@code start}; each must be a move. Returns the statuses. */
    private static List<TxStatus> run(TxStatus start, String... labels) {
        List<TxStatus> out = new ArrayList<>();
        TxStatus s = start;
        for (String label : labels) {
            TxEvent e = EVENTS.get(label);
            if (e == null) {
                throw new IllegalArgumentException("no event " + label);
            }
            TxTransition t = TxRequestMachine.next(s, e);
            s = assertInstanceOf(Move.class, t, s + " + " + label + ": " + t).to();
            out.add(s);
        }
        return out;
    }

    private static TxStatus last(TxStatus start, String... labels) {
        List<TxStatus> all = run(start, labels);
        return all.get(all.size() - 1);
    }
}
