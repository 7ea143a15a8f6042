package org.mpcwallet.crypto.protocol.refresh;

import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/** docs/protocol.md §6 R2 (P2 contribute): keep P1's commitment, send a fresh δ2 and the device's parameters. */
final class R2P2Contribute {
    private R2P2Contribute() {}

    static Step<RefreshP2.State, P2KeyShare> apply(RefreshP2.AwaitingCommitment s, byte[] body, Env env) {
        RefreshMessages.R1 r1 = RefreshMessages.R1.decode(body);
        byte[] delta2 = new byte[32];
        env.random().nextBytes(delta2);
        byte[] out = new Envelope(ProtocolId.REFRESH, s.sid(), 2, Party.P2, new RefreshMessages.R2(delta2, s.mine()).encode())
                .encode();
        return new Step.Continue<>(new RefreshP2.AwaitingReveal(s.sid(), s.share(), r1.commitment(), delta2,
                s.mine()), out);
    }
}
