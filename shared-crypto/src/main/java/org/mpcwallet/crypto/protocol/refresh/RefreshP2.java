package org.mpcwallet.crypto.protocol.refresh;

import java.math.BigInteger;
import org.mpcwallet.crypto.commit.Commitment;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.VerifiedPaillierKey;

/** P2's refresh state machine (docs/protocol.md §6): (R1) → R2 → (R3) → R4. */
public final class RefreshP2 {
    private RefreshP2() {}

    /** P2's refresh states. */
    public sealed interface State permits AwaitingCommitment, AwaitingReveal {}

    /** Before R1. */
    public record AwaitingCommitment(byte[] sid, P2KeyShare share) implements State {
        @Override
        public String toString() {
            return "RefreshP2.AwaitingCommitment[secret redacted]";
        }
    }

    /** After R2. */
    public record AwaitingReveal(byte[] sid, P2KeyShare share, byte[] commitment, byte[] delta2) implements State {
        @Override
        public String toString() {
            return "RefreshP2.AwaitingReveal[secret redacted]";
        }
    }

    public static State start(P2KeyShare share, byte[] sid) {
        if (sid == null || sid.length != Envelope.SESSION_ID_BYTES) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
        return new AwaitingCommitment(sid.clone(), share);
    }

    public static Step<State, P2KeyShare> next(State state, byte[] inbound, Env env) {
        if (state instanceof AwaitingCommitment s) {
            return Steps.guard("R2", Party.P1, () -> {
                RefreshMessages.R1 r1 = RefreshMessages.R1.decode(
                        Envelope.decode(inbound).expect(ProtocolId.REFRESH, s.sid(), 1, Party.P1, "R2"));
                byte[] delta2 = new byte[32];
                env.random().nextBytes(delta2);
                byte[] out = new Envelope(ProtocolId.REFRESH, s.sid(), 2, Party.P2,
                        new RefreshMessages.R2(delta2).encode()).encode();
                return new Step.Continue<>(new AwaitingReveal(s.sid(), s.share(), r1.commitment(), delta2), out);
            });
        }
        AwaitingReveal s = (AwaitingReveal) state;
        return Steps.guard("R4", Party.P1, () -> verify(s,
                Envelope.decode(inbound).expect(ProtocolId.REFRESH, s.sid(), 3, Party.P1, "R4"), env));
    }

    /** §6 R4 (P2 verify): open δ1, compute δ and Q1' = δ·Q1 locally, verify the new Paillier key and c_key'. */
    private static Step<State, P2KeyShare> verify(AwaitingReveal s, byte[] body, Env env) {
        RefreshMessages.R3 r3 = RefreshMessages.R3.decode(body);
        if (!Commitment.opens(s.commitment(), "refresh", s.sid(), Party.P1, r3.rho(), "delta1", r3.delta1())) {
            throw Steps.fail(FailureKind.COMMITMENT_MISMATCH, "R4", "P1's δ1 does not open R1");
        }
        BigInteger delta = RefreshMath.delta(s.sid(), r3.delta1(), s.delta2(), "R4");
        P2KeyShare old = s.share();
        Point q1 = old.q1().mul(delta);
        VerifiedPaillierKey key = PaillierShareSetup.verify(
                PaillierShareSetup.context(ProtocolId.REFRESH, s.sid(), Party.P1), r3.n(), r3.keyProof(), r3.cKey(),
                r3.encLogProof(), q1, "R4", env);
        BigInteger x2 = delta.modInverse(Secp256k1.N).multiply(old.x2()).mod(Secp256k1.N);
        P2KeyShare next = new P2KeyShare(old.keyId(), old.epoch() + 1, x2, q1, key, r3.cKey());
        if (!next.publicKey().equals(old.publicKey())) {
            throw Steps.fail(FailureKind.INCONSISTENT_STATE, "R4", "refreshed share does not keep Q");
        }
        byte[] confirm = RefreshMath.confirm(s.sid(), next.publicKey(), next.q1(), next.q2(), r3.n(), r3.cKey(),
                next.epoch());
        byte[] out = new Envelope(ProtocolId.REFRESH, s.sid(), 4, Party.P2, new RefreshMessages.R4(confirm).encode())
                .encode();
        return new Step.Done<>(next, out);
    }
}
