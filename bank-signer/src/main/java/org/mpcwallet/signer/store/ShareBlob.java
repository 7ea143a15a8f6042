package org.mpcwallet.signer.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.mpcwallet.signer.internal.StrictUtf8;

/**
 * The parsed, not yet authenticated layout of an {@code MPCS} v1 share blob (docs/bank-signer.md, "Share blob
 * format"):
 *
 * <pre>
 * header  = "MPCS" | version=1 u8 | keysetIdLen u16 (1..128) | keysetId (UTF-8) | epoch u32 | kekId[16]
 * wrapped = nonce1[12] | AES-256-GCM(KEK, nonce1, DK, aad = header)                     (32 + 16 bytes)
 * body    = nonce2[12] | payloadLen u32 | AES-256-GCM(DK, nonce2, P1KeyShare.encode(), aad = header || wrapped)
 * </pre>
 *
 * All integers are big-endian. Parsing is strict: nothing may follow the payload.
 */
final class ShareBlob {
    static final byte[] MAGIC = {0x4d, 0x50, 0x43, 0x53};
    static final int VERSION = 1;
    static final int MAX_KEYSET_ID_BYTES = 128;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int DATA_KEY_BYTES = 32;
    static final int WRAPPED_SECTION_BYTES = NONCE_BYTES + DATA_KEY_BYTES + TAG_BYTES;
    /** A share encoding is at most 1 MiB; the payload adds the tag. */
    static final int MAX_SHARE_BYTES = 1 << 20;
    static final int MAX_PAYLOAD_BYTES = MAX_SHARE_BYTES + TAG_BYTES;

    /** Thrown by {@link #parse} with the failure value; internal to the store. */
    static final class FormatException extends Exception {
        final StoreFailure failure;

        FormatException(StoreFailureKind kind, String reason) {
            super(reason, null, false, false);
            this.failure = StoreFailure.of(kind, reason);
        }
    }

    final byte[] header;
    final String keysetId;
    final long epoch;
    final byte[] kekId;
    final byte[] nonce1;
    final byte[] wrappedKey;
    final byte[] nonce2;
    final byte[] payload;

    private ShareBlob(byte[] header, String keysetId, long epoch, byte[] kekId, byte[] nonce1, byte[] wrappedKey,
            byte[] nonce2, byte[] payload) {
        this.header = header;
        this.keysetId = keysetId;
        this.epoch = epoch;
        this.kekId = kekId;
        this.nonce1 = nonce1;
        this.wrappedKey = wrappedKey;
        this.nonce2 = nonce2;
        this.payload = payload;
    }

    /** header || nonce1 || wrapped key: the associated data of the payload. */
    byte[] payloadAad() {
        ByteBuffer b = ByteBuffer.allocate(header.length + WRAPPED_SECTION_BYTES);
        return b.put(header).put(nonce1).put(wrappedKey).array();
    }

    static byte[] encodeHeader(byte[] keysetIdUtf8, long epoch, byte[] kekId) {
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 1 + 2 + keysetIdUtf8.length + 4 + KeyEncryptionKey.ID_BYTES);
        b.put(MAGIC).put((byte) VERSION).putShort((short) keysetIdUtf8.length).put(keysetIdUtf8)
                .putInt((int) epoch).put(kekId);
        return b.array();
    }

    static byte[] encode(byte[] header, byte[] nonce1, byte[] wrappedKey, byte[] nonce2, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(header.length + WRAPPED_SECTION_BYTES + NONCE_BYTES + 4 + payload.length);
        b.put(header).put(nonce1).put(wrappedKey).put(nonce2).putInt(payload.length).put(payload);
        return b.array();
    }

    /** Strict parse. Checks magic, version, every length and the absence of trailing bytes; authenticates nothing. */
    static ShareBlob parse(byte[] blob) throws FormatException {
        if (blob == null) {
            throw new FormatException(StoreFailureKind.MALFORMED, "blob is missing");
        }
        Reader r = new Reader(blob);
        if (!Arrays.equals(r.take(MAGIC.length, "magic"), MAGIC)) {
            throw new FormatException(StoreFailureKind.MALFORMED, "not an MPCS share blob (magic)");
        }
        int version = r.u8("version");
        if (version != VERSION) {
            throw new FormatException(StoreFailureKind.UNSUPPORTED_VERSION,
                    "share blob version " + version + " is not supported (this code reads version " + VERSION + ")");
        }
        int idLen = r.u16("keyset id length");
        if (idLen < 1 || idLen > MAX_KEYSET_ID_BYTES) {
            throw new FormatException(StoreFailureKind.MALFORMED, "keyset id length out of bounds (1..128)");
        }
        byte[] idBytes = r.take(idLen, "keyset id");
        String keysetId = StrictUtf8.decode(idBytes);
        if (keysetId == null) {
            throw new FormatException(StoreFailureKind.MALFORMED, "keyset id is not valid UTF-8");
        }
        long epoch = r.u32("epoch");
        byte[] kekId = r.take(KeyEncryptionKey.ID_BYTES, "KEK id");
        byte[] header = Arrays.copyOfRange(blob, 0, r.pos);
        byte[] nonce1 = r.take(NONCE_BYTES, "data key nonce");
        byte[] wrapped = r.take(DATA_KEY_BYTES + TAG_BYTES, "wrapped data key");
        byte[] nonce2 = r.take(NONCE_BYTES, "payload nonce");
        long payloadLen = r.u32("payload length");
        if (payloadLen <= TAG_BYTES || payloadLen > MAX_PAYLOAD_BYTES) {
            throw new FormatException(StoreFailureKind.MALFORMED, "payload length out of bounds");
        }
        byte[] payload = r.take((int) payloadLen, "payload");
        if (r.pos != blob.length) {
            throw new FormatException(StoreFailureKind.MALFORMED, "trailing bytes after the payload");
        }
        return new ShareBlob(header, keysetId, epoch, kekId, nonce1, wrapped, nonce2, payload);
    }

    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        byte[] take(int n, String field) throws FormatException {
            if (data.length - pos < n) {
                throw new FormatException(StoreFailureKind.MALFORMED, field + ": truncated");
            }
            byte[] out = Arrays.copyOfRange(data, pos, pos + n);
            pos += n;
            return out;
        }

        int u8(String field) throws FormatException {
            return take(1, field)[0] & 0xff;
        }

        int u16(String field) throws FormatException {
            byte[] b = take(2, field);
            return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        }

        long u32(String field) throws FormatException {
            byte[] b = take(4, field);
            return ((long) (b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        }
    }
}
