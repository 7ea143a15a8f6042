package org.mpcwallet.desktop.ui.model;

import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.desktop.core.TxRequestInfo;

/**
 * A transfer's way through the bank (docs/custody-pipeline.md) as the window shows it: one line per stage —
 * screening, policies, approvals, the device's co-signature, broadcast, confirmations, final — each done, under way,
 * waiting, failed or skipped, with what the user needs to know (who approved and how many are still needed, how
 * many confirmations, the bank's reason when it stopped). Pure: a {@link TxRequestInfo} in, the lines out.
 */
public final class TransferTimeline {
    /** The state of one stage. */
    public enum State { DONE, ACTIVE, WAITING, FAILED, SKIPPED }

    /** One line: the stage, its state and the detail shown beside it (never null, may be empty). */
    public record Stage(String name, State state, String detail) {
    }

    /**
     * The whole picture: the stages in order, a headline (one sentence), whether the transfer is over, whether it
     * ended well, and whether the bank waits for this device's co-signature.
     */
    public record View(List<Stage> stages, String headline, boolean over, boolean succeeded, boolean waitsForDevice) {
    }

    private static final List<String> ORDER = List.of("SUBMITTED", "KYT_PENDING", "KYT_REVIEW",
            "POLICY_EVAL_PENDING", "APPROVAL_PENDING", "SIGN_PENDING", "SIGNED", "BROADCAST_PENDING", "BROADCASTED",
            "CONFIRMING", "CONFIRMED", "FINALIZED");

    private TransferTimeline() {
    }

    public static View of(TxRequestInfo r) {
        String s = r.status();
        int at = ORDER.indexOf(s);
        String failedAt = switch (s) {
            case "KYT_BLOCKED" -> "KYT";
            case "POLICY_BLOCKED" -> "POLICY";
            case "REJECTED" -> "APPROVAL";
            case "FAILED_SIGN" -> "SIGN";
            case "FAILED_BROADCAST" -> "BROADCAST";
            default -> null;
        };
        // a failed transfer stopped at its stage: everything before it is done
        int reached = failedAt == null ? at : switch (failedAt) {
            case "KYT" -> ORDER.indexOf("KYT_PENDING");
            case "POLICY" -> ORDER.indexOf("POLICY_EVAL_PENDING");
            case "APPROVAL" -> ORDER.indexOf("APPROVAL_PENDING");
            case "SIGN" -> ORDER.indexOf("SIGN_PENDING");
            default -> ORDER.indexOf("BROADCAST_PENDING");
        };
        String reason = reason(r);
        List<Stage> stages = new ArrayList<>();
        stages.add(stage("Screening (KYT)", reached, ORDER.indexOf("SUBMITTED"), ORDER.indexOf("KYT_REVIEW"),
                "KYT".equals(failedAt), "KYT".equals(failedAt) ? "Blocked by compliance" + reason
                        : s.equals("KYT_REVIEW") ? "Held for review by the bank's compliance team"
                        : r.kytVerdict() != null ? verdict(r.kytVerdict()) : ""));
        stages.add(stage("Bank policies", reached, ORDER.indexOf("POLICY_EVAL_PENDING"),
                ORDER.indexOf("POLICY_EVAL_PENDING"), "POLICY".equals(failedAt),
                "POLICY".equals(failedAt) ? "Blocked by a policy" + reason : ""));
        stages.add(approvals(r, reached, "APPROVAL".equals(failedAt)));
        stages.add(stage("Your co-signature", reached, ORDER.indexOf("SIGN_PENDING"), ORDER.indexOf("SIGN_PENDING"),
                "SIGN".equals(failedAt), "SIGN".equals(failedAt) ? "Signing failed" + reason
                        : s.equals("SIGN_PENDING") ? "Waiting for you to review and co-sign on this device" : ""));
        stages.add(stage("Broadcast", reached, ORDER.indexOf("SIGNED"), ORDER.indexOf("BROADCAST_PENDING"),
                "BROADCAST".equals(failedAt), "BROADCAST".equals(failedAt) ? "Not accepted by the network" + reason
                        : r.txHash() != null && reached >= ORDER.indexOf("BROADCASTED") ? "Transaction " + r.txHash()
                        : ""));
        stages.add(stage("Confirmations", reached, ORDER.indexOf("BROADCASTED"), ORDER.indexOf("CONFIRMED"), false,
                reached >= ORDER.indexOf("BROADCASTED") ? confirmations(r) : ""));
        stages.add(s.equals("FINALIZED") ? new Stage("Final", State.DONE, "The transfer is final")
                : new Stage("Final", State.WAITING, ""));
        boolean over = failedAt != null ? !s.equals("FAILED_BROADCAST") : s.equals("FINALIZED");
        return new View(List.copyOf(stages), headline(r, failedAt, reason), over, s.equals("FINALIZED"),
                s.equals("SIGN_PENDING"));
    }

