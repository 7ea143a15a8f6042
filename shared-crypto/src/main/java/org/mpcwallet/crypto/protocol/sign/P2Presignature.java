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
import org.mpcwallet.crypto.zk.SignCiphertextProof;

/**
 * P2's half of a presignature (docs/protocol.md §5.1): k2⁻¹, the mask ρ_mask, pre = c_key^t·u^N mod N², t and u,
 * and the first phase of the Π^aff-ec proof, so the online step is one multiplication and two short
 * exponentiations. Single use: the device deletes it before sending O1. Secret: redacted. Format 2; format-1
 * presignatures (before proven signing) no longer decode.
 */
public final class P2Presignature {
    private static final int FORMAT = 2;
    private final byte[] id;
    private final byte[] keyFingerprint;
    private final BigInteger k2Inverse;
    private final BigInteger rhoMask;
    private final BigInteger pre;
    private final Point bigR;
    private final BigInteger t;
    private final BigInteger u;
    private final SignCiphertextProof.Precomputation proof;
    private final SingleUse<Boolean> unused = new SingleUse<>(Boolean.TRUE);

    public P2Presignature(byte[] id, byte[] keyFingerprint, BigInteger k2Inverse, BigInteger rhoMask,
            BigInteger pre, Point bigR, BigInteger t, BigInteger u, SignCiphertextProof.Precomputation proof) {
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
        if (t == null || u == null || proof == null) {
            throw new IllegalArgumentException("t, u and the proof precomputation are required");
        }
        this.t = Scalars.requireNonZero(t);
        this.u = u;
        this.proof = proof;
    }

    BigInteger t() {
        return t;
    }

    BigInteger u() {
        return u;
    }

    SignCiphertextProof.Precomputation proofPrecomputation() {
        return proof;
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
                .unsigned(rhoMask).unsigned(pre).bytes(bigR.encode()).bytes(Scalars.encode(t)).unsigned(u)
                .bytes(proof.encode()).toByteArray();
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
        BigInteger t = Codec.scalar(r, "t", "P2Presignature.decode");
        BigInteger u = r.unsigned("u", Codec.MAX_MODULUS_BYTES);
        SignCiphertextProof.Precomputation proof =
                SignCiphertextProof.Precomputation.decode(r.bytes("proof", Codec.MAX_PROOF_BYTES));
        r.end();
        return new P2Presignature(id, fp, k2Inv, mask, pre, bigR, t, u, proof);
    }

    @Override
    public String toString() {
        return "P2Presignature[id=" + idHex().substring(0, 8) + "…, secret redacted]";
    }
}
