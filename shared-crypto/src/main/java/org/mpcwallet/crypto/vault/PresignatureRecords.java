package org.mpcwallet.crypto.vault;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.hash.HmacSha256;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;

/**
 * The device's sealed presignatures (docs/presign-online.md "Stage 3", docs/vault-format.md section 10): one record
 * per P2 presignature, AES-256-GCM under the wallet's <b>pool key</b>, which is derived from the same PBKDF2 output
 * that opens the wallet's share vault, so opening the vault yields the pool's key without a second key derivation,
 * and deleting a presignature needs no cryptography (the record is removed).
 *
 * <pre>
 * pool key = HKDF-SHA256(salt = the vault envelope's salt, ikm = the vault key, info = LABEL || 0x00 || walletId, 32)
 * record   = "MPCS" || u8 version (1) || nonce (12) || u16 L || walletId (L bytes UTF-8) || key fingerprint (32)
 *            || presignature id (32) || u32 C || ciphertext || tag          (C = ciphertext + 16-byte tag)
 * aad      = every byte before u32 C
 * </pre>
 *
 * A re-sealed vault (a new salt: a refresh, a migration, a new secret) gives another pool key, so the records of the
 * old one no longer open: the device discards them (single-use secrets are never carried across a re-seal). Like
 * {@link ShareVault}, the format exists once here: the crypto-free {@link #header}, {@link #record} and
 * {@link #parse} serve a platform that runs AES-GCM itself (the browser's WebCrypto); {@link #seal} and
 * {@link #open} do the whole thing with Bouncy Castle's lightweight API.
 */
public final class PresignatureRecords {
    public static final int FORMAT_VERSION = 1;
    /** The HKDF label of the pool key. */
    public static final String POOL_KEY_LABEL = "mpc-wallet presignature pool v1";
    /** Upper bound of a record (a presignature is ~2.5 KiB with a 3072-bit Paillier modulus). */
    public static final int MAX_RECORD_BYTES = 64 * 1024;
    static final byte[] MAGIC = {'M', 'P', 'C', 'S'};
    private static final int ID_BYTES = 32;

    private PresignatureRecords() {}

    /**
     * The pool key of a wallet: HKDF-SHA256 (RFC 5869, one block) of the vault key, salted with the vault envelope's
     * salt, labelled with {@link #POOL_KEY_LABEL} and the wallet id. The caller wipes the result.
     */
    public static byte[] poolKey(byte[] vaultKey, byte[] vaultSalt, String walletId) {
        if (vaultKey == null || vaultKey.length != ShareVault.KEY_BYTES) {
            throw new IllegalArgumentException("vault key must be " + ShareVault.KEY_BYTES + " bytes");
        }
        if (vaultSalt == null || vaultSalt.length != ShareVault.SALT_BYTES) {
            throw new IllegalArgumentException("vault salt must be " + ShareVault.SALT_BYTES + " bytes");
        }
        byte[] info = Bytes.concat(Utf8.encode(POOL_KEY_LABEL, "label"), new byte[] {0}, walletIdBytes(walletId));
        byte[] prk = HmacSha256.mac(vaultSalt, vaultKey);
        try {
            return HmacSha256.mac(prk, info, new byte[] {1});
        } finally {
            Bytes.wipe(prk);
        }
    }

    /** The record's associated data: everything before the ciphertext length. */
    public static byte[] header(String walletId, byte[] keyFingerprint, byte[] presignatureId, byte[] nonce) {
        byte[] wid = walletIdBytes(walletId);
        requireLength(keyFingerprint, ID_BYTES, "key fingerprint");
        requireLength(presignatureId, ID_BYTES, "presignature id");
        requireLength(nonce, ShareVault.NONCE_BYTES, "nonce");
        return Bytes.concat(MAGIC, new byte[] {(byte) FORMAT_VERSION}, nonce,
                new byte[] {(byte) (wid.length >>> 8), (byte) wid.length}, wid, keyFingerprint, presignatureId);
    }

    /** header || u32(C) || sealed, {@code sealed} = ciphertext || tag as AES-GCM returned it. */
    public static byte[] record(byte[] header, byte[] sealed) {
        if (header == null || sealed == null || sealed.length < ShareVault.TAG_BYTES) {
            throw new IllegalArgumentException("header and a sealed body of at least the tag are required");
        }
        byte[] out = Bytes.concat(header, Bytes.int32(sealed.length), sealed);
        if (out.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("record longer than " + MAX_RECORD_BYTES + " bytes");
        }
        return out;
    }

    /** A strictly parsed record: the public header fields and the byte ranges for AES-GCM. */
    public record Parsed(byte[] aad, byte[] nonce, String walletId, byte[] keyFingerprint, byte[] presignatureId,
            byte[] sealed) {
        public String presignatureIdHex() {
            return Bytes.toHex(presignatureId);
        }

        @Override
        public String toString() {
            return "PresignatureRecord[wallet " + walletId + ", presignature " + presignatureIdHex() + ", "
                    + sealed.length + " sealed bytes]";
        }
    }

