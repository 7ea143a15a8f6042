package org.mpcwallet.crypto.core;

/**
 * A failure as a value: what kind, at which spec step (docs/protocol.md), which party is to blame (null when
 * unknown), and a reason. Never carries secret material: reasons name the check, not the values.
 */
public record ProtocolFailure(FailureKind kind, String step, Party culprit, String reason) {
    public ProtocolFailure {
        if (kind == null || step == null || reason == null) {
            throw new IllegalArgumentException("failure needs kind, step and reason");
        }
    }

    /** True for failures after which the same key must never sign again. */
    public boolean locksKey() {
        return kind == FailureKind.KEY_COMPROMISE_RISK;
    }

    @Override
    public String toString() {
        return kind + " at " + step + (culprit == null ? "" : " (culprit " + culprit + ")") + ": " + reason;
    }
}
