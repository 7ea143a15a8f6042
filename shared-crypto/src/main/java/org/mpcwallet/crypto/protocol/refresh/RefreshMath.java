package org.mpcwallet.crypto.protocol.refresh;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.hash.Transcript;
import org.mpcwallet.crypto.protocol.Steps;

/** δ and the confirmation digest of docs/protocol.md §6. */
final class RefreshMath {
    private RefreshMath() {}

    static BigInteger delta(byte[] sid, byte[] delta1, byte[] delta2, String step) {
        byte[] h = new Transcript("mpcwallet/refresh/delta/v1").append("sid", sid).append("delta1", delta1)
                .append("delta2", delta2).challengeBytes("delta", 64);
        BigInteger d = new BigInteger(1, h).mod(Secp256k1.N);
        if (d.signum() == 0) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, step, "δ = 0");
        }
        return d;
    }

    static byte[] confirm(byte[] sid, Point q, Point q1, Point q2, BigInteger n, BigInteger cKey, int epoch,
            byte[] bankRingPedersen, byte[] deviceRingPedersen) {
        return new Transcript("mpcwallet/refresh/confirm/v2").append("ring-pedersen/bank", bankRingPedersen)
                .append("ring-pedersen/device", deviceRingPedersen).append("sid", sid).append("Q", q.encode())
                .append("Q1", q1.encode()).append("Q2", q2.encode()).append("N", n).append("c_key", cKey)
                .append("epoch", epoch).digest();
    }
}
