package org.mpcwallet.signer.permit;

/** The outcome of {@link PermitVerifier#verify}: a {@link VerifiedPermit} or a {@link PermitFailure}. */
public final class PermitResult {
    private final VerifiedPermit permit;
    private final PermitFailure failure;

    private PermitResult(VerifiedPermit permit, PermitFailure failure) {
        this.permit = permit;
        this.failure = failure;
    }

    static PermitResult success(VerifiedPermit permit) {
        return new PermitResult(permit, null);
    }

    static PermitResult failure(PermitFailureKind kind, String reason) {
        return new PermitResult(null, new PermitFailure(kind, reason));
    }

    public boolean isSuccess() {
        return failure == null;
    }

    /** @throws IllegalStateException when the permit was refused */
    public VerifiedPermit permit() {
        if (failure != null) {
            throw new IllegalStateException("permit refused: " + failure);
        }
        return permit;
    }

    /** The failure, or null on success. */
    public PermitFailure failure() {
        return failure;
    }

    @Override
    public String toString() {
        return failure == null ? "PermitResult[verified]" : "PermitResult[" + failure + "]";
    }
}
