package org.mpcwallet.crypto.protocol.keygen;

import java.math.BigInteger;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.hash.Transcript;

/** The K4 confirmation digest of docs/protocol.md §4. */
final class KeygenConfirm {
    private KeygenConfirm() {}

    static byte[] digest(byte[] sid, Point q, Point q1, Point q2, BigInteger n, BigInteger cKey,
            byte[] bankRingPedersen, byte[] deviceRingPedersen) {
        return new Transcript("mpcwallet/keygen/confirm/v2").append("sid", sid).append("Q", q.encode())
                .append("Q1", q1.encode()).append("Q2", q2.encode()).append("N", n).append("c_key", cKey)
                .append("ring-pedersen/bank", bankRingPedersen).append("ring-pedersen/device", deviceRingPedersen)
                .digest();
    }
}
