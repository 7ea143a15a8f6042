package org.mpcwallet.crypto.protocol;

import java.util.function.Supplier;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.ProtocolFailure;

/** The step boundary: every failure raised inside a transition becomes an {@link Step.Aborted} value. */
public final class Steps {
    private Steps() {}

    /**
     * Runs one transition. A {@link ProtocolException} becomes its failure, with the sender of the inbound message
     * named as culprit where the failure is about what it sent. Any other runtime exception (e.g. arithmetic on a
     * hostile value that slipped past a range check) becomes INVALID_PARAMETER naming only the exception type, so
     * no value reaches the failure text.
     */
    public static <S, R> Step<S, R> guard(String step, Party inboundSender, Supplier<Step<S, R>> transition) {
        try {
            return transition.get();
        } catch (ProtocolException e) {
            ProtocolFailure f = e.failure();
            Party culprit = f.culprit() != null ? f.culprit() : blameable(f.kind()) ? inboundSender : null;
            return new Step.Aborted<>(new ProtocolFailure(f.kind(), f.step(), culprit, f.reason()));
        } catch (RuntimeException e) {
            return new Step.Aborted<>(new ProtocolFailure(FailureKind.INVALID_PARAMETER, step, inboundSender,
                    "rejected input (" + e.getClass().getSimpleName() + ")"));
        }
    }

    private static boolean blameable(FailureKind kind) {
        return kind == FailureKind.MALFORMED_MESSAGE || kind == FailureKind.INVALID_PARAMETER
                || kind == FailureKind.PROOF_INVALID || kind == FailureKind.COMMITMENT_MISMATCH
                || kind == FailureKind.INCONSISTENT_STATE || kind == FailureKind.UNEXPECTED_MESSAGE
                || kind == FailureKind.KEY_COMPROMISE_RISK;
    }

    public static ProtocolException fail(FailureKind kind, String step, String reason) {
        return new ProtocolException(kind, step, null, reason);
    }

    /** Throws PROOF_INVALID at {@code step} unless {@code ok}. */
    public static void requireProof(boolean ok, String step, String what) {
        if (!ok) {
            throw fail(FailureKind.PROOF_INVALID, step, what + " does not verify");
        }
    }
}
