package org.mpcwallet.crypto.protocol.refresh;

import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenCache;

/**
 * P1's refresh state machine (docs/protocol.md §6): R1 → (R2) → R3 → (R4) → R5. Routine share rotation only: a
 * locked key is retired for good and never refreshed (§6.4; the bank signer refuses). The result is the next share
 * epoch; the caller replaces the old share (and its presignature pool) only after it has stored the new one.
 */
public final class RefreshP1 {
    private RefreshP1() {}

    /** P1's refresh states. */
    public sealed interface State permits AwaitingContribution, AwaitingConfirm {}

    /** After R1. */
    public record AwaitingContribution(byte[] sid, P1KeyShare share, byte[] delta1, byte[] rho,
            ProvenRingPedersen ringPedersen, RingPedersenCache deviceCache) implements State {
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

    /**
     * §6 R1 (P1 commit to δ1). {@code ringPedersen}: the bank's current proven ring-Pedersen parameters, sent in R3
     * and kept in the next epoch's shares. The caller must not refresh a locked or retired key (§6.4).
     */
    public static Step<State, P1KeyShare> start(P1KeyShare share, byte[] sid, ProvenRingPedersen ringPedersen,
            Env env) {
        return start(share, sid, ringPedersen, null, env);
    }

    /** R1, with a cache of device parameters already verified (null: the device's Π^prm is always checked). */
    public static Step<State, P1KeyShare> start(P1KeyShare share, byte[] sid, ProvenRingPedersen ringPedersen,
            RingPedersenCache deviceCache, Env env) {
        if (ringPedersen == null) {
            throw new IllegalArgumentException("the bank's proven ring-Pedersen parameters are required");
        }
        return Steps.guard("R1", null, () -> R1P1Commit.apply(share, sid, ringPedersen, deviceCache, env));
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
