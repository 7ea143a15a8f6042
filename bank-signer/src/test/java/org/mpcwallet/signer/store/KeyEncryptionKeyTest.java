package org.mpcwallet.signer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyEncryptionKeyTest {
    private static final byte[] KEY = new byte[32];
    private static final String KEY_HEX;

    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) i;
        }
        KEY_HEX = HexFormat.of().formatHex(KEY);
    }

    @TempDir
    Path dir;

    @Test
    void kekIdIsTruncatedTaggedSha256() {
        // python3: hashlib.sha256(b'mpcwallet/kek-id/v1' + bytes(range(32))).hexdigest()[:32]
        assertEquals("42bde961080259328d87ffbb25962232", KeyEncryptionKey.of(KEY).id());
    }

    @Test
    void fromFileWithHexAndNewline() throws Exception {
        Path f = dir.resolve("kek.hex");
        Files.writeString(f, KEY_HEX.toUpperCase() + "\n");
        assertEquals(KeyEncryptionKey.of(KEY).id(), KeyEncryptionKey.fromFile(f).id());
    }

    @Test
    void fromFileWithRawBytes() throws Exception {
        Path f = dir.resolve("kek.bin");
        Files.write(f, KEY);
        assertEquals(KeyEncryptionKey.of(KEY).id(), KeyEncryptionKey.fromFile(f).id());
    }

    @Test
    void fromFileRefusesWrongSizesAndNonHex() throws Exception {
        Path f = dir.resolve("bad");
        Files.writeString(f, KEY_HEX.substring(2));
        assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.fromFile(f));
        Files.writeString(f, "zz" + KEY_HEX.substring(2));
        assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.fromFile(f));
        Files.write(f, new byte[31]);
        assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.fromFile(f));
        Files.write(f, new byte[4096]);
        assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.fromFile(f));
    }

    @Test
    void fromEnvironmentThroughASupplier() {
        Map<String, String> env = Map.of("MPC_KEK", KEY_HEX, "BAD", "abc");
        assertEquals(KeyEncryptionKey.of(KEY).id(), KeyEncryptionKey.fromEnvironment("MPC_KEK", env::get).id());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> KeyEncryptionKey.fromEnvironment("NOPE", env::get));
        assertTrue(missing.getMessage().contains("NOPE"));
        assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.fromEnvironment("BAD", env::get));
    }

    @Test
    void fromPkcs12SecretKeyEntry() throws Exception {
        char[] pw = "store-password".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setEntry("mpc-kek", new KeyStore.SecretKeyEntry(new SecretKeySpec(KEY, "AES")),
                new KeyStore.PasswordProtection(pw));
        Path f = dir.resolve("kek.p12");
        try (OutputStream out = Files.newOutputStream(f)) {
            ks.store(out, pw);
        }
        assertEquals(KeyEncryptionKey.of(KEY).id(), KeyEncryptionKey.fromPkcs12(f, pw, "mpc-kek").id());
        assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.fromPkcs12(f, pw, "other"));
        assertThrows(Exception.class, () -> KeyEncryptionKey.fromPkcs12(f, "wrong".toCharArray(), "mpc-kek"));
    }

    @Test
    void toStringShowsOnlyTheId() {
        KeyEncryptionKey k = KeyEncryptionKey.of(KEY);
        String s = k.toString();
        assertTrue(s.contains(k.id()));
        assertFalse(s.contains(KEY_HEX) || s.contains(KEY_HEX.substring(0, 16)));
        assertTrue(s.contains("redacted"));
    }

    @Test
    void destroyedKeyCannotBeUsed() {
        KeyEncryptionKey k = KeyEncryptionKey.of(KEY);
        k.destroy();
        assertThrows(IllegalStateException.class, k::secretKey);
    }

    @Test
    void kekToolWritesAMode600HexFileAndRefusesToOverwrite() throws Exception {
        Path f = dir.resolve("fresh.kek");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = KekTool.run(new String[] {"generate", f.toString()}, new PrintStream(out), new PrintStream(err));
        assertEquals(0, rc, err::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        String content = Files.readString(f, StandardCharsets.US_ASCII);
        assertTrue(content.matches("[0-9a-f]{64}\n"));
        KeyEncryptionKey k = KeyEncryptionKey.fromFile(f);
        assertTrue(out.toString().contains(k.id()), "prints the KEK id");
        assertFalse(out.toString().contains(content.strip()), "never prints the key");

        assertEquals(1, KekTool.run(new String[] {"generate", f.toString()}, new PrintStream(out),
                new PrintStream(err)));
        assertEquals(content, Files.readString(f, StandardCharsets.US_ASCII), "existing file untouched");
        assertEquals(2, KekTool.run(new String[] {"make", f.toString()}, new PrintStream(out), new PrintStream(err)));
    }
}
