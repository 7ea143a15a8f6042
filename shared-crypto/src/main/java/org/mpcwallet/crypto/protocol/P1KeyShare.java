package org.mpcwallet.crypto.protocol;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.zk.RingPedersenParams;

/**
 * The bank's (P1's) share of one key epoch: x1, the Paillier secret key, c_key, and the public values. Secret:
 * {@link #toString()} is redacted; {@link #encode()} yields plaintext secret bytes that only the bank signer's
 * encrypted store may hold.
 *
 * <p>Format 2 also holds the bank's own ring-Pedersen parameters (public), under which P2 proves its signing
 * ciphertext and P1 verifies (docs/protocol.md §5.2); a format-1 share (before proven signing) is still read and
 * refuses to sign until refreshed ({@link #ringPedersen()} is null).
 */
public final class P1KeyShare {
    private static final int FORMAT = 2;
    private static final int FORMAT_WITHOUT_RING_PEDERSEN = 1;
    private final byte[] keyId;
    private final int epoch;
    private final BigInteger x1;
    private final Point q1;
    private final Point q2;
    private final Point publicKey;
    private final PaillierPrivateKey paillier;
    private final BigInteger cKey;
    private final byte[] fingerprint;
    private final RingPedersenParams ringPedersen;

    public P1KeyShare(byte[] keyId, int epoch, BigInteger x1, Point q2, PaillierPrivateKey paillier,
            BigInteger cKey, RingPedersenParams ringPedersen) {
        if (keyId == null || keyId.length != 32 || epoch < 0) {
            throw new IllegalArgumentException("key id must be 32 bytes and epoch non-negative");
        }
        this.keyId = keyId.clone();
        this.epoch = epoch;
        this.x1 = Scalars.requireNonZero(x1);
        this.q1 = Point.mulG(x1);
        this.q2 = q2;
        this.publicKey = q2.mul(x1);
        this.paillier = paillier;
        this.cKey = cKey;
        this.fingerprint = KeyFingerprint.of(publicKey, paillier.publicKey().n(), cKey, epoch);
        this.ringPedersen = ringPedersen;
    }

    /** The bank's ring-Pedersen parameters P2 proves under, or null for a format-1 share (cannot sign). */
    public RingPedersenParams ringPedersen() {
        return ringPedersen;
    }

    public byte[] keyId() {
        return keyId.clone();
    }

    public int epoch() {
        return epoch;
    }

    /** Secret share x1, for protocol steps only. */
    public BigInteger x1() {
        return x1;
    }

    public Point q1() {
        return q1;
    }

    public Point q2() {
        return q2;
    }

    /** The joint public key Q = x1·x2·G. */
    public Point publicKey() {
        return publicKey;
    }

    /** Secret Paillier key, for protocol steps only. */
    public PaillierPrivateKey paillier() {
        return paillier;
    }

    public PaillierPublicKey paillierPublicKey() {
        return paillier.publicKey();
    }

    /** Signed decryption (docs/protocol.md §5.2 step 5, checklist row 11). */
    public BigInteger decryptSigned(BigInteger c, ModPow mp) {
        return paillier.decryptSigned(c, mp);
    }

    public BigInteger cKey() {
        return cKey;
    }

    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** Plaintext secret encoding for the bank signer's encrypted store. */
    public byte[] encode() {
        WireWriter w = new WireWriter().u8(ringPedersen == null ? FORMAT_WITHOUT_RING_PEDERSEN : FORMAT).raw(keyId)
                .count(epoch).bytes(Scalars.encode(x1)).bytes(q2.encode()).unsigned(paillier.p())
                .unsigned(paillier.q()).unsigned(cKey);
        if (ringPedersen != null) {
            w.unsigned(ringPedersen.nHat()).unsigned(ringPedersen.s()).unsigned(ringPedersen.t());
        }
        return w.toByteArray();
    }

    /** Strict decoding; re-derives Q1, Q and N, so a corrupted blob cannot yield an inconsistent share. */
    public static P1KeyShare decode(byte[] data) {
        WireReader r = new WireReader(data, "P1KeyShare.decode");
        int format = r.u8("format");
        if (format != FORMAT && format != FORMAT_WITHOUT_RING_PEDERSEN) {
            throw new ProtocolException(FailureKind.MALFORMED_MESSAGE, "P1KeyShare.decode", null,
                    "unsupported share format");
        }
        byte[] keyId = r.raw(32, "key id");
        byte[] epochBytes = r.raw(4, "epoch");
        int epoch = new BigInteger(1, epochBytes).intValue();
        BigInteger x1 = Codec.scalar(r, "x1", "P1KeyShare.decode");
        Point q2 = Codec.point(r, "Q2", "P1KeyShare.decode");
        BigInteger p = r.unsigned("p", Codec.MAX_MODULUS_BYTES);
        BigInteger q = r.unsigned("q", Codec.MAX_MODULUS_BYTES);
        BigInteger cKey = r.unsigned("c_key", Codec.MAX_CIPHERTEXT_BYTES);
        BigInteger nHat = null;
        BigInteger s = null;
        BigInteger t = null;
        if (format == FORMAT) {
            nHat = r.unsigned("Nhat", Codec.MAX_MODULUS_BYTES);
            s = r.unsigned("s", Codec.MAX_MODULUS_BYTES);
            t = r.unsigned("t", Codec.MAX_MODULUS_BYTES);
        }
        r.end();
        try {
            return new P1KeyShare(keyId, epoch, x1, q2, new PaillierPrivateKey(p, q), cKey,
                    nHat == null ? null : RingPedersenParams.fromOwnStorage(nHat, s, t));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(FailureKind.INVALID_PARAMETER, "P1KeyShare.decode", null,
                    "stored share is inconsistent");
        }
    }

    @Override
    public String toString() {
        return "P1KeyShare[epoch=" + epoch + ", Q=" + publicKey + ", secret redacted]";
    }
}
