package org.mpcwallet.crypto.protocol.sign;

import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;

/** P2's presign state machine (docs/protocol.md §5.1): (S1) → S2 → (S3), result a {@link P2Presignature}. */
public final class PresignP2 {
    private PresignP2() {}

    /** P2's presign states. */
    public sealed interface State permits AwaitingCommitment, AwaitingReveal {}

    /** Before S1. */
    public record AwaitingCommitment(byte[] sid, P2KeyShare share) implements State {
        @Override
        public String toString() {
            return "PresignP2.AwaitingCommitment[secret redacted]";
        }
    }

    /** After S2. */
    public record AwaitingReveal(byte[] sid, P2KeyShare share, S2P2Nonce.Output mine) implements State {
        @Override
        public String toString() {
            return "PresignP2.AwaitingReveal[secret redacted]";
        }
    }

    public static State start(P2KeyShare share, byte[] sid) {
        if (sid == null || sid.length != Envelope.SESSION_ID_BYTES) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
        return new AwaitingCommitment(sid.clone(), share);
    }

    public static Step<State, P2Presignature> next(State state, byte[] inbound, Env env) {
        if (state instanceof AwaitingCommitment s) {
            return Steps.guard("S2", Party.P1, () -> {
                byte[] body = Envelope.decode(inbound).expect(ProtocolId.PRESIGN, s.sid(), 1, Party.P1, "S2");
                S2P2Nonce.Output mine = S2P2Nonce.apply(ProtocolId.PRESIGN, s.sid(), body, env);
                return new Step.Continue<>(new AwaitingReveal(s.sid(), s.share(), mine), mine.outbound());
            });
        }
        AwaitingReveal s = (AwaitingReveal) state;
        return Steps.guard("S3.P2", Party.P1, () -> {
            byte[] body = Envelope.decode(inbound).expect(ProtocolId.PRESIGN, s.sid(), 3, Party.P1, "S3.P2");
            return new Step.Done<>(S3P2Finish.apply(ProtocolId.PRESIGN, s.sid(), s.mine().commitment(),
                    s.mine().k2(), s.share(), body, env), null);
        });
    }
}
