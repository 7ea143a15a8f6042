package org.mpcwallet.signer.store;

/**
 * A share-store failure as a value. {@code reason} names the check, never a secret; {@code requiredKekId} is the KEK
 * id the blob was sealed under (set for {@link StoreFailureKind#WRONG_KEK}, null otherwise).
 */
public record StoreFailure(StoreFailureKind kind, String reason, String requiredKekId) {
    public StoreFailure {
        if (kind == null || reason == null) {
            throw new IllegalArgumentException("failure needs a kind and a reason");
        }
    }

    static StoreFailure of(StoreFailureKind kind, String reason) {
        return new StoreFailure(kind, reason, null);
    }

    @Override
    public String toString() {
        return kind + ": " + reason;
    }
}