    /** Strict parse: magic, version, lengths, well-formed wallet id, no trailing bytes. */
    public static Result<Parsed, VaultFailure> parse(byte[] record) {
        if (record == null) {
            throw new IllegalArgumentException("record must not be null");
        }
        if (record.length > MAX_RECORD_BYTES) {
            return malformed(VaultField.CIPHERTEXT_LENGTH, "record longer than " + MAX_RECORD_BYTES + " bytes");
        }
        int[] pos = {0};
        byte[] magic = take(record, pos, MAGIC.length);
        if (magic == null || !Bytes.constantTimeEquals(magic, MAGIC)) {
            return malformed(VaultField.MAGIC, "not a presignature record (magic is not MPCS)");
        }
        byte[] version = take(record, pos, 1);
        if (version == null) {
            return malformed(VaultField.FORMAT_VERSION, "record truncated before its version");
        }
        if ((version[0] & 0xff) != FORMAT_VERSION) {
            return Result.err(new VaultFailure(VaultFailureKind.UNSUPPORTED_VERSION, VaultField.FORMAT_VERSION,
                    "presignature record version " + (version[0] & 0xff) + " is not read by this version"));
        }
        byte[] nonce = take(record, pos, ShareVault.NONCE_BYTES);
        if (nonce == null) {
            return malformed(VaultField.NONCE, "record truncated in its nonce");
        }
        byte[] len = take(record, pos, 2);
        if (len == null) {
            return malformed(VaultField.WALLET_ID_LENGTH, "record truncated in its wallet id length");
        }
        int widLength = ((len[0] & 0xff) << 8) | (len[1] & 0xff);
        if (widLength < 1 || widLength > ShareVault.MAX_WALLET_ID_BYTES) {
            return malformed(VaultField.WALLET_ID_LENGTH, "wallet id length " + widLength + " out of 1.."
                    + ShareVault.MAX_WALLET_ID_BYTES);
        }
        byte[] wid = take(record, pos, widLength);
        if (wid == null || !Utf8.isValid(wid)) {
            return malformed(VaultField.WALLET_ID, "wallet id truncated or not UTF-8");
        }
        byte[] fingerprint = take(record, pos, ID_BYTES);
        byte[] id = take(record, pos, ID_BYTES);
        if (fingerprint == null || id == null) {
            return malformed(null, "record truncated in its key fingerprint or presignature id");
        }
        int aadEnd = pos[0];
        byte[] clen = take(record, pos, 4);
        if (clen == null) {
            return malformed(VaultField.CIPHERTEXT_LENGTH, "record truncated in its ciphertext length");
        }
        long c = ((long) (clen[0] & 0xff) << 24) | ((clen[1] & 0xff) << 16) | ((clen[2] & 0xff) << 8)
                | (clen[3] & 0xff);
        if (c < ShareVault.TAG_BYTES || c > record.length - pos[0]) {
            return malformed(VaultField.CIPHERTEXT, "ciphertext length " + c + " does not fit the record");
        }
        byte[] sealed = take(record, pos, (int) c);
        if (pos[0] != record.length) {
            return malformed(VaultField.TRAILING_DATA, (record.length - pos[0]) + " bytes after the ciphertext");
        }
        byte[] aad = new byte[aadEnd];
        System.arraycopy(record, 0, aad, 0, aadEnd);
        return Result.ok(new Parsed(aad, nonce, Utf8.decodeValid(wid), fingerprint, id, sealed));
    }

