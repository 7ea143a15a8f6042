package org.mpcwallet.crypto.protocol.keygen;

import org.mpcwallet.crypto.commit.Commitment;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.ProofContext;
import org.mpcwallet.crypto.zk.SchnorrProof;
import org.mpcwallet.crypto.zk.VerifiedPaillierKey;
import org.mpcwallet.crypto.zk.VerifiedRingPedersen;

/**
 * docs/protocol.md §4 K4 (P2 verify): open P1's commitment, verify π_DL(x1), the Paillier key (exact size, no
 * small factors, Π^mod, Π^fac), c_key and Π^log*, the bank's ring-Pedersen parameters (Π^prm); output P2's share
 * and confirm the public outcome.
 */
final class K4P2Verify {
    private K4P2Verify() {}

    static Step<KeygenP2.State, P2KeyShare> apply(KeygenP2.AwaitingReveal s, byte[] body, Env env) {
        KeygenMessages.K3 k3 = KeygenMessages.K3.decode(body);
        if (!Commitment.opens(s.commitment(), "keygen", s.sid(), Party.P1, k3.rho(), "Q1", k3.q1().encode(),
                "pi_dl", k3.proof().encode())) {
            throw Steps.fail(FailureKind.COMMITMENT_MISMATCH, "K4", "P1's decommitment does not open K1");
        }
        ProofContext theirs = PaillierShareSetup.context(ProtocolId.KEYGEN, s.sid(), Party.P1);
        SchnorrProof.verify(theirs, k3.q1(), k3.proof());
        VerifiedPaillierKey key = PaillierShareSetup.verify(theirs, s.mine().params(), k3.n(), k3.keyProof(),
                k3.cKey(), k3.encLogProof(), k3.q1(), "K4", env);
        VerifiedRingPedersen rp = PaillierShareSetup.verifyRingPedersen(theirs, k3.ringPedersen(), s.known(), env);
        P2KeyShare share = new P2KeyShare(s.sid(), 0, s.x2(), k3.q1(), key, k3.cKey(), rp);
        byte[] confirm = KeygenConfirm.digest(s.sid(), share.publicKey(), share.q1(), share.q2(), k3.n(),
                k3.cKey(), rp.fingerprint(), s.mine().fingerprint());
        byte[] out = new Envelope(ProtocolId.KEYGEN, s.sid(), 4, Party.P2, new KeygenMessages.K4(confirm).encode())
                .encode();
        return new Step.Done<>(share, out);
    }
}
