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
import org.mpcwallet.crypto.zk.VerifiedRingPedersen;

/**
 * docs/protocol.md §6 R4 (P2 verify): open δ1, compute δ and Q1' = δ·Q1 locally, verify the new Paillier key and
 * c_key' against that Q1', derive x2' = δ⁻¹·x2 and confirm.
 */
final class R4P2Verify {
    private R4P2Verify() {}

    static Step<RefreshP2.State, P2KeyShare> apply(RefreshP2.AwaitingReveal s, byte[] body, Env env) {
        RefreshMessages.R3 r3 = RefreshMessages.R3.decode(body);
        if (!Commitment.opens(s.commitment(), "refresh", s.sid(), Party.P1, r3.rho(), "delta1", r3.delta1())) {
            throw Steps.fail(FailureKind.COMMITMENT_MISMATCH, "R4", "P1's δ1 does not open R1");
        }
        BigInteger delta = RefreshMath.delta(s.sid(), r3.delta1(), s.delta2(), "R4");
        P2KeyShare old = s.share();
        Point q1 = old.q1().mul(delta);
        VerifiedPaillierKey key = PaillierShareSetup.verify(
                PaillierShareSetup.context(ProtocolId.REFRESH, s.sid(), Party.P1), s.mine().params(), r3.n(),
                r3.keyProof(), r3.cKey(), r3.encLogProof(), q1, "R4", env);
        BigInteger x2 = delta.modInverse(Secp256k1.N).multiply(old.x2()).mod(Secp256k1.N);
        VerifiedRingPedersen rp = PaillierShareSetup.verifyRingPedersen(
                PaillierShareSetup.context(ProtocolId.REFRESH, s.sid(), Party.P1), r3.ringPedersen(),
                old.bankRingPedersen(), env);
        P2KeyShare next = new P2KeyShare(old.keyId(), old.epoch() + 1, x2, q1, key, r3.cKey(), rp);
        if (!next.publicKey().equals(old.publicKey())) {
            throw Steps.fail(FailureKind.INCONSISTENT_STATE, "R4", "refreshed share does not keep Q");
        }
        byte[] confirm = RefreshMath.confirm(s.sid(), next.publicKey(), next.q1(), next.q2(), r3.n(), r3.cKey(),
                next.epoch(), rp.fingerprint(), s.mine().fingerprint());
        byte[] out = new Envelope(ProtocolId.REFRESH, s.sid(), 4, Party.P2, new RefreshMessages.R4(confirm).encode())
                .encode();
        return new Step.Done<>(next, out);
    }
}
