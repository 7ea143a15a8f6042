package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.SingleUse;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.zk.SchnorrProof;

/** docs/protocol.md §5.1 S2 (P2 nonce): keep P1's commitment, sample k2, send R2 with π_DL(k2). */
final class S2P2Nonce {
    private S2P2Nonce() {}

    record Output(byte[] commitment, SingleUse<BigInteger> k2, byte[] outbound) {
        @Override
        public String toString() {
            return "S2P2Nonce.Output[secret redacted]";
        }
    }

    static Output apply(ProtocolId protocol, byte[] sid, byte[] body, Env env) {
        SignMessages.S1 s1 = SignMessages.S1.decode(body);
        BigInteger k2 = Scalars.randomNonZero(env.random());
        Point r2 = Point.mulG(k2);
        SchnorrProof proof =
                SchnorrProof.prove(PaillierShareSetup.context(protocol, sid, Party.P2), r2, k2, env.random());
        byte[] out = new Envelope(protocol, sid, 2, Party.P2, new SignMessages.S2(r2, proof).encode()).encode();
        return new Output(s1.commitment(), new SingleUse<>(k2), out);
    }
}
