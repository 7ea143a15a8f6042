package org.mpcwallet.crypto.vault;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;

/**
 * The share vault: one password-encrypted, versioned envelope around a party's key share (opaque bytes), readable
 * by the JVM and by the browser's WebCrypto alike. The format is specified byte by byte in docs/vault-format.md:
 *
 * <pre>
 * "MPCV" | version=1 | kdf=1 | iterations u32 | salt[16] | aead=1 | nonce[12] | role u8 | walletIdLen u16 | walletId
 *        | ctLen u32 | ciphertext || tag[16]
 * key = PBKDF2-HMAC-SHA256(UTF-8(password), salt, iterations, 32 bytes)
 * ciphertext || tag = AES-256-GCM(key, nonce, aad = every byte before ctLen, share)
 * </pre>
 *
 * <p>Argument errors (null, empty password, unpaired surrogate, wallet id length, iteration or share size out of
 * range) are programming errors and throw {@link IllegalArgumentException}; problems with an envelope are returned
 * as {@link VaultFailure} values. No message ever contains a password, key or share.
 *
 * <p>Passwords are encoded as UTF-8 of exactly the given chars. Unicode normalisation (NFC) is the caller's job,
 * on both seal and open, so that the desktop and the browser derive the same key from what the user typed.
 *
 * <p>The crypto-free halves of seal and open are public ({@link #prepareSeal}, {@link #checkForOpen},
 * {@link #parse}, {@link #header}, {@link #passwordUtf8}) so that an implementation on another crypto provider (the
 * browser's WebCrypto, client-web's {@code WebCryptoVault}) only derives the key and runs AES-GCM: one implementation
 * of the format for every platform. {@link #seal} and {@link #open} are built from the same pieces.
 *
 * <p>Why one class of this size: the vault format's writer and strict reader, sealing and opening, follow
 * docs/vault-format.md section by section; split apart, a reviewer could no longer check the reader against the
 * writer in one place.
 */
public final class ShareVault {
    /** "MPCV". */
    static final byte[] MAGIC = {0x4d, 0x50, 0x43, 0x56};

    public static final int FORMAT_VERSION = 1;
    /** KDF id 1: PBKDF2 with HMAC-SHA256, 32-byte output. */
    public static final int KDF_PBKDF2_HMAC_SHA256 = 1;
    /** AEAD id 1: AES-256-GCM, 12-byte nonce, 16-byte tag. */
    public static final int AEAD_AES_256_GCM = 1;

    /** Lowest PBKDF2 iteration count accepted on seal and open (OWASP 2023 for PBKDF2-HMAC-SHA256). */
    public static final int MIN_ITERATIONS = 600_000;
    /** Highest iteration count accepted on seal and open, so a hostile file cannot pin a CPU for minutes. */
    public static final int MAX_ITERATIONS = 10_000_000;
    /** The iteration count {@link #seal(char[], String, Party, byte[], RandomSource)} uses. */
    public static final int DEFAULT_ITERATIONS = MIN_ITERATIONS;

    public static final int SALT_BYTES = 16;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    public static final int KEY_BYTES = 32;
    /** Wallet ids are 1..128 bytes of UTF-8. */
    public static final int MAX_WALLET_ID_BYTES = 128;
    /** Shares are 0..1 MiB. */
    public static final int MAX_SHARE_BYTES = 1 << 20;

    /** Fixed header bytes before the wallet id: magic 4, version 1, kdf 1, iterations 4, salt 16, aead 1, nonce 12,
     * role 1, wallet id length 2. */
    static final int FIXED_HEADER_BYTES = 4 + 1 + 1 + 4 + SALT_BYTES + 1 + NONCE_BYTES + 1 + 2;

    private ShareVault() {}

    /** {@link #seal(char[], String, Party, byte[], RandomSource, int)} with {@link #DEFAULT_ITERATIONS}. */
    public static byte[] seal(char[] password, String walletId, Party role, byte[] share, RandomSource rng) {
        return seal(password, walletId, role, share, rng, DEFAULT_ITERATIONS);
    }

