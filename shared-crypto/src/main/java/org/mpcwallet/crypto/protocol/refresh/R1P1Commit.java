package org.mpcwallet.crypto.protocol.refresh;

import org.mpcwallet.crypto.commit.Commitment;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenCache;

/** docs/protocol.md §6 R1 (P1 commit): sample δ1 and commit to it, bound to session and party. */
final class R1P1Commit {
    private R1P1Commit() {}

    static Step<RefreshP1.State, P1KeyShare> apply(P1KeyShare share, byte[] sid, ProvenRingPedersen ringPedersen,
            RingPedersenCache deviceCache, Env env) {
        if (sid == null || sid.length != Envelope.SESSION_ID_BYTES) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
        byte[] delta1 = new byte[32];
        env.random().nextBytes(delta1);
        byte[] rho = Commitment.randomness(env.random());
        byte[] com = Commitment.commit("refresh", sid, Party.P1, rho, "delta1", delta1);
        byte[] out = new Envelope(ProtocolId.REFRESH, sid, 1, Party.P1, new RefreshMessages.R1(com).encode()).encode();
        return new Step.Continue<>(new RefreshP1.AwaitingContribution(sid.clone(), share, delta1, rho, ringPedersen,
                deviceCache), out);
    }
}
