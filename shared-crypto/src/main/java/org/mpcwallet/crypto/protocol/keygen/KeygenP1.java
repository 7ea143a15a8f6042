package org.mpcwallet.crypto.protocol.keygen;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenCache;
import org.mpcwallet.crypto.zk.SchnorrProof;

/** P1's (the bank's) keygen state machine, docs/protocol.md §4: K1 → (K2) → K3 → (K4) → K5. */
public final class KeygenP1 {
    private KeygenP1() {}

    /** P1's keygen states. */
    public sealed interface State permits AwaitingShare, AwaitingConfirm {}

    /** After K1: waiting for P2's Q2. */
    public record AwaitingShare(byte[] sid, BigInteger x1, Point q1, SchnorrProof proof, byte[] rho,
            ProvenRingPedersen ringPedersen, RingPedersenCache deviceCache) implements State {
        @Override
        public String toString() {
            return "KeygenP1.AwaitingShare[secret redacted]";
        }
    }

    /** After K3: waiting for P2's confirmation. */
    public record AwaitingConfirm(byte[] sid, P1KeyShare share, byte[] expectedConfirm) implements State {
        @Override
        public String toString() {
            return "KeygenP1.AwaitingConfirm[secret redacted]";
        }
    }

    /**
     * K1. {@code ringPedersen} is the bank's own proven ring-Pedersen parameters (docs/protocol.md §4 K3): sent to P2
     * in K3 and kept in both shares, so that P2 can prove its signing ciphertexts to P1.
     */
    public static Step<State, P1KeyShare> start(byte[] sid, ProvenRingPedersen ringPedersen, Env env) {
        return start(sid, ringPedersen, null, env);
    }

    /** K1, with a cache of device parameters already verified (null: the device's Π^prm is always checked). */
    public static Step<State, P1KeyShare> start(byte[] sid, ProvenRingPedersen ringPedersen,
            RingPedersenCache deviceCache, Env env) {
        if (ringPedersen == null) {
            throw new IllegalArgumentException("the bank's proven ring-Pedersen parameters are required");
        }
        return Steps.guard("K1", null, () -> K1P1Commit.apply(sid, ringPedersen, deviceCache, env));
    }

    public static Step<State, P1KeyShare> next(State state, byte[] inbound, Env env) {
        if (state instanceof AwaitingShare s) {
            return Steps.guard("K3", Party.P2, () -> K3P1Reveal.apply(s,
                    Envelope.decode(inbound).expect(ProtocolId.KEYGEN, s.sid(), 2, Party.P2, "K3"), env));
        }
        AwaitingConfirm s = (AwaitingConfirm) state;
        return Steps.guard("K5", Party.P2, () -> K5P1Confirm.apply(s,
                Envelope.decode(inbound).expect(ProtocolId.KEYGEN, s.sid(), 4, Party.P2, "K5")));
    }
}
