package org.mpcwallet.crypto.protocol.keygen;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.zk.SchnorrProof;

/** docs/protocol.md §4 K2 (P2 share): keep P1's commitment, sample x2, send Q2 with π_DL(x2). */
final class K2P2Share {
    private K2P2Share() {}

    static Step<KeygenP2.State, P2KeyShare> apply(KeygenP2.AwaitingCommitment s, byte[] body, Env env) {
        KeygenMessages.K1 k1 = KeygenMessages.K1.decode(body);
        BigInteger x2 = Scalars.randomNonZero(env.random());
        Point q2 = Point.mulG(x2);
        SchnorrProof proof = SchnorrProof.prove(
                PaillierShareSetup.context(ProtocolId.KEYGEN, s.sid(), Party.P2), q2, x2, env.random());
        byte[] out = new Envelope(ProtocolId.KEYGEN, s.sid(), 2, Party.P2, new KeygenMessages.K2(q2, proof, s.mine()).encode())
                .encode();
        return new Step.Continue<>(new KeygenP2.AwaitingReveal(s.sid(), k1.commitment(), x2, q2, s.mine(), s.known()), out);
    }
}
