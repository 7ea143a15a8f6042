package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import org.mpcwallet.crypto.commit.Commitment;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.SingleUse;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.zk.SchnorrProof;

/** docs/protocol.md §5.1 S1 (P1 nonce commit): sample k1, prove it, commit to (R1, π_DL(k1)). */
final class S1P1Commit {
    private S1P1Commit() {}

    record Output(SingleUse<BigInteger> k1, Point r1, SchnorrProof proof, byte[] rho, byte[] outbound) {
        @Override
        public String toString() {
            return "S1P1Commit.Output[secret redacted]";
        }
    }

    static Output apply(ProtocolId protocol, byte[] sid, Env env) {
        if (sid == null || sid.length != Envelope.SESSION_ID_BYTES) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
        BigInteger k1 = Scalars.randomNonZero(env.random());
        Point r1 = Point.mulG(k1);
        SchnorrProof proof =
                SchnorrProof.prove(PaillierShareSetup.context(protocol, sid, Party.P1), r1, k1, env.random());
        byte[] rho = Commitment.randomness(env.random());
        byte[] com = commitment(protocol, sid, r1, proof, rho);
        byte[] out = new Envelope(protocol, sid, 1, Party.P1, new SignMessages.S1(com).encode()).encode();
        return new Output(new SingleUse<>(k1), r1, proof, rho, out);
    }

    static byte[] commitment(ProtocolId protocol, byte[] sid, Point r1, SchnorrProof proof, byte[] rho) {
        return Commitment.commit(protocol.label(), sid, Party.P1, rho, "R1", r1.encode(), "pi_dl", proof.encode());
    }
}
