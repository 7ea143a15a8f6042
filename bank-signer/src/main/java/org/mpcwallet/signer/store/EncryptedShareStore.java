package org.mpcwallet.signer.store;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.signer.internal.StrictUtf8;

/**
 * The bank signer's encrypted store for P1 shares (docs/bank-design.md "Share storage", format byte by byte in
 * docs/bank-signer.md): one {@code MPCS} v1 blob per keyset and epoch, envelope-encrypted with a fresh AES-256-GCM
 * data key wrapped by the {@link KeyEncryptionKey}.
 *
 * <p>{@link #open} checks, in order: strict layout ({@code MALFORMED}, {@code UNSUPPORTED_VERSION}), the KEK id
 * ({@code WRONG_KEK}, naming the id the blob needs), the data-key tag, which authenticates the header
 * ({@code TAMPERED}), the keyset id against the expected one ({@code WRONG_KEYSET}, so only an authentic blob of
 * another keyset is reported as such), the payload tag ({@code TAMPERED}), then the share itself
 * ({@code INCONSISTENT_SHARE}: {@code P1KeyShare.decode}, epoch = header epoch, c_key a valid ciphertext with
 * Dec(c_key) = x1). Plaintext share bytes and the data key are wiped as soon as they are no longer needed.
 *
 * <p>Argument errors (null share, keyset id not 1..128 bytes of UTF-8) throw {@link IllegalArgumentException};
 * problems with a blob are failure values. No message or {@code toString} contains a key or share. Stateless and
 * thread-safe.
 */
public final class EncryptedShareStore {
    private static final String AES_GCM = "AES/GCM/NoPadding";

    private EncryptedShareStore() {}

    /** Seals {@code share} for {@code keysetId} under {@code kek}, with a fresh data key and nonces. */
    public static byte[] seal(P1KeyShare share, String keysetId, KeyEncryptionKey kek, SecureRandom random) {
        if (share == null || kek == null || random == null) {
            throw new IllegalArgumentException("share, KEK and random source are required");
        }
        byte[] header = ShareBlob.encodeHeader(keysetIdBytes(keysetId), share.epoch(), kek.idBytes());
        byte[] dataKey = new byte[ShareBlob.DATA_KEY_BYTES];
        byte[] nonce1 = new byte[ShareBlob.NONCE_BYTES];
        byte[] nonce2 = new byte[ShareBlob.NONCE_BYTES];
        random.nextBytes(dataKey);
        random.nextBytes(nonce1);
        random.nextBytes(nonce2);
        byte[] plain = share.encode();
        try {
            if (plain.length > ShareBlob.MAX_SHARE_BYTES) {
                throw new IllegalArgumentException("share encoding exceeds 1 MiB");
            }
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, kek.secretKey(), nonce1, header, dataKey);
            byte[] aad = concat(header, nonce1, wrapped);
            byte[] payload = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), nonce2, aad, plain);
            return ShareBlob.encode(header, nonce1, wrapped, nonce2, payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable (" + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The unauthenticated public header of a blob (no KEK needed), or MALFORMED / UNSUPPORTED_VERSION. */
    public static Result<BlobHeader, StoreFailure> inspect(byte[] blob) {
        try {
            ShareBlob b = ShareBlob.parse(blob);
            return Result.ok(new BlobHeader(ShareBlob.VERSION, b.keysetId, b.epoch, hex(b.kekId)));
        } catch (ShareBlob.FormatException e) {
            return Result.err(e.failure);
        }
    }

    /** Opens a blob that must belong to {@code expectedKeysetId}; see the class comment for the order of checks. */
    public static Result<P1KeyShare, StoreFailure> open(byte[] blob, String expectedKeysetId, KeyEncryptionKey kek) {
        byte[] expectedId = keysetIdBytes(expectedKeysetId);
        if (kek == null) {
            throw new IllegalArgumentException("KEK is required");
        }
        ShareBlob b;
        try {
            b = ShareBlob.parse(blob);
        } catch (ShareBlob.FormatException e) {
            return Result.err(e.failure);
        }
        if (!MessageDigest.isEqual(b.kekId, kek.idBytes())) {
            String needed = hex(b.kekId);
            return Result.err(new StoreFailure(StoreFailureKind.WRONG_KEK,
                    "blob is sealed under KEK " + needed + ", not under the configured KEK " + kek.id(), needed));
        }
        byte[] dataKey = null;
        byte[] plain = null;
        try {
            try {
                dataKey = gcm(Cipher.DECRYPT_MODE, kek.secretKey(), b.nonce1, b.header, b.wrappedKey);
            } catch (AEADBadTagException e) {
                return failure(StoreFailureKind.TAMPERED,
                        "the wrapped data key does not authenticate (header or wrapped key modified)");
            }
            if (dataKey.length != ShareBlob.DATA_KEY_BYTES) {
                return failure(StoreFailureKind.TAMPERED, "the data key has the wrong length");
            }
            // The header is authentic from here on.
            if (!MessageDigest.isEqual(b.keysetId.getBytes(StandardCharsets.UTF_8), expectedId)) {
                return failure(StoreFailureKind.WRONG_KEYSET,
                        "blob belongs to keyset " + b.keysetId + ", not to " + expectedKeysetId);
            }
            try {
                plain = gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), b.nonce2, b.payloadAad(),
                        b.payload);
            } catch (AEADBadTagException e) {
                return failure(StoreFailureKind.TAMPERED,
                        "the share payload does not authenticate (payload modified)");
            }
            P1KeyShare share;
            try {
                share = P1KeyShare.decode(plain);
            } catch (RuntimeException e) {
                return failure(StoreFailureKind.INCONSISTENT_SHARE,
                        "the decrypted share does not decode as a P1 share");
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
            if (share.epoch() != b.epoch) {
                return failure(StoreFailureKind.INCONSISTENT_SHARE,
                        "the share's epoch differs from the blob header's");
            }
            if (!ckeyEncryptsX1(share)) {
                return failure(StoreFailureKind.INCONSISTENT_SHARE,
                        "c_key does not decrypt to x1 under the share's Paillier key");
            }
            return Result.ok(share);
        } catch (GeneralSecurityException e) {
            return failure(StoreFailureKind.TAMPERED,
                    "AES-GCM refused the blob (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (dataKey != null) {
                Arrays.fill(dataKey, (byte) 0);
            }
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** Dec(c_key) = x1 with the share's own Paillier key, c_key a canonical ciphertext. */
    private static boolean ckeyEncryptsX1(P1KeyShare share) {
        BigInteger cKey = share.cKey();
        if (!share.paillierPublicKey().isValidCiphertext(cKey)) {
            return false;
        }
        return share.paillier().decrypt(cKey, ModPow.JAVA).equals(share.x1());
    }

    private static byte[] gcm(int mode, SecretKeySpec key, byte[] nonce, byte[] aad, byte[] input)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(AES_GCM);
        c.init(mode, key, new GCMParameterSpec(ShareBlob.TAG_BYTES * 8, nonce));
        c.updateAAD(aad);
        return c.doFinal(input);
    }

    static byte[] keysetIdBytes(String keysetId) {
        return StrictUtf8.require(keysetId, 1, ShareBlob.MAX_KEYSET_ID_BYTES, "keyset id");
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static <T> Result<T, StoreFailure> failure(StoreFailureKind kind, String reason) {
        return Result.err(StoreFailure.of(kind, reason));
    }
}
