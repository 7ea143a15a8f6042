package org.mpcwallet.crypto.protocol.keygen;

import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.ProofContext;
import org.mpcwallet.crypto.zk.SchnorrProof;
import org.mpcwallet.crypto.zk.VerifiedRingPedersen;

/**
 * docs/protocol.md §4 K3 (P1 reveal): verify π_DL(x2) and the device's ring-Pedersen parameters (Π^prm), make and
 * prove a fresh Paillier key under them, encrypt x1 as c_key
 * with its Π^log* proof, open the commitment, and send the bank's proven ring-Pedersen parameters.
 */
final class K3P1Reveal {
    private K3P1Reveal() {}

    static Step<KeygenP1.State, P1KeyShare> apply(KeygenP1.AwaitingShare s, byte[] body, Env env) {
        KeygenMessages.K2 k2 = KeygenMessages.K2.decode(body);
        SchnorrProof.verify(PaillierShareSetup.context(ProtocolId.KEYGEN, s.sid(), Party.P2), k2.q2(), k2.proof());
        VerifiedRingPedersen device = PaillierShareSetup.verifyDevice(
                PaillierShareSetup.context(ProtocolId.KEYGEN, s.sid(), Party.P2), k2.ringPedersen(), s.deviceCache(),
                env);
        ProofContext mine = PaillierShareSetup.context(ProtocolId.KEYGEN, s.sid(), Party.P1);
        PaillierShareSetup.Prover setup = PaillierShareSetup.prove(mine, s.x1(), s.q1(), device, env);
        P1KeyShare share = new P1KeyShare(s.sid(), 0, s.x1(), k2.q2(), setup.secretKey(), setup.cKey(),
                s.ringPedersen().params());
        KeygenMessages.K3 k3 = new KeygenMessages.K3(s.q1(), s.proof(), s.rho(), setup.secretKey().publicKey().n(),
                setup.keyProof(), setup.cKey(), setup.encLogProof(), s.ringPedersen());
        byte[] out = new Envelope(ProtocolId.KEYGEN, s.sid(), 3, Party.P1, k3.encode()).encode();
        byte[] confirm = KeygenConfirm.digest(s.sid(), share.publicKey(), share.q1(), share.q2(),
                setup.secretKey().publicKey().n(), setup.cKey(), s.ringPedersen().fingerprint(), device.fingerprint());
        return new Step.Continue<>(new KeygenP1.AwaitingConfirm(s.sid(), share, confirm), out);
    }
}
