package org.mpcwallet.signer.permit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.signer.internal.StrictUtf8;

/**
 * A signing permit (docs/bank-design.md "Signing permits", encoding byte by byte in docs/bank-signer.md): the
 * orchestrator's statement that this transaction, for this wallet and keyset, passed these controls and may be
 * signed once, within a short window. Immutable; arrays are copied in and out.
 *
 * <p>Canonical encoding (every length and count a 4-byte big-endian prefix, integers big-endian):
 * <pre>
 * version u8 = 1 | requestId | walletId | keysetId | signingPayload | signingHash (32) | issuedAt u64 | expiresAt u64
 *   | nonce (16) | controls: count u32, then per control name, result | auditHead (32)
 * </pre>
 * The constructor checks shapes only (lengths, UTF-8, non-negative times); whether the window, keyset, hash and
 * transaction are acceptable is {@link PermitVerifier}'s decision, so that a bad permit can be built in tests.
 */
public final class SigningPermit {
    public static final int VERSION = 1;
    public static final int MAX_ID_BYTES = 128;
    public static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    public static final int HASH_BYTES = 32;
    public static final int NONCE_BYTES = 16;
    public static final int MAX_CONTROLS = 64;
    public static final int MAX_CONTROL_NAME_BYTES = 64;
    public static final int MAX_CONTROL_RESULT_BYTES = 128;

    /** One control and its outcome, as the orchestrator recorded it (e.g. ("kyt", "pass")). */
    public record Control(String name, String result) {
        public Control {
            StrictUtf8.require(name, 1, MAX_CONTROL_NAME_BYTES, "control name");
            StrictUtf8.require(result, 1, MAX_CONTROL_RESULT_BYTES, "control result");
        }
    }

    private final String requestId;
    private final String walletId;
    private final String keysetId;
    private final byte[] signingPayload;
    private final byte[] signingHash;
    private final long issuedAt;
    private final long expiresAt;
    private final byte[] nonce;
    private final List<Control> controls;
    private final byte[] auditHead;

    public SigningPermit(String requestId, String walletId, String keysetId, byte[] signingPayload,
            byte[] signingHash, long issuedAt, long expiresAt, byte[] nonce, List<Control> controls,
            byte[] auditHead) {
        StrictUtf8.require(requestId, 1, MAX_ID_BYTES, "request id");
        StrictUtf8.require(walletId, 1, MAX_ID_BYTES, "wallet id");
        StrictUtf8.require(keysetId, 1, MAX_ID_BYTES, "keyset id");
        if (signingPayload == null || signingPayload.length < 1 || signingPayload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("signing payload must be 1..131072 bytes");
        }
        if (signingHash == null || signingHash.length != HASH_BYTES) {
            throw new IllegalArgumentException("signing hash must be 32 bytes");
        }
        if (issuedAt < 0 || expiresAt < 0) {
            throw new IllegalArgumentException("issuedAt and expiresAt are non-negative epoch milliseconds");
        }
        if (nonce == null || nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("nonce must be 16 bytes");
        }
        if (controls == null || controls.size() > MAX_CONTROLS
                || controls.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("controls must be a list of at most 64 controls");
        }
        if (auditHead == null || auditHead.length != HASH_BYTES) {
            throw new IllegalArgumentException("audit head hash must be 32 bytes");
        }
        this.requestId = requestId;
        this.walletId = walletId;
        this.keysetId = keysetId;
        this.signingPayload = signingPayload.clone();
        this.signingHash = signingHash.clone();
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.nonce = nonce.clone();
        this.controls = List.copyOf(controls);
        this.auditHead = auditHead.clone();
    }

    /** A permit for {@code tx}: its signing payload and Keccak-256 signing hash are taken from the transaction. */
    public static SigningPermit forTransaction(String requestId, String walletId, String keysetId,
            EthTransaction tx, long issuedAt, long expiresAt, byte[] nonce, List<Control> controls,
            byte[] auditHead) {
        return new SigningPermit(requestId, walletId, keysetId, tx.signingPayload(), tx.signingHash(), issuedAt,
                expiresAt, nonce, controls, auditHead);
    }

    public int version() {
        return VERSION;
    }

    public String requestId() {
        return requestId;
    }

    public String walletId() {
        return walletId;
    }

    public String keysetId() {
        return keysetId;
    }

