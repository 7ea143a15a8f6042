package org.mpcwallet.crypto.protocol.refresh;

import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/** P2's refresh state machine (docs/protocol.md §6): (R1) → R2 → (R3) → R4. */
public final class RefreshP2 {
    private RefreshP2() {}

    /** P2's refresh states. */
    public sealed interface State permits AwaitingCommitment, AwaitingReveal {}

    /** Before R1. */
    public record AwaitingCommitment(byte[] sid, P2KeyShare share, ProvenRingPedersen mine) implements State {
        @Override
        public String toString() {
            return "RefreshP2.AwaitingCommitment[secret redacted]";
        }
    }

    /** After R2. */
    public record AwaitingReveal(byte[] sid, P2KeyShare share, byte[] commitment, byte[] delta2,
            ProvenRingPedersen mine) implements State {
        @Override
        public String toString() {
            return "RefreshP2.AwaitingReveal[secret redacted]";
        }
    }

    /** Starts a refresh; {@code mine} is the device's own proven ring-Pedersen parameters (sent in R2). */
    public static State start(P2KeyShare share, byte[] sid, ProvenRingPedersen mine) {
        if (sid == null || sid.length != Envelope.SESSION_ID_BYTES) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
        if (mine == null) {
            throw new IllegalArgumentException("the device's own ring-Pedersen parameters are required");
        }
        return new AwaitingCommitment(sid.clone(), share, mine);
    }

    public static Step<State, P2KeyShare> next(State state, byte[] inbound, Env env) {
        if (state instanceof AwaitingCommitment s) {
            return Steps.guard("R2", Party.P1, () -> R2P2Contribute.apply(s,
                    Envelope.decode(inbound).expect(ProtocolId.REFRESH, s.sid(), 1, Party.P1, "R2"), env));
        }
        AwaitingReveal s = (AwaitingReveal) state;
        return Steps.guard("R4", Party.P1, () -> R4P2Verify.apply(s,
                Envelope.decode(inbound).expect(ProtocolId.REFRESH, s.sid(), 3, Party.P1, "R4"), env));
    }
}