    /**
     * A stage covering statuses {@code first} .. {@code last} of {@link #ORDER}: done once the transfer is past
     * {@code last}, active within, waiting before; failed when {@code failed}.
     */
    private static Stage stage(String name, int reached, int first, int last, boolean failed, String detail) {
        State st = failed ? State.FAILED : reached > last ? State.DONE : reached >= first ? State.ACTIVE
                : State.WAITING;
        return new Stage(name, st, detail);
    }

    private static Stage approvals(TxRequestInfo r, int reached, boolean rejected) {
        int needed = r.requiredApprovals();
        int have = r.approvals();
        List<String> by = new ArrayList<>();
        List<String> against = new ArrayList<>();
        for (TxRequestInfo.Vote v : r.votes()) {
            (("APPROVE".equals(v.decision())) ? by : against).add((v.username() != null ? v.username()
                    : shortId(v.userId()))
                    + (v.comment() == null || v.comment().isBlank() ? "" : " (\"" + v.comment() + "\")"));
        }
        int first = ORDER.indexOf("APPROVAL_PENDING");
        if (rejected) {
            return new Stage("Approvals", State.FAILED, "Rejected by " + String.join(", ", against));
        }
        if (reached > first && needed == 0) {
            return new Stage("Approvals", State.SKIPPED, "Not needed for this transfer");
        }
        String detail = needed == 0 && reached < first ? "" : have + " of " + needed + " approval"
                + (needed == 1 ? "" : "s") + (by.isEmpty() ? "" : " — approved by " + String.join(", ", by))
                + (reached == first && needed > have ? "; " + (needed - have) + " still needed" : "");
        return stage("Approvals", reached, first, first, false, detail);
    }

    private static String confirmations(TxRequestInfo r) {
        int c = r.confirmations();
        return c == 0 ? "In the network, waiting for its first block"
                : c + " confirmation" + (c == 1 ? "" : "s") + (r.blockNumber() == null ? "" : " (block "
                + r.blockNumber() + ")");
    }

    private static String verdict(String kytVerdict) {
        return switch (kytVerdict) {
            case "ALLOW", "CLEAR" -> "Cleared";
            case "REVIEW" -> "Reviewed by compliance";
            case "BLOCK" -> "Blocked";
            default -> kytVerdict;
        };
    }

    private static String reason(TxRequestInfo r) {
        String why = r.lastError() != null && !r.lastError().isBlank() ? r.lastError() : r.policyResult();
        return why == null || why.isBlank() ? "" : ": " + why;
    }

    private static String headline(TxRequestInfo r, String failedAt, String reason) {
        String s = r.status();
        if (failedAt != null) {
            return switch (failedAt) {
                case "KYT" -> "Blocked by the bank's compliance screening" + reason;
                case "POLICY" -> "Blocked by the bank's policy" + reason;
                case "APPROVAL" -> "Rejected by an approver";
                case "SIGN" -> "Signing failed" + reason;
                default -> "The network did not accept the transaction" + reason + "; the bank retries";
            };
        }
        return switch (s) {
            case "SUBMITTED", "KYT_PENDING" -> "The bank is screening the transfer";
            case "KYT_REVIEW" -> "Held for review by the bank's compliance team";
            case "POLICY_EVAL_PENDING" -> "The bank is checking its policies";
            case "APPROVAL_PENDING" -> "Waiting for approval: " + r.approvals() + " of " + r.requiredApprovals();
            case "SIGN_PENDING" -> "Ready: review and co-sign it on this device";
            case "SIGNED", "BROADCAST_PENDING" -> "Signed; the bank is sending it to the network";
            case "BROADCASTED", "CONFIRMING" -> r.confirmations() == 0 ? "Sent; waiting for the first block"
                    : "Sent; " + r.confirmations() + " confirmation" + (r.confirmations() == 1 ? "" : "s") + " so far";
            case "CONFIRMED" -> "Confirmed; the bank is finalizing it";
            case "FINALIZED" -> "Done: the transfer is final";
            default -> s;
        };
    }

    /** An instant the bank sent (ISO-8601) as the user reads it in their time zone: "6 Dec 2026, 15:26". */
    public static String when(String iso, java.time.ZoneId zone) {
        if (iso == null) {
            return "";
        }
        try {
            return java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", java.util.Locale.ENGLISH)
                    .format(java.time.Instant.parse(iso).atZone(zone));
        } catch (java.time.DateTimeException e) {
            return iso;
        }
    }

    /** A user id as shown when the bank sent no user name: its first 8 characters. */
    static String shortId(String id) {
        return id == null ? "?" : id.length() <= 8 ? id : id.substring(0, 8);
    }
}
