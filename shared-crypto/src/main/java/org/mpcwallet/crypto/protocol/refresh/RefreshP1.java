package org.mpcwallet.crypto.protocol.refresh;

import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;

/**
 * P1's refresh state machine (docs/protocol.md §6): R1 → (R2) → R3 → (R4) → R5. Works on a locked key too: this is
 * how a locked key is recovered. The result is the next share epoch; the caller replaces the old share (and its
 * lock and presignature pool) only after it has stored the new one.
 */
public final class RefreshP1 {
    private RefreshP1() {}

    /** P1's refresh states. */
    public sealed interface State permits AwaitingContribution, AwaitingConfirm {}

    /** After R1. */
    public record AwaitingContribution(byte[] sid, P1KeyShare share, byte[] delta1, byte[] rho) implements State {
        @Override
        public String toString() {
            return "RefreshP1.AwaitingContribution[secret redacted]";
        }
    }

    /** After R3. */
    public record AwaitingConfirm(byte[] sid, P1KeyShare next, byte[] expectedConfirm) implements State {
        @Override
        public String toString() {
            return "RefreshP1.AwaitingConfirm[secret redacted]";
        }
    }

    /** §6 R1 (P1 commit to δ1). */
    public static Step<State, P1KeyShare> start(P1KeyShare share, byte[] sid, Env env) {
        return Steps.guard("R1", null, () -> R1P1Commit.apply(share, sid, env));
    }

    public static Step<State, P1KeyShare> next(State state, byte[] inbound, Env env) {
        if (state instanceof AwaitingContribution s) {
            return Steps.guard("R3", Party.P2, () -> R3P1Reveal.apply(s,
                    Envelope.decode(inbound).expect(ProtocolId.REFRESH, s.sid(), 2, Party.P2, "R3"), env));
        }
        AwaitingConfirm s = (AwaitingConfirm) state;
        return Steps.guard("R5", Party.P2, () -> R5P1Confirm.apply(s,
                Envelope.decode(inbound).expect(ProtocolId.REFRESH, s.sid(), 4, Party.P2, "R5")));
    }
}
