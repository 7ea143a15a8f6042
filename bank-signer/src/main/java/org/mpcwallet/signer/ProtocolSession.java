package org.mpcwallet.signer;

import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;

/**
 * P1's state between two messages of a keygen, refresh or presign session. Opaque to callers; carries secrets, so
 * {@link #toString()} is redacted. Refresh and presign sessions are bound to the key object they started on.
 *
 * @param <S> the shared-crypto state type
 */
public final class ProtocolSession<S> {
    final String keysetId;
    final P1KeyHolder holder;
    final S state;

    ProtocolSession(String keysetId, P1KeyHolder holder, S state) {
        this.keysetId = keysetId;
        this.holder = holder;
        this.state = state;
    }

    public String keysetId() {
        return keysetId;
    }

    @Override
    public String toString() {
        return "ProtocolSession[keyset=" + keysetId + ", secret redacted]";
    }
}
