package org.mpcwallet.crypto.protocol.refresh;

import java.math.BigInteger;
import org.mpcwallet.crypto.commit.Commitment;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
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
        return Steps.guard("R1", null, () -> {
            if (sid == null || sid.length != Envelope.SESSION_ID_BYTES) {
                throw new IllegalArgumentException("session id must be 32 bytes");
            }
            byte[] delta1 = new byte[32];
            env.random().nextBytes(delta1);
            byte[] rho = Commitment.randomness(env.random());
            byte[] com = Commitment.commit("refresh", sid, Party.P1, rho, "delta1", delta1);
            byte[] out = new Envelope(ProtocolId.REFRESH, sid, 1, Party.P1, new RefreshMessages.R1(com).encode())
                    .encode();
            return new Step.Continue<>(new AwaitingContribution(sid.clone(), share, delta1, rho), out);
        });
    }

    public static Step<State, P1KeyShare> next(State state, byte[] inbound, Env env) {
        if (state instanceof AwaitingContribution s) {
            return Steps.guard("R3", Party.P2, () -> reveal(s,
                    Envelope.decode(inbound).expect(ProtocolId.REFRESH, s.sid(), 2, Party.P2, "R3"), env));
        }
        AwaitingConfirm s = (AwaitingConfirm) state;
        return Steps.guard("R5", Party.P2, () -> {
            RefreshMessages.R4 r4 = RefreshMessages.R4.decode(
                    Envelope.decode(inbound).expect(ProtocolId.REFRESH, s.sid(), 4, Party.P2, "R5"));
            if (!Bytes.constantTimeEquals(r4.confirm(), s.expectedConfirm())) {
                throw Steps.fail(FailureKind.INCONSISTENT_STATE, "R5", "P2's view of the refreshed key differs");
            }
            return new Step.Done<>(s.next(), null);
        });
    }

    /** §6 R3 (P1 reveal): δ, x1' = δ·x1, fresh Paillier key, c_key' = Enc(x1') with proofs. */
    private static Step<State, P1KeyShare> reveal(AwaitingContribution s, byte[] body, Env env) {
        RefreshMessages.R2 r2 = RefreshMessages.R2.decode(body);
        BigInteger delta = RefreshMath.delta(s.sid(), s.delta1(), r2.delta2(), "R3");
        BigInteger q = Secp256k1.N;
        P1KeyShare old = s.share();
        BigInteger x1 = delta.multiply(old.x1()).mod(q);
        PaillierShareSetup.Prover setup = PaillierShareSetup.prove(
                PaillierShareSetup.context(ProtocolId.REFRESH, s.sid(), Party.P1), x1, old.q1().mul(delta), env);
        P1KeyShare next = new P1KeyShare(old.keyId(), old.epoch() + 1, x1, old.q2().mul(delta.modInverse(q)),
                setup.secretKey(), setup.cKey());
        if (!next.publicKey().equals(old.publicKey())) {
            throw Steps.fail(FailureKind.INCONSISTENT_STATE, "R3", "refreshed share does not keep Q");
        }
        RefreshMessages.R3 r3 = new RefreshMessages.R3(s.delta1(), s.rho(), setup.secretKey().publicKey().n(),
                setup.keyProof(), setup.cKey(), setup.encLogProof());
        byte[] out = new Envelope(ProtocolId.REFRESH, s.sid(), 3, Party.P1, r3.encode()).encode();
        byte[] confirm = RefreshMath.confirm(s.sid(), next.publicKey(), next.q1(), next.q2(),
                setup.secretKey().publicKey().n(), setup.cKey(), next.epoch());
        return new Step.Continue<>(new AwaitingConfirm(s.sid(), next, confirm), out);
    }
}
