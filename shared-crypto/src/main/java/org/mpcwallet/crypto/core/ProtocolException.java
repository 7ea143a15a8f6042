package org.mpcwallet.crypto.core;

/**
 * Internal carrier for a {@link ProtocolFailure} raised deep inside a decoder or verifier. Party state machines catch
 * it at their step boundary and return the failure as a value; it never escapes the public protocol API.
 */
public final class ProtocolException extends RuntimeException {
    private final ProtocolFailure failure;

    public ProtocolException(FailureKind kind, String step, Party culprit, String reason) {
        this(new ProtocolFailure(kind, step, culprit, reason));
    }

    public ProtocolException(ProtocolFailure failure) {
        super(failure.toString(), null, false, false);
        this.failure = failure;
    }

    public ProtocolFailure failure() {
        return failure;
    }
}
