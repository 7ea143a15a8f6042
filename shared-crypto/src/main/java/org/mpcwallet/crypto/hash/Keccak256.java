package org.mpcwallet.crypto.hash;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Keccak-256 as used by Ethereum (original Keccak padding, not SHA3-256). */
public final class Keccak256 {
    private Keccak256() {}

    public static byte[] hash(byte[]... parts) {
        KeccakDigest d = new KeccakDigest(256);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
