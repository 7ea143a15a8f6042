package org.mpcwallet.crypto.hash;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** HMAC-SHA256 (RFC 2104), Bouncy Castle's lightweight MAC. */
public final class HmacSha256 {
    private HmacSha256() {}

    public static byte[] mac(byte[] key, byte[]... parts) {
        HMac h = new HMac(new SHA256Digest());
        h.init(new KeyParameter(key));
        for (byte[] p : parts) {
            h.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        h.doFinal(out, 0);
        return out;
    }
}