    /**
     * Seals one presignature under {@code poolKey}: draws the 12-byte nonce from {@code rng} (a pool key seals many
     * records; 96-bit random nonces stay far below the collision bound at a pool's size).
     */
    public static byte[] seal(byte[] poolKey, String walletId, P2Presignature presignature, RandomSource rng) {
        requireLength(poolKey, ShareVault.KEY_BYTES, "pool key");
        byte[] nonce = new byte[ShareVault.NONCE_BYTES];
        rng.nextBytes(nonce);
        byte[] aad = header(walletId, presignature.keyFingerprint(), presignature.id(), nonce);
        byte[] plain = presignature.encode();
        try {
            return record(aad, ShareVault.gcm(true, poolKey, nonce, aad, plain));
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e); // cannot happen when encrypting
        } finally {
            Bytes.wipe(plain);
        }
    }

    /**
     * Opens one record: the strict parse, then the wallet id and key fingerprint compared with the expected ones
     * (WRONG_WALLET_OR_ROLE: another wallet's or another key epoch's record), then the GCM tag
     * (WRONG_PASSWORD_OR_TAMPERED: a modified record, or one sealed under an earlier vault's pool key), then the
     * presignature's own decoding, whose id and fingerprint must be the header's.
     */
    public static Result<P2Presignature, VaultFailure> open(byte[] poolKey, byte[] record, String expectedWalletId,
            byte[] expectedFingerprint) {
        requireLength(poolKey, ShareVault.KEY_BYTES, "pool key");
        requireLength(expectedFingerprint, ID_BYTES, "expected key fingerprint");
        byte[] expectedWid = walletIdBytes(expectedWalletId);
        Result<Parsed, VaultFailure> parsed = parse(record);
        if (!parsed.isOk()) {
            return Result.err(parsed.failure());
        }
        Parsed p = parsed.value();
        if (!Bytes.constantTimeEquals(Utf8.encode(p.walletId(), "wallet id"), expectedWid)) {
            return Result.err(new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, VaultField.WALLET_ID,
                    "presignature record belongs to another wallet"));
        }
        if (!Bytes.constantTimeEquals(p.keyFingerprint(), expectedFingerprint)) {
            return Result.err(new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null,
                    "presignature record belongs to another key (an earlier refresh)"));
        }
        byte[] plain;
        try {
            plain = ShareVault.gcm(false, poolKey, p.nonce(), p.aad(), p.sealed());
        } catch (InvalidCipherTextException e) {
            return Result.err(new VaultFailure(VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null,
                    "presignature record does not open under this vault's pool key"));
        }
        try {
            P2Presignature presignature = P2Presignature.decode(plain);
            if (!Bytes.constantTimeEquals(presignature.id(), p.presignatureId())
                    || !Bytes.constantTimeEquals(presignature.keyFingerprint(), p.keyFingerprint())) {
                return malformed(VaultField.CIPHERTEXT, "presignature does not match its record's header");
            }
            return Result.ok(presignature);
        } catch (ProtocolException e) {
            return malformed(VaultField.CIPHERTEXT, "sealed presignature does not decode");
        } finally {
            Bytes.wipe(plain);
        }
    }

    /** A share opened from its vault together with the wallet's pool key; the caller wipes both. */
    public record OpenedVault(byte[] share, byte[] poolKey) {
        @Override
        public String toString() {
            return "OpenedVault[share=redacted, poolKey=redacted]";
        }
    }

    /** A freshly sealed vault envelope and the pool key that goes with it; the caller wipes the key. */
    public record SealedVault(byte[] envelope, byte[] poolKey) {
        @Override
        public String toString() {
            return "SealedVault[" + envelope.length + " bytes, poolKey=redacted]";
        }
    }

    /** {@link ShareVault#open} that also returns the pool key, from the one PBKDF2 run. Same checks, same failures. */
    public static Result<OpenedVault, VaultFailure> openVault(char[] password, byte[] envelope,
            String expectedWalletId, Party expectedRole) {
        return ShareVault.open(password, envelope, expectedWalletId, expectedRole,
                (share, key, salt) -> new OpenedVault(share, poolKey(key, salt, expectedWalletId)));
    }

    /** {@link ShareVault#seal} (default iterations) that also returns the new envelope's pool key. */
    public static SealedVault sealVault(char[] password, String walletId, Party role, byte[] share,
            RandomSource rng) {
        return sealVault(password, walletId, role, share, rng, ShareVault.DEFAULT_ITERATIONS);
    }

    /** {@link ShareVault#seal} that also returns the new envelope's pool key. */
    public static SealedVault sealVault(char[] password, String walletId, Party role, byte[] share,
            RandomSource rng, int iterations) {
        return ShareVault.seal(password, walletId, role, share, rng, iterations,
                (envelope, key, salt) -> new SealedVault(envelope, poolKey(key, salt, walletId)));
    }

    private static byte[] take(byte[] data, int[] pos, int n) {
        if (data.length - pos[0] < n) {
            return null;
        }
        byte[] out = new byte[n];
        System.arraycopy(data, pos[0], out, 0, n);
        pos[0] += n;
        return out;
    }

    private static <T> Result<T, VaultFailure> malformed(VaultField field, String reason) {
        return Result.err(new VaultFailure(VaultFailureKind.MALFORMED, field, reason));
    }

    private static byte[] walletIdBytes(String walletId) {
        if (walletId == null) {
            throw new IllegalArgumentException("wallet id must not be null");
        }
        byte[] wid = Utf8.encode(walletId, "wallet id");
        if (wid.length < 1 || wid.length > ShareVault.MAX_WALLET_ID_BYTES) {
            throw new IllegalArgumentException("wallet id must be 1.." + ShareVault.MAX_WALLET_ID_BYTES + " bytes");
        }
        return wid;
    }

    private static void requireLength(byte[] b, int n, String what) {
        if (b == null || b.length != n) {
            throw new IllegalArgumentException(what + " must be " + n + " bytes");
        }
    }
}
