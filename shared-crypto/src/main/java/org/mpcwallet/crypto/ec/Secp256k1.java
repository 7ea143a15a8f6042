package org.mpcwallet.crypto.ec;

import java.math.BigInteger;

/** Domain parameters of secp256k1 (SEC 2 v2, section 2.4.1). */
public final class Secp256k1 {
    /** Field prime p. */
    public static final BigInteger P =
            new BigInteger("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", 16);
    /** Group order n (called q in docs/protocol.md). */
    public static final BigInteger N =
            new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);
    public static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1() {}
}
