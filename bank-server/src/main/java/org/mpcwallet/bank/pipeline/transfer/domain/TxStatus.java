package org.mpcwallet.bank.pipeline.transfer.domain;


/**
 * The status of a transaction request (the {@code tx_requests.status} column). Transitions: {@link TxRequestMachine}.
 * Terminal: FINALIZED, KYT_BLOCKED, POLICY_BLOCKED, REJECTED, FAILED_SIGN. FAILED_BROADCAST is not terminal: an
 * operator may retry it.
 */
public enum TxStatus {
    SUBMITTED, KYT_PENDING, KYT_REVIEW, POLICY_EVAL_PENDING, APPROVAL_PENDING, SIGN_PENDING, SIGNED,
    BROADCAST_PENDING, BROADCASTED, CONFIRMING, CONFIRMED, FINALIZED,
    KYT_BLOCKED, POLICY_BLOCKED, REJECTED, FAILED_SIGN, FAILED_BROADCAST;

    /** Whether no event moves a request out of this status. */
    public boolean terminal() {
        return switch (this) {
            case FINALIZED, KYT_BLOCKED, POLICY_BLOCKED, REJECTED, FAILED_SIGN -> true;
            default -> false;
        };
    }
}
