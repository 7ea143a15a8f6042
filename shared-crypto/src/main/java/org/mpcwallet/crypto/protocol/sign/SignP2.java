package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;

/**
 * P2's 4-message signing flow (docs/protocol.md §5.3): (S1) → S2 → (S3) → round 4. P2's result is the r of the
 * signature P1 will produce, so the device can recognise its signature on chain.
 */
public final class SignP2 {
    private SignP2() {}

    /** P2's sign states. */
    public sealed interface State permits AwaitingCommitment, AwaitingReveal {}

    /** Before S1. */
    public record AwaitingCommitment(byte[] sid, byte[] messageHash, P2KeyShare share) implements State {
        @Override
        public String toString() {
            return "SignP2.AwaitingCommitment[secret redacted]";
        }
    }

    /** After S2. */
    public record AwaitingReveal(byte[] sid, byte[] messageHash, P2KeyShare share, S2P2Nonce.Output mine)
            implements State {
        @Override
        public String toString() {
            return "SignP2.AwaitingReveal[secret redacted]";
        }
    }

    /** P2's outcome: the nonce point's r (= the signature's r). */
    public record Sent(BigInteger r) {}

    public static State start(P2KeyShare share, byte[] sid, byte[] messageHash) {
        if (sid == null || sid.length != Envelope.SESSION_ID_BYTES || messageHash == null
                || messageHash.length != 32) {
            throw new IllegalArgumentException("session id and message hash must be 32 bytes");
        }
        return new AwaitingCommitment(sid.clone(), messageHash.clone(), share);
    }

    public static Step<State, Sent> next(State state, byte[] inbound, Env env) {
        if (state instanceof AwaitingCommitment s) {
            return Steps.guard("S2", Party.P1, () -> {
                byte[] body = Envelope.decode(inbound).expect(ProtocolId.SIGN, s.sid(), 1, Party.P1, "S2");
                S2P2Nonce.Output mine = S2P2Nonce.apply(ProtocolId.SIGN, s.sid(), body, env);
                return new Step.Continue<>(new AwaitingReveal(s.sid(), s.messageHash(), s.share(), mine),
                        mine.outbound());
            });
        }
        AwaitingReveal s = (AwaitingReveal) state;
        return Steps.guard("S3.P2", Party.P1, () -> {
            byte[] body = Envelope.decode(inbound).expect(ProtocolId.SIGN, s.sid(), 3, Party.P1, "S3.P2");
            P2Presignature presig = S3P2Finish.apply(ProtocolId.SIGN, s.sid(), s.mine().commitment(), s.mine().k2(),
                    s.share(), body, env);
            byte[] out = OnlineP2Encrypt.apply(ProtocolId.SIGN, s.sid(), 4, presig, s.share(), s.messageHash(), env);
            return new Step.Done<>(new Sent(presig.bigR().x().mod(org.mpcwallet.crypto.ec.Secp256k1.N)), out);
        });
    }
}
