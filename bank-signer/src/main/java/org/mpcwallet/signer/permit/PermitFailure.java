package org.mpcwallet.signer.permit;

/** A refused permit: the kind of check that failed and a reason naming it (never key material). */
public record PermitFailure(PermitFailureKind kind, String reason) {
    public PermitFailure {
        if (kind == null || reason == null) {
            throw new IllegalArgumentException("failure needs a kind and a reason");
        }
    }

    @Override
    public String toString() {
        return kind + ": " + reason;
    }
}
