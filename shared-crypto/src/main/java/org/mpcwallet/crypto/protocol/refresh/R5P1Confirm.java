package org.mpcwallet.crypto.protocol.refresh;

import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;

/** docs/protocol.md §6 R5 (P1 confirm): P2's view of the refreshed key must equal P1's; then the new epoch. */
final class R5P1Confirm {
    private R5P1Confirm() {}

    static Step<RefreshP1.State, P1KeyShare> apply(RefreshP1.AwaitingConfirm s, byte[] body) {
        RefreshMessages.R4 r4 = RefreshMessages.R4.decode(body);
        if (!Bytes.constantTimeEquals(r4.confirm(), s.expectedConfirm())) {
            throw Steps.fail(FailureKind.INCONSISTENT_STATE, "R5", "P2's view of the refreshed key differs");
        }
        return new Step.Done<>(s.next(), null);
    }
}
