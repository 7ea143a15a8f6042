package org.mpcwallet.crypto.protocol.refresh;

import java.math.BigInteger;
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
import org.mpcwallet.crypto.zk.VerifiedRingPedersen;

/**
 * docs/protocol.md §6 R3 (P1 reveal): δ from both contributions, x1' = δ·x1, a fresh Paillier key with its proofs,
 * c_key' = Enc(x1') with Π^log* against Q1' = δ·Q1; open the commitment.
 */
final class R3P1Reveal {
    private R3P1Reveal() {}

    static Step<RefreshP1.State, P1KeyShare> apply(RefreshP1.AwaitingContribution s, byte[] body, Env env) {
        RefreshMessages.R2 r2 = RefreshMessages.R2.decode(body);
        BigInteger delta = RefreshMath.delta(s.sid(), s.delta1(), r2.delta2(), "R3");
        BigInteger q = Secp256k1.N;
        P1KeyShare old = s.share();
        BigInteger x1 = delta.multiply(old.x1()).mod(q);
        VerifiedRingPedersen device = PaillierShareSetup.verifyDevice(
                PaillierShareSetup.context(ProtocolId.REFRESH, s.sid(), Party.P2), r2.ringPedersen(), s.deviceCache(),
                env);
        PaillierShareSetup.Prover setup = PaillierShareSetup.prove(
                PaillierShareSetup.context(ProtocolId.REFRESH, s.sid(), Party.P1), x1, old.q1().mul(delta), device,
                env);
        P1KeyShare next = new P1KeyShare(old.keyId(), old.epoch() + 1, x1, old.q2().mul(delta.modInverse(q)),
                setup.secretKey(), setup.cKey(), s.ringPedersen().params());
        if (!next.publicKey().equals(old.publicKey())) {
            throw Steps.fail(FailureKind.INCONSISTENT_STATE, "R3", "refreshed share does not keep Q");
        }
        RefreshMessages.R3 r3 = new RefreshMessages.R3(s.delta1(), s.rho(), setup.secretKey().publicKey().n(),
                setup.keyProof(), setup.cKey(), setup.encLogProof(), s.ringPedersen());
        byte[] out = new Envelope(ProtocolId.REFRESH, s.sid(), 3, Party.P1, r3.encode()).encode();
        byte[] confirm = RefreshMath.confirm(s.sid(), next.publicKey(), next.q1(), next.q2(),
                setup.secretKey().publicKey().n(), setup.cKey(), next.epoch(), s.ringPedersen().fingerprint(),
                device.fingerprint());
        return new Step.Continue<>(new RefreshP1.AwaitingConfirm(s.sid(), next, confirm), out);
    }
}
