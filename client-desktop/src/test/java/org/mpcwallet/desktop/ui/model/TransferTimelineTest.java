package org.mpcwallet.desktop.ui.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpcwallet.desktop.core.TxRequestInfo;
import org.mpcwallet.desktop.ui.model.TransferTimeline.State;

/** A transfer's stages as the window shows them, for every status of the pipeline (table test). */
class TransferTimelineTest {
    private static TxRequestInfo transfer(String status, int required, List<TxRequestInfo.Vote> votes,
            int confirmations, String lastError) {
        return new TxRequestInfo("tx-1", "w-1", status, "ETH", null, "0x3535353535353535353535353535353535353535",
                "100000000000000000", "rent", "u-owner", "ALLOW", null, null, required, votes, "31337", "0", null,
                confirmations > 0 || status.startsWith("BROADCAST") || status.startsWith("CONFIRM")
                        || status.equals("FINALIZED") ? "0xabc" : null, confirmations > 0 ? "12" : null,
                confirmations, 0, lastError, "2026-12-06T10:00:00Z", null, "TRANSFER", null);
    }

    private static String states(TransferTimeline.View v) {
        StringBuilder b = new StringBuilder();
        for (TransferTimeline.Stage s : v.stages()) {
            b.append(s.state().name().charAt(0));
        }
        return b.toString();
    }

    /** One letter per stage (KYT, policies, approvals, co-sign, broadcast, confirmations, final). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SUBMITTED|AWWWWWW|false",
        "KYT_PENDING|AWWWWWW|false",
        "KYT_REVIEW|AWWWWWW|false",
        "POLICY_EVAL_PENDING|DAWWWWW|false",
        "APPROVAL_PENDING|DDAWWWW|false",
        "SIGN_PENDING|DDDAWWW|false",
        "SIGNED|DDDDAWW|false",
        "BROADCAST_PENDING|DDDDAWW|false",
        "BROADCASTED|DDDDDAW|false",
        "CONFIRMING|DDDDDAW|false",
        "CONFIRMED|DDDDDAW|false",
        "FINALIZED|DDDDDDD|true",
        "KYT_BLOCKED|FWWWWWW|true",
        "POLICY_BLOCKED|DFWWWWW|true",
        "REJECTED|DDFWWWW|true",
        "FAILED_SIGN|DDDFWWW|true",
        "FAILED_BROADCAST|DDDDFWW|false"
    })
    void everyStatusHasItsPicture(String status, String expected, boolean over) {
        List<TxRequestInfo.Vote> votes = status.equals("REJECTED")
                ? List.of(new TxRequestInfo.Vote("u-approver-1", null, "REJECT", "unknown payee", null))
                : List.of(new TxRequestInfo.Vote("u-approver-1", "ann", "APPROVE", null, null),
                        new TxRequestInfo.Vote("u-approver-2", "bob", "APPROVE", null, null));
        TransferTimeline.View v = TransferTimeline.of(transfer(status, 2, votes, 0, "the reason"));
        assertEquals(expected, states(v), status);
        assertEquals(over, v.over(), status);
        assertEquals(status.equals("FINALIZED"), v.succeeded());
        assertEquals(status.equals("SIGN_PENDING"), v.waitsForDevice());
        assertFalse(v.headline().isBlank());
    }

    @Test
    void approvalsSayWhoAndHowManyAreStillNeeded() {
        TransferTimeline.View v = TransferTimeline.of(transfer("APPROVAL_PENDING", 2,
                List.of(new TxRequestInfo.Vote("0b1c2d3e-aaaa-bbbb", "ann", "APPROVE", "checked the invoice", null)), 0,
                null));
        assertEquals("Waiting for approval: 1 of 2", v.headline());
        assertEquals("1 of 2 approvals — approved by ann (\"checked the invoice\"); 1 still needed",
                v.stages().get(2).detail());
        TransferTimeline.View none = TransferTimeline.of(transfer("SIGN_PENDING", 0, List.of(), 0, null));
        assertEquals(State.SKIPPED, none.stages().get(2).state());
        assertEquals("Not needed for this transfer", none.stages().get(2).detail());
        assertEquals("Ready: review and co-sign it on this device", none.headline());
    }

    @Test
    void blockedRejectedAndFailedSayWhy() {
        assertEquals("Blocked by the bank's compliance screening: sanctioned address",
                TransferTimeline.of(transfer("KYT_BLOCKED", 0, List.of(), 0, "sanctioned address")).headline());
        assertEquals("Blocked by the bank's policy: daily limit exceeded",
                TransferTimeline.of(transfer("POLICY_BLOCKED", 0, List.of(), 0, "daily limit exceeded")).headline());
        TransferTimeline.View rejected = TransferTimeline.of(transfer("REJECTED", 2,
                List.of(new TxRequestInfo.Vote("u-approver-9", null, "REJECT", "unknown payee", null)), 0, null));
        assertEquals("Rejected by u-approv (\"unknown payee\")", rejected.stages().get(2).detail());
        assertEquals("Held for review by the bank's compliance team",
                TransferTimeline.of(transfer("KYT_REVIEW", 0, List.of(), 0, null)).stages().get(0).detail());
    }

    @Test
    void timesAreShownInTheUsersZone() {
        assertEquals("6 Dec 2026, 11:00", TransferTimeline.when("2026-12-06T10:00:00.123456Z",
                java.time.ZoneId.of("Europe/Zurich")));
        assertEquals("", TransferTimeline.when(null, java.time.ZoneOffset.UTC));
        assertEquals("yesterday", TransferTimeline.when("yesterday", java.time.ZoneOffset.UTC));
    }

    @Test
    void confirmationsAreCounted() {
        TransferTimeline.View v = TransferTimeline.of(transfer("CONFIRMING", 0, List.of(), 1, null));
        assertEquals("Sent; 1 confirmation so far", v.headline());
        assertEquals("1 confirmation (block 12)", v.stages().get(5).detail());
        assertTrue(v.stages().get(4).detail().startsWith("Transaction 0xabc"));
        assertEquals("Sent; waiting for the first block",
                TransferTimeline.of(transfer("BROADCASTED", 0, List.of(), 0, null)).headline());
    }
}