    /**
     * Encrypts {@code share} into a fresh v1 envelope. Draws exactly two values from {@code rng}, in this order: the
     * 16-byte salt, then the 12-byte nonce. Every envelope therefore has its own key, and a (key, nonce) pair is never
     * used twice. {@link #prepareSeal} (argument checks, draws, header) followed by PBKDF2 and AES-GCM with Bouncy
     * Castle's lightweight API and {@link VaultSealing#envelope}.
     *
     * @param password the user's password, already NFC-normalised by the caller; not modified, not retained
     * @param walletId 1..128 bytes of UTF-8, bound into the envelope
     * @param role which party's share this is, bound into the envelope
     * @param share the plaintext, 0..{@link #MAX_SHARE_BYTES} bytes; not modified, not retained
     * @param iterations PBKDF2 iterations in [{@link #MIN_ITERATIONS}, {@link #MAX_ITERATIONS}]
     * @return the envelope
     * @throws RuntimeException whatever {@code rng} throws when it has no secure randomness (fail closed: no
     *     envelope)
     */
    public static byte[] seal(char[] password, String walletId, Party role, byte[] share, RandomSource rng,
            int iterations) {
        return seal(password, walletId, role, share, rng, iterations, (envelope, key, salt) -> envelope);
    }

    /**
     * What a caller makes of a sealed or opened vault and the key it was derived for, before that key is wiped
     * (the device's presignature pool key comes from it: {@link PresignatureRecords}).
     */
    interface WithKey<T> {
        T apply(byte[] plaintextOrEnvelope, byte[] key, byte[] salt);
    }

