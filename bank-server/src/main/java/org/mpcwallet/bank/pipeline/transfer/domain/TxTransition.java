package org.mpcwallet.bank.pipeline.transfer.domain;

import java.util.Objects;

/** The answer of {@link TxRequestMachine#next}: move (possibly to the same status), or refuse the event. */
public sealed interface TxTransition {
    /**
     * The event is accepted: persist {@code to} (it may equal the current status, e.g. another approval short of the
     * quorum; the event is still recorded) with {@code reason} in the audit.
     */
    record Move(TxStatus to, String reason) implements TxTransition {
        public Move {
            Objects.requireNonNull(to, "to");
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("reason missing");
            }
        }
    }

    /** The event does not apply to the current status; nothing changes. */
    record Refused(String reason) implements TxTransition {
        public Refused {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("reason missing");
            }
        }
    }
}
