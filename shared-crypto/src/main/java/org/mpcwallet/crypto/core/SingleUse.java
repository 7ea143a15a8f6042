package org.mpcwallet.crypto.core;

/**
 * A secret that may be used exactly once (a nonce share). Protocol states are immutable values, so a careless
 * driver could feed the same state two different messages; for a nonce that would sign twice with one k and give
 * the key away (checklist row 9). The first {@link #take} empties the holder; a second one fails
 * PRESIGNATURE_UNAVAILABLE instead of reusing the nonce.
 */
public final class SingleUse<T> {
    private T value;

    public SingleUse(T value) {
        if (value == null) {
            throw new IllegalArgumentException("nothing to hold");
        }
        this.value = value;
    }

    public synchronized T take(String step) {
        T v = value;
        if (v == null) {
            throw new ProtocolException(FailureKind.PRESIGNATURE_UNAVAILABLE, step, null,
                    "this nonce was already used; start a new session");
        }
        value = null;
        return v;
    }

    public synchronized boolean used() {
        return value == null;
    }

    @Override
    public String toString() {
        return "SingleUse[secret redacted]";
    }
}
