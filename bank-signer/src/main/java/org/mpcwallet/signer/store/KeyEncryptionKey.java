package org.mpcwallet.signer.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bank signer's 256-bit AES key-encryption key (KEK), which wraps the per-blob data keys of the share store
 * (docs/bank-signer.md, "Key-encryption key"). Sources: a file (64 hex chars, surrounding ASCII whitespace allowed,
 * or exactly 32 raw bytes), an environment variable holding 64 hex chars, or a PKCS#12 secret-key entry.
 *
 * <p>Its id, {@code hex(SHA-256("mpcwallet/kek-id/v1" || key)[0..16))}, is public: it is written into every blob so
 * that a wrong KEK is reported as such. {@link #toString()} shows only the id. {@link #destroy()} wipes the key.
 */
public final class KeyEncryptionKey {
    public static final int KEY_BYTES = 32;
    public static final int ID_BYTES = 16;
    private static final byte[] ID_TAG = "mpcwallet/kek-id/v1".getBytes(StandardCharsets.US_ASCII);
    /** Generous bound on a KEK file: 64 hex chars plus whitespace. */
    private static final long MAX_FILE_BYTES = 256;

    private final byte[] key;
    private final byte[] id;
    private volatile boolean destroyed;

    private KeyEncryptionKey(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a KEK is exactly 32 bytes");
        }
        this.key = key.clone();
        this.id = computeId(this.key);
    }

    /** A KEK from 32 key bytes (copied). */
    public static KeyEncryptionKey of(byte[] key) {
        return new KeyEncryptionKey(key);
    }

    /** A fresh random KEK. */
    public static KeyEncryptionKey generate(SecureRandom random) {
        byte[] k = new byte[KEY_BYTES];
        random.nextBytes(k);
        try {
            return new KeyEncryptionKey(k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** A KEK from 64 hex characters (either case; surrounding ASCII whitespace ignored). */
    public static KeyEncryptionKey fromHex(CharSequence hex) {
        if (hex == null) {
            throw new IllegalArgumentException("KEK hex is missing");
        }
        String s = hex.toString().strip();
        if (s.length() != 2 * KEY_BYTES) {
            throw new IllegalArgumentException("a KEK in hex is exactly 64 hex characters");
        }
        byte[] k;
        try {
            k = HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("KEK hex contains a non-hex character");
        }
        try {
            return new KeyEncryptionKey(k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** A KEK file: exactly 32 raw bytes, or 64 hex characters with optional surrounding whitespace. */
    public static KeyEncryptionKey fromFile(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("KEK file is too large to be a KEK file");
        }
        byte[] content = Files.readAllBytes(file);
        try {
            if (content.length == KEY_BYTES) {
                return new KeyEncryptionKey(content);
            }
            for (byte b : content) {
                if (b < 0) {
                    throw new IllegalArgumentException("KEK file is neither 32 raw bytes nor 64 hex characters");
                }
            }
            char[] chars = new char[content.length];
            for (int i = 0; i < content.length; i++) {
                chars[i] = (char) content[i];
            }
            try {
                return fromHex(java.nio.CharBuffer.wrap(chars));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("KEK file is neither 32 raw bytes nor 64 hex characters");
            } finally {
                Arrays.fill(chars, '\0');
            }
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** A KEK from the process environment variable {@code name} (64 hex characters). */
    public static KeyEncryptionKey fromEnvironment(String name) {
        return fromEnvironment(name, System::getenv);
    }

    /** A KEK from environment variable {@code name} looked up through {@code env} (tests pass a map's getter). */
    public static KeyEncryptionKey fromEnvironment(String name, Function<String, String> env) {
        String value = env.apply(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        try {
            return fromHex(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("environment variable " + name + ": " + e.getMessage());
        }
    }

    /**
     * A KEK from a PKCS#12 keystore's secret-key entry {@code alias}, protected by the store password (the entry
     * uses the same password, as {@code keytool -importpass}/{@code -genseckey} write it by default).
     */
    public static KeyEncryptionKey fromPkcs12(Path keystore, char[] storePassword, String alias)
            throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, storePassword);
            if (!ks.containsAlias(alias)) {
                throw new IllegalArgumentException("keystore has no entry " + alias);
            }
            if (!ks.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class)) {
                throw new IllegalArgumentException("keystore entry " + alias + " is not a secret key");
            }
            Key k = ks.getKey(alias, storePassword);
            byte[] encoded = k.getEncoded();
            if (encoded == null || encoded.length != KEY_BYTES) {
                throw new IllegalArgumentException("keystore entry " + alias + " is not a 256-bit key");
            }
            try {
                return new KeyEncryptionKey(encoded);
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the KEK from the keystore (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /** The public KEK id: 32 lowercase hex characters. */
    public String id() {
        return HexFormat.of().formatHex(id);
    }

    byte[] idBytes() {
        return id.clone();
    }

    /** For the store only: the AES key. */
    SecretKeySpec secretKey() {
        if (destroyed) {
            throw new IllegalStateException("KEK was destroyed");
        }
        return new SecretKeySpec(key, "AES");
    }

    /** The key as 64 lowercase hex characters, for {@link KekTool} writing a fresh file. */
    char[] toHexChars() {
        if (destroyed) {
            throw new IllegalStateException("KEK was destroyed");
        }
        return HexFormat.of().formatHex(key).toCharArray();
    }

    /** Wipes the key bytes; later use throws. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    static byte[] computeId(byte[] key) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(ID_TAG);
            d.update(key);
            return Arrays.copyOf(d.digest(), ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[id=" + id() + ", secret redacted]";
    }
}
