package org.mpcwallet.crypto.protocol;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.zk.VerifiedPaillierKey;
import org.mpcwallet.crypto.zk.VerifiedRingPedersen;

/**
 * The user device's (P2's) share of one key epoch: x2, P1's verified Paillier key, c_key = Enc(x1) and P1's
 * ring-Pedersen parameters (verified with Π^prm), under which P2 proves its signing ciphertext (docs/protocol.md
 * §5.2). Secret: {@link #toString()} is redacted; {@link #encode()} is what the share vault encrypts.
 *
 * <p>Format 2 carries the bank's ring-Pedersen parameters; format 1 (before proven signing) is still read, and such
 * a share refuses to sign until a refresh gives it the parameters ({@link #bankRingPedersen()} is null).
 */
public final class P2KeyShare {
    private static final int FORMAT = 2;
    private static final int FORMAT_WITHOUT_RING_PEDERSEN = 1;
    private final byte[] keyId;
    private final int epoch;
    private final BigInteger x2;
    private final Point q1;
    private final Point q2;
    private final Point publicKey;
    private final VerifiedPaillierKey paillier;
    private final BigInteger cKey;
    private final byte[] fingerprint;
    private final VerifiedRingPedersen bankRingPedersen;

    public P2KeyShare(byte[] keyId, int epoch, BigInteger x2, Point q1, VerifiedPaillierKey paillier,
            BigInteger cKey, VerifiedRingPedersen bankRingPedersen) {
        if (keyId == null || keyId.length != 32 || epoch < 0) {
            throw new IllegalArgumentException("key id must be 32 bytes and epoch non-negative");
        }
        if (!paillier.publicKey().isValidCiphertext(cKey)) {
            throw new IllegalArgumentException("c_key is not a valid ciphertext");
        }
        this.keyId = keyId.clone();
        this.epoch = epoch;
        this.x2 = Scalars.requireNonZero(x2);
        this.q1 = q1;
        this.q2 = Point.mulG(x2);
        this.publicKey = q1.mul(x2);
        this.paillier = paillier;
        this.cKey = cKey;
        this.fingerprint = KeyFingerprint.of(publicKey, paillier.publicKey().n(), cKey, epoch);
        this.bankRingPedersen = bankRingPedersen;
    }

    /** P1's proven ring-Pedersen parameters, or null for a format-1 share that cannot sign until refreshed. */
    public VerifiedRingPedersen bankRingPedersen() {
        return bankRingPedersen;
    }

    public byte[] keyId() {
        return keyId.clone();
    }

    public int epoch() {
        return epoch;
    }

    /** Secret share x2, for protocol steps only. */
    public BigInteger x2() {
        return x2;
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

    public PaillierPublicKey paillier() {
        return paillier.publicKey();
    }

    public VerifiedPaillierKey verifiedPaillier() {
        return paillier;
    }

    public BigInteger cKey() {
        return cKey;
    }

    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** Plaintext secret encoding, to be sealed by the share vault. */
    public byte[] encode() {
        WireWriter w = new WireWriter().u8(bankRingPedersen == null ? FORMAT_WITHOUT_RING_PEDERSEN : FORMAT)
                .raw(keyId).count(epoch).bytes(Scalars.encode(x2)).bytes(q1.encode())
                .unsigned(paillier.publicKey().n()).unsigned(cKey);
        if (bankRingPedersen != null) {
            w.unsigned(bankRingPedersen.nHat()).unsigned(bankRingPedersen.s()).unsigned(bankRingPedersen.t());
        }
        return w.toByteArray();
    }

    /**
     * Decodes a share that comes out of the authenticated share vault (AES-GCM under the user's password): the
     * Paillier key was verified at keygen/refresh and the vault's tag proves the bytes are the ones stored then.
     */
    public static P2KeyShare decodeFromVault(byte[] data) {
        WireReader r = new WireReader(data, "P2KeyShare.decode");
        int format = r.u8("format");
        if (format != FORMAT && format != FORMAT_WITHOUT_RING_PEDERSEN) {
            throw new ProtocolException(FailureKind.MALFORMED_MESSAGE, "P2KeyShare.decode", null,
                    "unsupported share format");
        }
        byte[] keyId = r.raw(32, "key id");
        int epoch = new BigInteger(1, r.raw(4, "epoch")).intValue();
        BigInteger x2 = Codec.scalar(r, "x2", "P2KeyShare.decode");
        Point q1 = Codec.point(r, "Q1", "P2KeyShare.decode");
        BigInteger n = r.unsigned("N", Codec.MAX_MODULUS_BYTES);
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
            return new P2KeyShare(keyId, epoch, x2, q1,
                    VerifiedPaillierKey.fromAuthenticatedStorage(n, PaillierShareSetup.MODULUS_BITS), cKey,
                    nHat == null ? null : VerifiedRingPedersen.fromAuthenticatedStorage(nHat, s, t));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(FailureKind.INVALID_PARAMETER, "P2KeyShare.decode", null,
                    "stored share is inconsistent");
        }
    }

    @Override
    public String toString() {
        return "P2KeyShare[epoch=" + epoch + ", Q=" + publicKey + ", secret redacted]";
    }
}
