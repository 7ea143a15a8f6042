package org.mpcwallet.crypto.hash;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** SHA-256 (FIPS 180-4), Bouncy Castle's pure-Java digest. */
public final class Sha256 {
    private Sha256() {}

    public static byte[] hash(byte[]... parts) {
        SHA256Digest d = new SHA256Digest();
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
