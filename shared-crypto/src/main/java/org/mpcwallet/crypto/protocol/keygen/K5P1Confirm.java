package org.mpcwallet.crypto.protocol.keygen;

import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;

/** docs/protocol.md §4 K5 (P1 confirm): P2's view of (Q, Q1, Q2, N, c_key) must equal P1's. */
final class K5P1Confirm {
    private K5P1Confirm() {}

    static Step<KeygenP1.State, P1KeyShare> apply(KeygenP1.AwaitingConfirm s, byte[] body) {
        KeygenMessages.K4 k4 = KeygenMessages.K4.decode(body);
        if (!Bytes.constantTimeEquals(k4.confirm(), s.expectedConfirm())) {
            throw Steps.fail(FailureKind.INCONSISTENT_STATE, "K5", "P2's view of the public key differs from P1's");
        }
        return new Step.Done<>(s.share(), null);
    }
}
