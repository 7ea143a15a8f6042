package org.mpcwallet.signer.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.signer.internal.StrictUtf8;

/**
 * Encryption at rest for P1 presignatures (k1 is as secret as a share: with k1 and one signature x1 follows). Format
 * {@code MPCP} v1, byte by byte in docs/bank-signer.md: a header binding keyset, share epoch, presignature id and
 * KEK id, then {@code AES-256-GCM(KEK, nonce, P1Presignature.encode(), aad = header ‖ nonce)}. The same AES-GCM
 * construction as the share store, with a distinct magic so a presignature blob never opens as a share or the
 * reverse. Stateless and thread-safe.
 */
public final class PresignatureStore {
    static final byte[] MAGIC = {0x4d, 0x50, 0x43, 0x50}; // "MPCP"
    static final int VERSION = 1;
    static final int ID_BYTES = 32;
    static final int MAX_PAYLOAD_BYTES = 4096;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;

    private PresignatureStore() {}

    /** Seals {@code presig} (made under share epoch {@code epoch}) for {@code keysetId} with a fresh nonce. */
    public static byte[] seal(P1Presignature presig, String keysetId, int epoch, KeyEncryptionKey kek,
            SecureRandom random) {
        if (presig == null || kek == null || random == null) {
            throw new IllegalArgumentException("presignature, KEK and random source are required");
        }
        byte[] id = EncryptedShareStore.keysetIdBytes(keysetId);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(MAGIC);
        h.write(VERSION);
        h.write(id.length >>> 8);
        h.write(id.length);
        h.writeBytes(id);
        h.writeBytes(ByteBuffer.allocate(4).putInt(epoch).array());
        h.writeBytes(presig.id());
        h.writeBytes(kek.idBytes());
        h.writeBytes(nonce);
        byte[] aad = h.toByteArray();
        byte[] plain = presig.encode();
        try {
            byte[] ct = gcm(Cipher.ENCRYPT_MODE, kek, nonce, aad, plain);
            ByteBuffer out = ByteBuffer.allocate(aad.length + 4 + ct.length);
            return out.put(aad).putInt(ct.length).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable (" + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Opens a presignature blob that must belong to {@code expectedKeysetId} and carry {@code expectedId} (64 hex
     * characters). Failures: MALFORMED, UNSUPPORTED_VERSION, WRONG_KEK, TAMPERED, WRONG_KEYSET (also for another
     * presignature id), INCONSISTENT_SHARE (the plaintext does not decode as a presignature with that id).
     */
    public static Result<P1Presignature, StoreFailure> open(byte[] blob, String expectedKeysetId, String expectedId,
            KeyEncryptionKey kek) {
        byte[] expectedKeyset = EncryptedShareStore.keysetIdBytes(expectedKeysetId);
        if (kek == null || expectedId == null) {
            throw new IllegalArgumentException("KEK and presignature id are required");
        }
        if (blob == null || blob.length < 7 || !Arrays.equals(blob, 0, 4, MAGIC, 0, 4)) {
            return failure(StoreFailureKind.MALFORMED, "not an MPCP presignature blob");
        }
        if ((blob[4] & 0xff) != VERSION) {
            return failure(StoreFailureKind.UNSUPPORTED_VERSION,
                    "presignature blob version " + (blob[4] & 0xff) + " is not supported");
        }
        ByteBuffer b = ByteBuffer.wrap(blob);
        b.position(5);
        int len = b.getShort() & 0xffff;
        if (len < 1 || len > 128 || b.remaining() < len + 4 + ID_BYTES + 16 + NONCE_BYTES + 4) {
            return failure(StoreFailureKind.MALFORMED, "presignature blob truncated or bad keyset length");
        }
        byte[] keyset = new byte[len];
        b.get(keyset);
        int epoch = b.getInt();
        byte[] id = new byte[ID_BYTES];
        b.get(id);
        byte[] kekId = new byte[16];
        b.get(kekId);
        byte[] nonce = new byte[NONCE_BYTES];
        b.get(nonce);
        int aadEnd = b.position();
        int p = b.getInt();
        if (p < TAG_BYTES + 1 || p > MAX_PAYLOAD_BYTES || b.remaining() != p) {
            return failure(StoreFailureKind.MALFORMED, "presignature payload length out of bounds");
        }
        String keysetText = StrictUtf8.decode(keyset);
        if (keysetText == null) {
            return failure(StoreFailureKind.MALFORMED, "keyset id is not well-formed UTF-8");
        }
        if (!MessageDigest.isEqual(kekId, kek.idBytes())) {
            String needed = Bytes.toHex(kekId);
            return Result.err(new StoreFailure(StoreFailureKind.WRONG_KEK,
                    "presignature is sealed under KEK " + needed + ", not under the configured KEK " + kek.id(),
                    needed));
        }
        byte[] aad = Arrays.copyOfRange(blob, 0, aadEnd);
        byte[] ct = Arrays.copyOfRange(blob, aadEnd + 4, blob.length);
        byte[] plain = null;
        try {
            try {
                plain = gcm(Cipher.DECRYPT_MODE, kek, nonce, aad, ct);
            } catch (AEADBadTagException e) {
                return failure(StoreFailureKind.TAMPERED, "the presignature blob does not authenticate");
            }
            if (!MessageDigest.isEqual(keyset, expectedKeyset)) {
                return failure(StoreFailureKind.WRONG_KEYSET,
                        "presignature belongs to keyset " + keysetText + ", not to " + expectedKeysetId);
            }
            if (!Bytes.toHex(id).equals(expectedId)) {
                return failure(StoreFailureKind.WRONG_KEYSET,
                        "presignature blob carries another presignature id");
            }
            P1Presignature presig;
            try {
                presig = P1Presignature.decode(plain);
            } catch (RuntimeException e) {
                return failure(StoreFailureKind.INCONSISTENT_SHARE,
                        "the decrypted bytes do not decode as a P1 presignature");
            }
            if (!Arrays.equals(presig.id(), id)) {
                return failure(StoreFailureKind.INCONSISTENT_SHARE,
                        "the presignature's id differs from the blob header's");
            }
            return Result.ok(presig);
        } catch (GeneralSecurityException e) {
            return failure(StoreFailureKind.TAMPERED,
                    "AES-GCM refused the blob (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** The share epoch in a presignature blob's (unauthenticated) header, or -1 if the header does not parse. */
    public static long epochOf(byte[] blob) {
        if (blob == null || blob.length < 7 || !Arrays.equals(blob, 0, 4, MAGIC, 0, 4)) {
            return -1;
        }
        int len = ((blob[5] & 0xff) << 8) | (blob[6] & 0xff);
        if (blob.length < 7 + len + 4) {
            return -1;
        }
        return ByteBuffer.wrap(blob, 7 + len, 4).getInt() & 0xffffffffL;
    }

    private static byte[] gcm(int mode, KeyEncryptionKey kek, byte[] nonce, byte[] aad, byte[] input)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, kek.secretKey(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
        c.updateAAD(aad);
        return c.doFinal(input);
    }

    private static <T> Result<T, StoreFailure> failure(StoreFailureKind kind, String reason) {
        return Result.err(StoreFailure.of(kind, reason));
    }
}
