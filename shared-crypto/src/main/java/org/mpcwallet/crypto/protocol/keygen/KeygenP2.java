package org.mpcwallet.crypto.protocol.keygen;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.VerifiedRingPedersen;

/** P2's (the user device's) keygen state machine, docs/protocol.md §4: (K1) → K2 → (K3) → K4. */
public final class KeygenP2 {
    private KeygenP2() {}

    /** P2's keygen states. */
    public sealed interface State permits AwaitingCommitment, AwaitingReveal {}

    /** Before K1. */
    /**
     * Before K1; {@code mine} is the device's own proven ring-Pedersen parameters, {@code known} the bank's parameters
     * this device verified before (null if none).
     */
    public record AwaitingCommitment(byte[] sid, ProvenRingPedersen mine, VerifiedRingPedersen known)
            implements State {}

    /** After K2: holds P1's commitment and P2's share. */
    public record AwaitingReveal(byte[] sid, byte[] commitment, BigInteger x2, Point q2, ProvenRingPedersen mine,
            VerifiedRingPedersen known) implements State {
        @Override
        public String toString() {
            return "KeygenP2.AwaitingReveal[secret redacted]";
        }
    }

    /** Starts keygen with the device's own proven ring-Pedersen parameters; the bank's are verified in full. */
    public static State start(byte[] sid, ProvenRingPedersen mine) {
        return start(sid, mine, null);
    }

    /**
     * Starts keygen. {@code mine} is the device's own ring-Pedersen parameters with their Π^prm proof (made once per
     * device, {@link org.mpcwallet.crypto.zk.RingPedersenSetup}): sent in K2, P1 proves its Paillier key and c_key
     * under them (docs/protocol.md §4). {@code known} is the bank's parameters as this device verified them earlier
     * (Π^prm, once per bank): if K3 carries the same parameters their proof is not checked again (it costs about a
     * second in a browser); other parameters are verified in full. Null: always verify.
     */
    public static State start(byte[] sid, ProvenRingPedersen mine, VerifiedRingPedersen known) {
        if (sid == null || sid.length != Envelope.SESSION_ID_BYTES) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
        if (mine == null) {
            throw new IllegalArgumentException("the device's own ring-Pedersen parameters are required");
        }
        return new AwaitingCommitment(sid.clone(), mine, known);
    }

    public static Step<State, P2KeyShare> next(State state, byte[] inbound, Env env) {
        if (state instanceof AwaitingCommitment s) {
            return Steps.guard("K2", Party.P1, () -> K2P2Share.apply(s,
                    Envelope.decode(inbound).expect(ProtocolId.KEYGEN, s.sid(), 1, Party.P1, "K2"), env));
        }
        AwaitingReveal s = (AwaitingReveal) state;
        return Steps.guard("K4", Party.P1, () -> K4P2Verify.apply(s,
                Envelope.decode(inbound).expect(ProtocolId.KEYGEN, s.sid(), 3, Party.P1, "K4"), env));
    }
}
