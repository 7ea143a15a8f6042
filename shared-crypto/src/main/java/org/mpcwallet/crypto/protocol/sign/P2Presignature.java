package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.SingleUse;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.protocol.Codec;

/**
 * P2's half of a presignature (docs/protocol.md §5.1): k2⁻¹, the mask ρ_mask and pre = c_key^t·u^N mod N², so the
 * online step is one multiplication. Single use: the device deletes it before sending O1. Secret: redacted.
 */
public final class P2Presignature {
    private static final int FORMAT = 1;
    private final byte[] id;
    private final byte[] keyFingerprint;
    private final BigInteger k2Inverse;
    private final BigInteger rhoMask;
    private final BigInteger pre;
    private final Point bigR;
    private final SingleUse<Boolean> unused = new SingleUse<>(Boolean.TRUE);

    public P2Presignature(byte[] id, byte[] keyFingerprint, BigInteger k2Inverse, BigInteger rhoMask,
            BigInteger pre, Point bigR) {
        if (id.length != 32 || keyFingerprint.length != 32) {
            throw new IllegalArgumentException("presignature id and key fingerprint must be 32 bytes");
        }
        if (rhoMask.signum() < 0 || rhoMask.bitLength() > OnlineP2Encrypt.MASK_BITS) {
            throw new IllegalArgumentException("mask out of range");
        }
        this.id = id.clone();
        this.keyFingerprint = keyFingerprint.clone();
        this.k2Inverse = Scalars.requireNonZero(k2Inverse);
        this.rhoMask = rhoMask;
        this.pre = pre;
        this.bigR = bigR;
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

    BigInteger k2Inverse() {
        return k2Inverse;
    }

    BigInteger rhoMask() {
        return rhoMask;
    }

    BigInteger pre() {
        return pre;
    }

    /** Marks this in-memory presignature used; a second online use fails instead of reusing the nonce. */
    void consume(String step) {
        unused.take(step);
    }

    public Point bigR() {
        return bigR;
    }

    public byte[] encode() {
        return new WireWriter().u8(FORMAT).raw(id).raw(keyFingerprint).bytes(Scalars.encode(k2Inverse))
                .unsigned(rhoMask).unsigned(pre).bytes(bigR.encode()).toByteArray();
    }

    public static P2Presignature decode(byte[] data) {
        WireReader r = new WireReader(data, "P2Presignature.decode");
        if (r.u8("format") != FORMAT) {
            throw new ProtocolException(FailureKind.MALFORMED_MESSAGE, "P2Presignature.decode", null,
                    "unsupported presignature format");
        }
        byte[] id = r.raw(32, "id");
        byte[] fp = r.raw(32, "key fingerprint");
        BigInteger k2Inv = Codec.scalar(r, "k2inv", "P2Presignature.decode");
        BigInteger mask = r.unsigned("mask", 256);
        BigInteger pre = r.unsigned("pre", Codec.MAX_CIPHERTEXT_BYTES);
        Point bigR = Codec.point(r, "R", "P2Presignature.decode");
        r.end();
        return new P2Presignature(id, fp, k2Inv, mask, pre, bigR);
    }

    @Override
    public String toString() {
        return "P2Presignature[id=" + idHex().substring(0, 8) + "…, secret redacted]";
    }
}