    /** The canonical signing payload, EIP-1559 {@code 0x02 || rlp([...])} or EIP-155 {@code rlp([...])} (copy). */
    public byte[] signingPayload() {
        return signingPayload.clone();
    }

    /** The 32-byte hash the orchestrator claims is Keccak-256 of the payload (copy). */
    public byte[] signingHash() {
        return signingHash.clone();
    }

    public long issuedAt() {
        return issuedAt;
    }

    public long expiresAt() {
        return expiresAt;
    }

    public byte[] nonce() {
        return nonce.clone();
    }

    /** Ordered, unmodifiable. */
    public List<Control> controls() {
        return controls;
    }

    public byte[] auditHead() {
        return auditHead.clone();
    }

    /** The canonical encoding (what the Ed25519 signature covers, after the domain tag). */
    public byte[] encode() {
        WireWriter w = new WireWriter().u8(VERSION)
                .bytes(StrictUtf8.encode(requestId))
                .bytes(StrictUtf8.encode(walletId))
                .bytes(StrictUtf8.encode(keysetId))
                .bytes(signingPayload)
                .bytes(signingHash)
                .raw(Bytes.int64(issuedAt))
                .raw(Bytes.int64(expiresAt))
                .bytes(nonce)
                .count(controls.size());
        for (Control c : controls) {
            w.bytes(StrictUtf8.encode(c.name())).bytes(StrictUtf8.encode(c.result()));
        }
        return w.bytes(auditHead).toByteArray();
    }

    /**
     * Strict decoding: version 1, every length within bounds, well-formed UTF-8, no trailing bytes, and the
     * re-encoding equal to the input.
     *
     * @throws IllegalArgumentException naming the offending field (never a value)
     */
    public static SigningPermit decode(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("permit bytes are missing");
        }
        try {
            WireReader r = new WireReader(data, "permit");
            int version = r.u8("version");
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported permit version " + version);
            }
            String requestId = text(r, "request id", MAX_ID_BYTES);
            String walletId = text(r, "wallet id", MAX_ID_BYTES);
            String keysetId = text(r, "keyset id", MAX_ID_BYTES);
            byte[] payload = r.bytes("signing payload", MAX_PAYLOAD_BYTES);
            byte[] hash = r.fixed("signing hash", HASH_BYTES);
            long issuedAt = u64(r, "issuedAt");
            long expiresAt = u64(r, "expiresAt");
            byte[] nonce = r.fixed("nonce", NONCE_BYTES);
            byte[] countBytes = r.raw(4, "controls count");
            long count = Integer.toUnsignedLong(((countBytes[0] & 0xff) << 24) | ((countBytes[1] & 0xff) << 16)
                    | ((countBytes[2] & 0xff) << 8) | (countBytes[3] & 0xff));
            if (count > MAX_CONTROLS) {
                throw new IllegalArgumentException("controls: more than " + MAX_CONTROLS);
            }
            List<Control> controls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                controls.add(new Control(text(r, "control name", MAX_CONTROL_NAME_BYTES),
                        text(r, "control result", MAX_CONTROL_RESULT_BYTES)));
            }
            byte[] auditHead = r.fixed("audit head", HASH_BYTES);
            r.end();
            SigningPermit p = new SigningPermit(requestId, walletId, keysetId, payload, hash, issuedAt, expiresAt,
                    nonce, controls, auditHead);
            if (!Arrays.equals(p.encode(), data)) {
                throw new IllegalArgumentException("permit encoding is not canonical");
            }
            return p;
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e.failure().reason());
        }
    }

    private static String text(WireReader r, String field, int max) {
        byte[] b = r.bytes(field, max);
        String s = StrictUtf8.decode(b);
        if (s == null || b.length == 0) {
            throw new IllegalArgumentException(field + ": empty or not valid UTF-8");
        }
        return s;
    }

    private static long u64(WireReader r, String field) {
        long v = 0;
        for (byte x : r.raw(8, field)) {
            v = (v << 8) | (x & 0xff);
        }
        if (v < 0) {
            throw new IllegalArgumentException(field + ": out of range");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningPermit other && Arrays.equals(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "SigningPermit[request=" + requestId + ", wallet=" + walletId + ", keyset=" + keysetId + ", hash="
                + HexFormat.of().formatHex(signingHash) + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
    }
}
