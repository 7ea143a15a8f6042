package org.mpcwallet.crypto.device;

import java.util.List;
import org.mpcwallet.crypto.eth.EthTransaction;

/**
 * What the device decides while it waits to co-sign a transfer (docs/client-desktop.md "cosign"), with no I/O and
 * no clock: the platform polls the bank, hands each answer in, and does what the {@link Decision} says. Given the
 * transfer's state at the bank (and, once the bank opened one, its sign request), the queue says whether to fetch
 * the sign request, keep waiting (and what to tell the user when something changed), stop because there is nothing
 * to co-sign or the time is up, refuse the sign request and why ({@link CosignCheck}: invalid fields, a hash that is
 * not the device's own, not the transfer the user asked for, fees above the ceiling), or co-sign it with what the
 * user must be shown. One queue follows one transfer; the platform keeps the deadline and says when it has passed.
 */
public final class CosignQueue {
    /** Transfer statuses from which a sign request may still come. */
    public static final List<String> WAITING_FOR_COSIGN = List.of("SUBMITTED", "KYT_PENDING", "KYT_REVIEW",
            "POLICY_EVAL_PENDING", "APPROVAL_PENDING", "SIGN_PENDING");

    /**
     * A transaction request as the bank shows it: {@code signRequestId} is set while it waits for the device
     * (SIGN_PENDING); {@code asked} is the transfer the user created; {@code asset} how its amount is shown.
     */
    public record Transfer(String id, String status, String signRequestId, int approvals, int requiredApprovals,
                           String lastError, CosignCheck.Transfer asked, CosignCheck.Asset asset) {
    }

    /**
     * A sign request as the bank shows it: its wallet, status, whether it has expired (by the platform's clock), its
     * fields and the bank's signing hash.
     */
    public record SignRequest(String id, String walletId, String status, boolean expired, CosignCheck.Fields fields,
                              String signingHash) {
    }

    /** What to do next. */
    public sealed interface Decision permits Decision.Fetch, Decision.Wait, Decision.Stop, Decision.Refuse,
            Decision.CoSign {
        /** Fetch this sign request and hand it to {@link #onSignRequest}. */
        record Fetch(String signRequestId) implements Decision {
        }

        /** Poll again later; {@code progress} is a line for the user when something changed, else null. */
        record Wait(String progress) implements Decision {
        }

        /** Nothing to co-sign: stop with {@code reason} (after showing {@code progress}, if not null). */
        record Stop(String progress, String reason) implements Decision {
        }

        /** The bank's sign request is not acceptable: stop with {@code reason}; nothing is signed. */
        record Refuse(CosignCheck.Rule rule, String reason) implements Decision {
        }

        /** Co-sign {@code request}: {@code tx} is the transaction rebuilt on the device, {@code review} what to show. */
        record CoSign(SignRequest request, EthTransaction tx, CosignCheck.Review review) implements Decision {
        }
    }

    private final String transferId;
    private final long timeoutSeconds;
    private final CosignCheck.FeeCeiling ceiling;
    private String lastSeen;

    /**
     * A queue for transaction request {@code transferId}, waiting up to {@code timeoutSeconds} (as the platform
     * counts them; only said in the messages) with an optional fee {@code ceiling}.
     */
    public CosignQueue(String transferId, long timeoutSeconds, CosignCheck.FeeCeiling ceiling) {
        if (transferId == null || timeoutSeconds < 0) {
            throw new IllegalArgumentException("transfer id and a non-negative timeout are required");
        }
        this.transferId = transferId;
        this.timeoutSeconds = timeoutSeconds;
        this.ceiling = ceiling == null ? CosignCheck.FeeCeiling.NONE : ceiling;
    }

    /** The transfer's state at the bank; {@code timeUp} when the platform's deadline has passed. */
    public Decision onTransfer(Transfer r, boolean timeUp) {
        if (!WAITING_FOR_COSIGN.contains(r.status())) {
            return new Decision.Stop(null, "request " + transferId + " is " + r.status()
                    + "; there is nothing to co-sign" + (r.lastError() == null ? "" : " (" + r.lastError() + ")"));
        }
        if ("SIGN_PENDING".equals(r.status()) && r.signRequestId() != null) {
            return new Decision.Fetch(r.signRequestId());
        }
        return notYet(r, timeUp);
    }

    /** The sign request the transfer names (after {@link Decision.Fetch}). */
    public Decision onSignRequest(Transfer r, SignRequest s, boolean timeUp) {
        if (!"PENDING".equals(s.status()) || s.expired()) {
            return notYet(r, timeUp);
        }
        CosignCheck.Outcome o = CosignCheck.check(s.fields(), s.signingHash(), s.walletId(), r.asked(), r.asset(),
                ceiling);
        if (o instanceof CosignCheck.Outcome.Refused refused) {
            return new Decision.Refuse(refused.rule(), refused.message(s.id(), r.id()));
        }
        CosignCheck.Outcome.Ok ok = (CosignCheck.Outcome.Ok) o;
        return new Decision.CoSign(s, ok.tx(), ok.review());
    }

    private Decision notYet(Transfer r, boolean timeUp) {
        String progress = null;
        if (!r.status().equals(lastSeen)) {
            progress = "request " + transferId + " is " + r.status() + "; waiting for the bank's sign request"
                    + (timeoutSeconds > 0 ? " (up to " + timeoutSeconds + " s)" : "");
            lastSeen = r.status();
        }
        if (timeUp) {
            return new Decision.Stop(progress, "request " + transferId + " has no sign request to co-sign after "
                    + timeoutSeconds + " s (it is " + r.status() + ("APPROVAL_PENDING".equals(r.status()) ? ", "
                    + r.approvals() + " of " + r.requiredApprovals() + " approvals" : "")
                    + "); run cosign again later");
        }
        return new Decision.Wait(progress);
    }
}
