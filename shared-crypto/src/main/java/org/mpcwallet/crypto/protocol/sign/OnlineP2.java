package org.mpcwallet.crypto.protocol.sign;

import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;

/**
 * P2's online signing (docs/protocol.md §5.2): one message from a pooled presignature. The caller must delete the
 * presignature from its store before sending the result (single use, checklist row 9).
 */
public final class OnlineP2 {
    private OnlineP2() {}

    /** Result: either the O1 envelope to send, or a failure. */
    public record Result(byte[] outbound, ProtocolFailure failure) {}

    public static Result encrypt(P2KeyShare share, P2Presignature presig, byte[] messageHash, Env env) {
        try {
            return new Result(OnlineP2Encrypt.apply(ProtocolId.ONLINE, presig.id(), 1, presig, share, messageHash,
                    env), null);
        } catch (ProtocolException e) {
            return new Result(null, e.failure());
        } catch (IllegalArgumentException e) {
            return new Result(null, new ProtocolFailure(FailureKind.INVALID_PARAMETER, "O1", null,
                    "message hash must be 32 bytes"));
        }
    }
}
