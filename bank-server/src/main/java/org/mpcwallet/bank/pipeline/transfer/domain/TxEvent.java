package org.mpcwallet.bank.pipeline.transfer.domain;

import java.util.Objects;
import org.mpcwallet.bank.pipeline.EthFormats;
import org.mpcwallet.bank.pipeline.kyt.domain.KytResult;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyDecision;

/**
 * What can happen to a transaction request. Immutable values; constructors check their own fields' ranges (so the
 * machine never sees, say, a negative count), while whether an event applies to a status is the machine's answer.
 */
public sealed interface TxEvent {
    /** The approval window passed without enough approvals: the transfer is rejected as expired. */
    record ApprovalExpired(int windowHours) implements TxEvent {
        public ApprovalExpired {
            if (windowHours < 1) {
                throw new IllegalArgumentException("windowHours must be positive");
            }
        }
    }

    /** The request was stored and is queued for screening. */
    record Submitted() implements TxEvent {
    }

    /** The KYT provider screened the recipient. */
    record KytVerdict(KytResult result) implements TxEvent {
        public KytVerdict {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * A compliance officer resolved the request's KYT case, and the request was resumed ({@code POST
     * /v1/tx-requests/{id}/resume} delivers this event; resolving alone does not move the request).
     */
    record CaseResolved(Resolution resolution) implements TxEvent {
        /** The officer's decision. */
        public enum Resolution {
            ALLOW, BLOCK
        }

        public CaseResolved {
            Objects.requireNonNull(resolution, "resolution");
        }
    }

    /** The policy engine decided (ALLOW: Allowed with 0 approvals; NEEDS_APPROVALS: Allowed with n > 0; BLOCK). */
    record PolicyVerdict(PolicyDecision decision) implements TxEvent {
        public PolicyVerdict {
            Objects.requireNonNull(decision, "decision");
        }
    }

    /**
     * A vote was recorded; {@code approvals} counts the APPROVE votes so far (this one included), taken under the
     * request's row lock, against the {@code required} count fixed at policy evaluation.
     */
    record Vote(Decision decision, int approvals, int required) implements TxEvent {
        /** The voter's decision. */
        public enum Decision {
            APPROVE, REJECT
        }

        public Vote {
            Objects.requireNonNull(decision, "decision");
            if (required < 1) {
                throw new IllegalArgumentException("required approvals must be at least 1");
            }
            if (approvals < (decision == Decision.APPROVE ? 1 : 0)) {
                throw new IllegalArgumentException("approvals out of range");
            }
        }

        /** An APPROVE vote bringing the count to {@code approvals}. */
        public static Vote approve(int approvals, int required) {
            return new Vote(Decision.APPROVE, approvals, required);
        }

        /** A REJECT vote, with {@code approvals} approvals recorded before it. */
        public static Vote reject(int approvals, int required) {
            return new Vote(Decision.REJECT, approvals, required);
        }
    }

    /** The owner's device and the bank signer produced the signature; the signed transaction is stored. */
    record SignatureReady() implements TxEvent {
    }

    /** The current sign request expired unsigned; a new one will be made (same nonce). Not counted as a failure. */
    record SignTimedOut() implements TxEvent {
    }

    /** The signing session failed; {@code failures} counts the failures so far, this one included. */
    record SignFailed(int failures) implements TxEvent {
        public SignFailed {
            if (failures < 1) {
                throw new IllegalArgumentException("failures must be at least 1");
            }
        }
    }

    /** The wallet's key is locked (an incident is open): it must not sign. */
    record KeyLocked() implements TxEvent {
    }

    /** The broadcast is reserved (committed before the node is called, so a crash cannot send it unrecorded). */
    record BroadcastQueued() implements TxEvent {
    }

    /** The node accepted the transaction ("already known" for our own hash counts as accepted). */
    record BroadcastAccepted(String txHash) implements TxEvent {
        public BroadcastAccepted {
            if (!EthFormats.isTxHash(txHash)) {
                throw new IllegalArgumentException("txHash is not 0x and 64 hex digits");
            }
        }
    }

    /** The broadcast failed: TRANSIENT (I/O, timeout, 5xx, rate limit) or PERMANENT (invalid, funds, nonce). */
    record BroadcastFailed(Kind kind) implements TxEvent {
        /** Whether retrying by itself can help. */
        public enum Kind {
            TRANSIENT, PERMANENT
        }

        public BroadcastFailed {
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** The transaction was found in block {@code blockNumber}. */
    record Mined(long blockNumber) implements TxEvent {
        public Mined {
            if (blockNumber < 0) {
                throw new IllegalArgumentException("blockNumber negative");
            }
        }
    }

    /** The transaction has {@code confirmations} (its block counts as 1) of the {@code required} confirmations. */
    record Confirmations(int confirmations, int required) implements TxEvent {
        public Confirmations {
            if (confirmations < 1 || required < 1) {
                throw new IllegalArgumentException("confirmations and required must be at least 1");
            }
        }
    }

    /** The block holding the transaction left the canonical chain. */
    record Reorged() implements TxEvent {
    }

    /** The receipt was re-checked at the required depth: the transfer is final. */
    record Finalized() implements TxEvent {
    }

    /**
     * An operator asked to retry a failed broadcast. Only the operator endpoint (which checks the role) builds this
     * event; the orchestrator never does.
     *
     * @param operator who asked (a user id), for the audit
     */
    record Retry(String operator) implements TxEvent {
        public Retry {
            if (operator == null || operator.isBlank()) {
                throw new IllegalArgumentException("operator missing");
            }
        }
    }
}
