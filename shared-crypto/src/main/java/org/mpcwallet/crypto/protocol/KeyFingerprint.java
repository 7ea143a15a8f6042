package org.mpcwallet.crypto.protocol;

import java.math.BigInteger;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.hash.Transcript;

/** SHA-256 over (Q, N, c_key, epoch): names one share epoch; presignatures are bound to it (§5.1). */
public final class KeyFingerprint {
    private KeyFingerprint() {}

    public static byte[] of(Point publicKey, BigInteger paillierN, BigInteger cKey, int epoch) {
        return new Transcript("mpcwallet/key-fingerprint/v1").append("Q", publicKey.encode()).append("N", paillierN)
                .append("c_key", cKey).append("epoch", epoch).digest();
    }
}