    /** {@link #seal}, handing the envelope and its key to {@code then} before the key is wiped. */
    static <T> T seal(char[] password, String walletId, Party role, byte[] share, RandomSource rng, int iterations,
            WithKey<T> then) {
        VaultSealing plan = prepareSeal(password, walletId, role, share, rng, iterations);
        byte[] passwordUtf8 = passwordUtf8(password);
        byte[] key = null;
        try {
            key = deriveKey(passwordUtf8, plan.salt(), plan.iterations());
            return then.apply(plan.envelope(gcm(true, key, plan.nonce(), plan.aad(), share)), key, plan.salt());
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e); // cannot happen when encrypting
        } finally {
            Bytes.wipe(passwordUtf8);
            Bytes.wipe(key);
        }
    }

    /**
     * Opens an envelope. Checks, in this order: the arguments, the strict format (MALFORMED / UNSUPPORTED_VERSION),
     * then that the header names {@code expectedWalletId} and {@code expectedRole} (WRONG_WALLET_OR_ROLE, before any
     * key derivation) -- all of that is {@link #checkForOpen} -- then derives the key and verifies the GCM tag
     * (WRONG_PASSWORD_OR_TAMPERED, {@link VaultFailure#wrongPasswordOrTampered()}).
     *
     * @param password the user's password, NFC-normalised by the caller; not modified, not retained
     * @return success with a fresh array holding the share (the caller wipes it), or a failure
     */
    public static Result<byte[], VaultFailure> open(char[] password, byte[] envelope, String expectedWalletId,
            Party expectedRole) {
        return open(password, envelope, expectedWalletId, expectedRole, (share, key, salt) -> share);
    }

    /**
     * {@link #open}, handing the share and its key to {@code then} before the key is wiped; the same checks in the
     * same order.
     */
    static <T> Result<T, VaultFailure> open(char[] password, byte[] envelope, String expectedWalletId,
            Party expectedRole, WithKey<T> then) {
        Result<VaultEnvelope, VaultFailure> checked = checkForOpen(password, envelope, expectedWalletId, expectedRole);
        if (!checked.isOk()) {
            return Result.err(checked.failure());
        }
        VaultEnvelope env = checked.value();
        byte[] passwordUtf8 = passwordUtf8(password);
        byte[] key = null;
        try {
            key = deriveKey(passwordUtf8, env.salt(), env.iterations());
            return Result.ok(then.apply(gcm(false, key, env.nonce(), env.aad(), env.sealed()), key, env.salt()));
        } catch (InvalidCipherTextException e) {
            return Result.err(VaultFailure.wrongPasswordOrTampered());
        } finally {
            Bytes.wipe(passwordUtf8);
            Bytes.wipe(key);
        }
    }

    /**
     * Parses and checks the header without a password, e.g. to show which wallet and role a backup file belongs to.
     * Same format checks as {@link #open}; the header is not authenticated.
     */
    public static Result<VaultHeader, VaultFailure> inspect(byte[] envelope) {
        return parse(envelope).map(VaultEnvelope::header);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The crypto-free parts of seal and open, public for platform implementations (the browser's WebCrypto vault):
    // with these, a platform only derives the key and runs AES-GCM; the format exists once, here.

    /** {@link #prepareSeal(char[], String, Party, byte[], RandomSource, int)} with {@link #DEFAULT_ITERATIONS}. */
    public static VaultSealing prepareSeal(char[] password, String walletId, Party role, byte[] share,
            RandomSource rng) {
        return prepareSeal(password, walletId, role, share, rng, DEFAULT_ITERATIONS);
    }

    /**
     * Everything of {@link #seal} but the cryptography (docs/vault-format.md section 4 steps 1-3): checks the
     * arguments exactly as {@code seal} does (throwing {@link IllegalArgumentException}), draws the 16-byte salt and
     * then the 12-byte nonce from {@code rng}, and builds the header ({@link #header}). The password is only checked
     * (non-empty, no unpaired surrogate), not kept: encode it with {@link #passwordUtf8} for the key derivation.
     *
     * @throws RuntimeException whatever {@code rng} throws when it has no secure randomness (fail closed)
     */
    public static VaultSealing prepareSeal(char[] password, String walletId, Party role, byte[] share,
            RandomSource rng, int iterations) {
        requireNonNull(password, "password");
        requireNonNull(walletId, "walletId");
        requireNonNull(role, "role");
        requireNonNull(share, "share");
        requireNonNull(rng, "rng");
        if (password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        checkIterations(iterations);
        if (share.length > MAX_SHARE_BYTES) {
            throw new IllegalArgumentException("share must be at most " + MAX_SHARE_BYTES + " bytes");
        }
        byte[] walletIdUtf8 = walletIdBytes(walletId);
        Utf8.requireWellFormed(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        rng.nextBytes(salt);
        byte[] nonce = new byte[NONCE_BYTES];
        rng.nextBytes(nonce);
        return new VaultSealing(iterations, salt, nonce, headerBytes(iterations, salt, nonce, role, walletIdUtf8),
                share.length);
    }

    /**
     * The v1 header, bytes {@code [0, 42 + L)} of the envelope (docs/vault-format.md section 2): the GCM associated
     * data of sealing and opening.
     *
     * @param iterations in [{@link #MIN_ITERATIONS}, {@link #MAX_ITERATIONS}]
     * @param salt {@link #SALT_BYTES} bytes
     * @param nonce {@link #NONCE_BYTES} bytes
     * @param role P1 or P2
     * @param walletId 1..128 bytes of UTF-8, no unpaired surrogate
     * @throws IllegalArgumentException on any other argument
     */
    public static byte[] header(int iterations, byte[] salt, byte[] nonce, Party role, String walletId) {
        requireNonNull(salt, "salt");
        requireNonNull(nonce, "nonce");
        requireNonNull(role, "role");
        requireNonNull(walletId, "walletId");
        checkIterations(iterations);
        if (salt.length != SALT_BYTES) {
            throw new IllegalArgumentException("salt must be " + SALT_BYTES + " bytes, got " + salt.length);
        }
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("nonce must be " + NONCE_BYTES + " bytes, got " + nonce.length);
        }
        return headerBytes(iterations, salt, nonce, role, walletIdBytes(walletId));
    }

    /**
     * The password bytes of the key derivation (docs/vault-format.md section 3.1): strict UTF-8 of exactly the given
     * chars. The caller wipes the result.
     *
     * @throws IllegalArgumentException when {@code password} is null, empty or has an unpaired surrogate
     */
    public static byte[] passwordUtf8(char[] password) {
        requireNonNull(password, "password");
        if (password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        return Utf8.encode(password, "password");
    }

    /**
     * Strict parse of an envelope (docs/vault-format.md section 5 steps 1-13, in that order, stopping at the first
     * problem): the header and the byte ranges for the cryptography, or the MALFORMED / UNSUPPORTED_VERSION failure.
     * {@link #inspect} is this without the byte ranges.
     */
    public static Result<VaultEnvelope, VaultFailure> parse(byte[] envelope) {
        requireNonNull(envelope, "envelope");
        try {
            return Result.ok(parseOrThrow(envelope));
        } catch (VaultFormatException e) {
            return Result.err(e.failure());
        }
    }

    /**
     * Everything of {@link #open} before the key derivation (docs/vault-format.md section 5 steps 1-15): the
     * argument checks of {@code open} (throwing {@link IllegalArgumentException}; the password is only checked, not
     * kept), the strict parse ({@link #parse}), then the byte-wise comparison of the header's wallet id with
     * {@code expectedWalletId} and of the role with {@code expectedRole} (WRONG_WALLET_OR_ROLE). On success only
     * step 16 is left: PBKDF2 with {@link #passwordUtf8}, then AES-GCM decryption of
     * {@link VaultEnvelope#sealed()} with {@link VaultEnvelope#aad()}, a failing tag being
     * {@link VaultFailure#wrongPasswordOrTampered()}.
     */
    public static Result<VaultEnvelope, VaultFailure> checkForOpen(char[] password, byte[] envelope,
            String expectedWalletId, Party expectedRole) {
        requireNonNull(password, "password");
        requireNonNull(envelope, "envelope");
        requireNonNull(expectedWalletId, "expectedWalletId");
        requireNonNull(expectedRole, "expectedRole");
        if (password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        byte[] expectedWalletIdUtf8 = walletIdBytes(expectedWalletId);
        Utf8.requireWellFormed(password, "password");
        VaultEnvelope env;
        try {
            env = parseOrThrow(envelope);
        } catch (VaultFormatException e) {
            return Result.err(e.failure());
        }
        // The header's wallet id is untrusted input: compared, never echoed into the reason.
        if (!Bytes.constantTimeEquals(env.walletIdUtf8(), expectedWalletIdUtf8)) {
            return Result.err(new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null,
                    "envelope belongs to another wallet id than the expected one"));
        }
        if (env.role() != expectedRole) {
            return Result.err(new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null,
                    "envelope holds the share of " + env.role() + ", expected " + expectedRole));
        }
        return Result.ok(env);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Format

    private static byte[] headerBytes(int iterations, byte[] salt, byte[] nonce, Party role, byte[] walletIdUtf8) {
        return Bytes.concat(MAGIC, new byte[] {(byte) FORMAT_VERSION, (byte) KDF_PBKDF2_HMAC_SHA256},
                Bytes.int32(iterations), salt, new byte[] {(byte) AEAD_AES_256_GCM}, nonce,
                new byte[] {(byte) role.wireId(), (byte) (walletIdUtf8.length >>> 8), (byte) walletIdUtf8.length},
                walletIdUtf8);
    }

    /** Strict v1 parser; every rule of docs/vault-format.md section 5 steps 1-13 in document order. */
    static VaultEnvelope parseOrThrow(byte[] env) {
        Reader r = new Reader(env);
        byte[] magic = r.bytes(MAGIC.length, VaultField.MAGIC);
        if (!Bytes.constantTimeEquals(magic, MAGIC)) {
            throw VaultFormatException.malformed(VaultField.MAGIC, "not a share vault envelope (magic is not MPCV)");
        }
        int version = r.u8(VaultField.FORMAT_VERSION);
        if (version != FORMAT_VERSION) {
            throw new VaultFormatException(VaultFailureKind.UNSUPPORTED_VERSION, VaultField.FORMAT_VERSION,
                    "format version " + version + " is not supported (this code reads version " + FORMAT_VERSION
                            + ")");
        }
        int kdfId = r.u8(VaultField.KDF_ID);
        if (kdfId != KDF_PBKDF2_HMAC_SHA256) {
            throw VaultFormatException.malformed(VaultField.KDF_ID,
                    "KDF id " + kdfId + " is not defined in format version 1 (only 1 = PBKDF2-HMAC-SHA256)");
        }
        long iterations = r.u32(VaultField.ITERATIONS);
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw VaultFormatException.malformed(VaultField.ITERATIONS, "iteration count " + iterations
                    + " is outside [" + MIN_ITERATIONS + ", " + MAX_ITERATIONS + "]");
        }
        byte[] salt = r.bytes(SALT_BYTES, VaultField.SALT);
        int aeadId = r.u8(VaultField.AEAD_ID);
        if (aeadId != AEAD_AES_256_GCM) {
            throw VaultFormatException.malformed(VaultField.AEAD_ID,
                    "AEAD id " + aeadId + " is not defined in format version 1 (only 1 = AES-256-GCM)");
        }
        byte[] nonce = r.bytes(NONCE_BYTES, VaultField.NONCE);
        int roleId = r.u8(VaultField.PARTY_ROLE);
        Party role;
        if (roleId == Party.P1.wireId()) {
            role = Party.P1;
        } else if (roleId == Party.P2.wireId()) {
            role = Party.P2;
        } else {
            throw VaultFormatException.malformed(VaultField.PARTY_ROLE,
                    "party role " + roleId + " is not 1 (P1 bank) or 2 (P2 user device)");
        }
        int walletIdLength = r.u16(VaultField.WALLET_ID_LENGTH);
        if (walletIdLength < 1 || walletIdLength > MAX_WALLET_ID_BYTES) {
            throw VaultFormatException.malformed(VaultField.WALLET_ID_LENGTH,
                    "wallet id length " + walletIdLength + " is outside [1, " + MAX_WALLET_ID_BYTES + "]");
        }
        byte[] walletIdUtf8 = r.bytes(walletIdLength, VaultField.WALLET_ID);
        if (!Utf8.isValid(walletIdUtf8)) {
            throw VaultFormatException.malformed(VaultField.WALLET_ID, "wallet id is not well-formed UTF-8");
        }
        int aadLength = r.position();
        long ctLength = r.u32(VaultField.CIPHERTEXT_LENGTH);
        if (ctLength < TAG_BYTES || ctLength > (long) MAX_SHARE_BYTES + TAG_BYTES) {
            throw VaultFormatException.malformed(VaultField.CIPHERTEXT_LENGTH, "ciphertext length " + ctLength
                    + " is outside [" + TAG_BYTES + ", " + (MAX_SHARE_BYTES + TAG_BYTES) + "]");
        }
        byte[] sealed = r.bytes((int) ctLength, VaultField.CIPHERTEXT);
        if (r.remaining() != 0) {
            throw VaultFormatException.malformed(VaultField.TRAILING_DATA,
                    r.remaining() + " unexpected bytes after the ciphertext");
        }
        byte[] aad = new byte[aadLength];
        System.arraycopy(env, 0, aad, 0, aadLength);
        VaultHeader header = new VaultHeader(version, kdfId, iterations, salt, aeadId, nonce, role,
                Utf8.decodeValid(walletIdUtf8), (int) ctLength);
        return new VaultEnvelope(header, walletIdUtf8, aad, sealed);
    }

    /** Bounds-checked big-endian reader; running past the end is MALFORMED for the field being read. */
    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        int position() {
            return pos;
        }

        int remaining() {
            return data.length - pos;
        }

        byte[] bytes(int n, VaultField field) {
            if (remaining() < n) {
                throw VaultFormatException.malformed(field,
                        "envelope truncated: " + field + " needs " + n + " bytes, " + remaining() + " left");
            }
            byte[] out = new byte[n];
            System.arraycopy(data, pos, out, 0, n);
            pos += n;
            return out;
        }

        int u8(VaultField field) {
            return bytes(1, field)[0] & 0xff;
        }

        int u16(VaultField field) {
            byte[] b = bytes(2, field);
            return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        }

        long u32(VaultField field) {
            byte[] b = bytes(4, field);
            return ((long) (b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Primitives (package-private for the cross-checks against javax.crypto)

    /** PBKDF2-HMAC-SHA256(password, salt, iterations) -> 32 bytes. No bounds on iterations here (tests use small
     * counts); seal and open enforce them. */
    static byte[] deriveKey(byte[] passwordUtf8, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA256Digest());
        gen.init(passwordUtf8, salt, iterations);
        return ((KeyParameter) gen.generateDerivedParameters(KEY_BYTES * 8)).getKey();
    }

    /** The password encoding of seal and open: strict UTF-8 of the chars. */
    static byte[] deriveKey(char[] password, byte[] salt, int iterations) {
        byte[] pw = Utf8.encode(password, "password");
        try {
            return deriveKey(pw, salt, iterations);
        } finally {
            Bytes.wipe(pw);
        }
    }

    /**
     * AES-256-GCM with a 12-byte nonce and 16-byte tag. Encrypting returns ciphertext || tag; decrypting takes
     * ciphertext || tag and returns the plaintext, or throws when the tag does not verify (no plaintext escapes then).
     */
    static byte[] gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] input)
            throws InvalidCipherTextException {
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, nonce, aad));
        byte[] out = new byte[cipher.getOutputSize(input.length)];
        int n = 0;
        try {
            n = cipher.processBytes(input, 0, input.length, out, 0);
            n += cipher.doFinal(out, n);
        } catch (InvalidCipherTextException | RuntimeException e) {
            Bytes.wipe(out); // unauthenticated plaintext must not survive a failed tag check
            throw e;
        }
        if (n == out.length) {
            return out;
        }
        byte[] exact = new byte[n];
        System.arraycopy(out, 0, exact, 0, n);
        Bytes.wipe(out);
        return exact;
    }

    private static byte[] walletIdBytes(String walletId) {
        byte[] utf8 = Utf8.encode(walletId, "walletId");
        if (utf8.length < 1 || utf8.length > MAX_WALLET_ID_BYTES) {
            throw new IllegalArgumentException(
                    "walletId must be 1.." + MAX_WALLET_ID_BYTES + " bytes of UTF-8, got " + utf8.length);
        }
        return utf8;
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "iterations must be in [" + MIN_ITERATIONS + ", " + MAX_ITERATIONS + "], got " + iterations);
        }
    }

    private static void requireNonNull(Object o, String name) {
        if (o == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
