package org.mpcwallet.signer;

import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.SignP1;
import org.mpcwallet.signer.permit.SigningPermit;

/**
 * P1's state between two messages of one permitted SIGN session. Opaque to callers; carries secret nonce state, so
 * {@link #toString()} is redacted. Bound to the key object it started on: a reload of the keyset does not move it.
 */
public final class SignSession {
    final String keysetId;
    final P1KeyHolder holder;
    final SigningPermit permit;
    final SignP1.State state;
    /** The sweep of a locked key (docs/key-rotation.md): checked against the stored authorization instead. */
    final boolean sweep;

    SignSession(String keysetId, P1KeyHolder holder, SigningPermit permit, SignP1.State state, boolean sweep) {
        this.sweep = sweep;
        this.keysetId = keysetId;
        this.holder = holder;
        this.permit = permit;
        this.state = state;
    }

    public String keysetId() {
        return keysetId;
    }

    /** The verified permit this session signs under. */
    public SigningPermit permit() {
        return permit;
    }

    @Override
    public String toString() {
        return "SignSession[keyset=" + keysetId + ", request=" + permit.requestId() + ", secret redacted]";
    }
}
