package org.mpcwallet.crypto.protocol.keygen;

import java.math.BigInteger;
import org.mpcwallet.crypto.commit.Commitment;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenCache;
import org.mpcwallet.crypto.zk.SchnorrProof;

/** docs/protocol.md §4 K1 (P1 commit): sample x1, prove knowledge of it, commit to (Q1, π_DL(x1)). */
final class K1P1Commit {
    private K1P1Commit() {}

    static Step<KeygenP1.State, P1KeyShare> apply(byte[] sid, ProvenRingPedersen ringPedersen,
            RingPedersenCache deviceCache, Env env) {
        if (sid == null || sid.length != Envelope.SESSION_ID_BYTES) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
        BigInteger x1 = Scalars.randomNonZero(env.random());
        Point q1 = Point.mulG(x1);
        SchnorrProof proof = SchnorrProof.prove(PaillierShareSetup.context(ProtocolId.KEYGEN, sid, Party.P1), q1, x1, env.random());
        byte[] rho = Commitment.randomness(env.random());
        byte[] com = commitment(sid, q1, proof, rho);
        byte[] out = new Envelope(ProtocolId.KEYGEN, sid, 1, Party.P1, new KeygenMessages.K1(com).encode()).encode();
        return new Step.Continue<>(new KeygenP1.AwaitingShare(sid.clone(), x1, q1, proof, rho, ringPedersen, deviceCache), out);
    }

    static byte[] commitment(byte[] sid, Point q1, SchnorrProof proof, byte[] rho) {
        return Commitment.commit("keygen", sid, Party.P1, rho, "Q1", q1.encode(), "pi_dl", proof.encode());
    }
}
