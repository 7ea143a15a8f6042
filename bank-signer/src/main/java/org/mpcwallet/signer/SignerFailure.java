package org.mpcwallet.signer;

/** A bank-signer failure as a value; {@code reason} names the check or the repository step, never a secret. */
public record SignerFailure(SignerFailureKind kind, String reason) {
    public SignerFailure {
        if (kind == null || reason == null) {
            throw new IllegalArgumentException("failure needs a kind and a reason");
        }
    }

    @Override
    public String toString() {
        return kind + ": " + reason;
    }
}
