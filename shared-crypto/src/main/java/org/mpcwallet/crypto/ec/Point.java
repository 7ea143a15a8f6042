package org.mpcwallet.crypto.ec;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECConstantTimeMultiplier;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Curve;
import org.mpcwallet.crypto.core.Bytes;

/**
 * A point of secp256k1 that is on the curve and not the identity (the only points the protocol ever accepts).
 * Canonical wire form: 33-byte SEC1 compressed encoding. Arithmetic is Bouncy Castle's (pure Java, TeaVM-safe).
 */
public final class Point {
    private static final ECCurve CURVE = new SecP256K1Curve();
    private static final ECPoint G_RAW = CURVE.createPoint(
            new BigInteger("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", 16),
            new BigInteger("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", 16));
    private static final FixedPointCombMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();
    private static final ECConstantTimeMultiplier CONSTANT_TIME = new ECConstantTimeMultiplier(Secp256k1.N);

    /** The generator G (SEC 2, 2.4.1). */
    public static final Point G = new Point(G_RAW);

    private final ECPoint p;
    private final byte[] encoded;

    private Point(ECPoint point) {
        ECPoint n = point.normalize();
        if (n.isInfinity() || !n.isValid()) {
            throw new IllegalArgumentException("point is the identity or not on secp256k1");
        }
        this.p = n;
        this.encoded = n.getEncoded(true);
    }

    /** Strict decoding: exactly 33 bytes, prefix 02/03, x < p, on the curve (never the identity). */
    public static Point decode(byte[] data) {
        if (data == null || data.length != 33 || (data[0] != 2 && data[0] != 3)) {
            throw new IllegalArgumentException("point encoding must be 33 bytes with prefix 02 or 03");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(data, 1, 33));
        if (x.compareTo(Secp256k1.P) >= 0) {
            throw new IllegalArgumentException("point x-coordinate is not below the field prime");
        }
        ECPoint decoded;
        try {
            decoded = CURVE.decodePoint(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("point is not on secp256k1");
        }
        return new Point(decoded);
    }

    /** k·G for a scalar 1 <= k < n. */
    public static Point mulG(BigInteger k) {
        return new Point(BASE_MULTIPLIER.multiply(G_RAW, Scalars.requireNonZero(k)));
    }

    /**
     * k·this for a scalar 1 <= k < n, usually secret (nonces, shares): Bouncy Castle's constant-time multiplier, whose
     * sequence of point operations does not depend on k. (Java's BigInteger and the JIT give no hard constant-time
     * guarantee; see docs/threat-model.md.)
     */
    public Point mul(BigInteger k) {
        return new Point(CONSTANT_TIME.multiply(p, Scalars.requireNonZero(k)));
    }

    /** this + other; throws if the sum is the identity. */
    public Point add(Point other) {
        return new Point(p.add(other.p));
    }

    /** this - other; throws if the difference is the identity. */
    public Point subtract(Point other) {
        return new Point(p.subtract(other.p));
    }

    /** u1·G + u2·this (as ECDSA verification needs); null when the result is the identity. */
    Point sumOfMultiplies(BigInteger u1, BigInteger u2) {
        ECPoint r = BASE_MULTIPLIER.multiply(G_RAW, u1).add(p.multiply(u2)).normalize();
        return r.isInfinity() ? null : new Point(r);
    }

    public BigInteger x() {
        return p.getAffineXCoord().toBigInteger();
    }

    public boolean yIsOdd() {
        return p.getAffineYCoord().testBitZero();
    }

    public byte[] encode() {
        return encoded.clone();
    }

    /** 65-byte SEC1 uncompressed encoding 04 || X || Y (for Ethereum addresses). */
    public byte[] encodeUncompressed() {
        return p.getEncoded(false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Point other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Point[" + Bytes.toHex(encoded) + "]";
    }
}
