package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.protocol.Codec;

/**
 * P1's half of a presignature (docs/protocol.md §5.1): nonce share k1, the joint nonce point R and P2's nonce point
 * R2 (the base of P2's signing proof, §5.2). Single use: the holder removes it before use. Secret (k1): toString is
 * redacted. Format 2 (with R2); format-1 presignatures (before proven signing) no longer decode.
 */
public final class P1Presignature {
    private static final int FORMAT = 2;
    private final byte[] id;
    private final byte[] keyFingerprint;
    private final BigInteger k1;
    private final Point bigR;
    private final Point r2;

    public P1Presignature(byte[] id, byte[] keyFingerprint, BigInteger k1, Point bigR, Point r2) {
        if (id.length != 32 || keyFingerprint.length != 32) {
            throw new IllegalArgumentException("presignature id and key fingerprint must be 32 bytes");
        }
        this.id = id.clone();
        this.keyFingerprint = keyFingerprint.clone();
        this.k1 = Scalars.requireNonZero(k1);
        this.bigR = bigR;
        if (bigR == null || r2 == null) {
            throw new IllegalArgumentException("R and R2 are required");
        }
        this.r2 = r2;
    }

    /** P2's nonce point R2 = k2·G. */
    public Point r2() {
        return r2;
    }

    public byte[] id() {
        return id.clone();
    }

    public String idHex() {
        return Bytes.toHex(id);
    }

    public byte[] keyFingerprint() {
        return keyFingerprint.clone();
    }

    BigInteger k1() {
        return k1;
    }

    public Point bigR() {
        return bigR;
    }

    /** r = R.x mod q. */
    public BigInteger r() {
        return bigR.x().mod(Secp256k1.N);
    }

    /** Plaintext secret encoding for the bank signer's encrypted presignature store. */
    public byte[] encode() {
        return new WireWriter().u8(FORMAT).raw(id).raw(keyFingerprint).bytes(Scalars.encode(k1)).bytes(bigR.encode())
                .bytes(r2.encode()).toByteArray();
    }

    public static P1Presignature decode(byte[] data) {
        WireReader r = new WireReader(data, "P1Presignature.decode");
        if (r.u8("format") != FORMAT) {
            throw new ProtocolException(FailureKind.MALFORMED_MESSAGE, "P1Presignature.decode", null,
                    "unsupported presignature format");
        }
        byte[] id = r.raw(32, "id");
        byte[] fp = r.raw(32, "key fingerprint");
        BigInteger k1 = Codec.scalar(r, "k1", "P1Presignature.decode");
        Point bigR = Codec.point(r, "R", "P1Presignature.decode");
        Point r2 = Codec.point(r, "R2", "P1Presignature.decode");
        r.end();
        return new P1Presignature(id, fp, k1, bigR, r2);
    }

    @Override
    public String toString() {
        return "P1Presignature[id=" + idHex().substring(0, 8) + "…, secret redacted]";
    }
}
