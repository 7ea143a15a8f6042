package org.mpcwallet.crypto.vault;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes src/test/resources/vectors/vault/vault-v1.json. Deliberately independent of {@link ShareVault}: the header is
 * assembled here from docs/vault-format.md, the key comes from the JDK's PBKDF2WithHmacSHA256 and the ciphertext from
 * the JDK's AES/GCM/NoPadding, so the vectors cross-check the Bouncy Castle implementation (and, later, WebCrypto).
 *
 * <p>Run (after {@code ./mvnw -pl shared-crypto test-compile}):
 * {@code java -cp shared-crypto/target/test-classes org.mpcwallet.crypto.vault.VaultVectorGenerator
 * shared-crypto/src/test/resources/vectors/vault/vault-v1.json}
 */
public final class VaultVectorGenerator {
    private static final HexFormat HEX = HexFormat.of();

    record Valid(String name, String description, String password, String walletId, int roleId, int iterations,
            byte[] salt, byte[] nonce, byte[] share) {}

    static List<Valid> validInputs() {
        List<Valid> v = new ArrayList<>();
        v.add(new Valid("p2-ascii-1-byte-share", "P2 (user device), ASCII password, 1-byte share",
                "correct horse battery staple", "wallet-0001", 2, 600_000, seq(0x00, 16), seq(0xa0, 12),
                new byte[] {0x2a}));
        v.add(new Valid("p1-uuid-wallet-64-byte-share", "P1 (bank), UUID wallet id, 64-byte share",
                "bank-share-backup-Ph1!", "3f2a9c1e-8b7d-4e6f-a1b2-c3d4e5f60718", 1, 600_000, seq(0x10, 16),
                seq(0xb0, 12), seq(0x00, 64)));
        v.add(new Valid("p2-non-ascii-password-64-byte-share",
                "P2, NFC password with Latin-1, CJK and a supplementary-plane character (4-byte UTF-8), 64-byte share",
                "Gr\u00fc\u00dfe-\u5bc6\u7801-\ud83d\udd11", "wallet-0001", 2, 600_000, seq(0x20, 16), seq(0xc0, 12),
                pattern(64)));
        v.add(new Valid("p1-empty-share-non-ascii-wallet-600001",
                "P1, empty share (ciphertext is the tag alone), non-ASCII wallet id, 600001 iterations (the count is"
                        + " read from the header, not hard-coded)",
                "p\u00e4ssw\u00f6rd", "konto-m\u00fcnchen-7", 1, 600_001, seq(0x30, 16), seq(0xd0, 12), new byte[0]));
        return v;
    }

    static byte[] seq(int start, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 37 + 11);
        }
        return b;
    }

    static byte[] header(int iterations, byte[] salt, byte[] nonce, int roleId, byte[] walletIdUtf8) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes("MPCV".getBytes(StandardCharsets.US_ASCII));
        h.write(1); // format version
        h.write(1); // KDF id: PBKDF2-HMAC-SHA256
        h.writeBytes(u32(iterations));
        h.writeBytes(salt);
        h.write(1); // AEAD id: AES-256-GCM
        h.writeBytes(nonce);
        h.write(roleId);
        h.write(walletIdUtf8.length >>> 8);
        h.write(walletIdUtf8.length & 0xff);
        h.writeBytes(walletIdUtf8);
        return h.toByteArray();
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] jdkPbkdf2(String password, byte[] salt, int iterations) throws Exception {
        SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        return f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    }

    static byte[] jdkGcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        return c.doFinal(input);
    }

    static String roleName(int roleId) {
        return roleId == 1 ? "P1" : "P2";
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: VaultVectorGenerator <output.json>");
        }
        StringBuilder out = new StringBuilder();
        out.append("{\n");
        out.append("  \"schema\": \"mpcwallet-share-vault-vectors/1\",\n");
        out.append("  \"spec\": \"docs/vault-format.md, format version 1\",\n");
        out.append("  \"generator\": \"org.mpcwallet.crypto.vault.VaultVectorGenerator (javax.crypto:"
                + " PBKDF2WithHmacSHA256, AES/GCM/NoPadding)\",\n");
        out.append("  \"valid\": [\n");
        List<Valid> inputs = validInputs();
        byte[] base = null;
        for (int k = 0; k < inputs.size(); k++) {
            Valid v = inputs.get(k);
            byte[] pw = v.password().getBytes(StandardCharsets.UTF_8);
            byte[] wid = v.walletId().getBytes(StandardCharsets.UTF_8);
            byte[] key = jdkPbkdf2(v.password(), v.salt(), v.iterations());
            byte[] aad = header(v.iterations(), v.salt(), v.nonce(), v.roleId(), wid);
            byte[] sealed = jdkGcm(Cipher.ENCRYPT_MODE, key, v.nonce(), aad, v.share());
            byte[] env = concat(aad, u32(sealed.length), sealed);
            if (!Arrays.equals(jdkGcm(Cipher.DECRYPT_MODE, key, v.nonce(), aad, sealed), v.share())) {
                throw new IllegalStateException("JDK round trip failed for " + v.name());
            }
            if (k == 0) {
                base = env;
            }
            out.append("    {\n");
            field(out, "name", v.name());
            field(out, "description", v.description());
            field(out, "password", v.password());
            field(out, "passwordUtf8Hex", HEX.formatHex(pw));
            field(out, "walletId", v.walletId());
            field(out, "walletIdUtf8Hex", HEX.formatHex(wid));
            field(out, "role", roleName(v.roleId()));
            number(out, "roleId", v.roleId());
            number(out, "iterations", v.iterations());
            field(out, "saltHex", HEX.formatHex(v.salt()));
            field(out, "nonceHex", HEX.formatHex(v.nonce()));
            field(out, "keyHex", HEX.formatHex(key));
            field(out, "aadHex", HEX.formatHex(aad));
            field(out, "shareHex", HEX.formatHex(v.share()));
            last(out, "envelopeHex", HEX.formatHex(env));
            out.append(k + 1 < inputs.size() ? "    },\n" : "    }\n");
        }
        out.append("  ],\n");
        out.append("  \"invalid\": [\n");
        List<String> cases = invalidCases(inputs.get(0), base);
        out.append(String.join(",\n", cases)).append('\n');
        out.append("  ]\n");
        out.append("}\n");
        Files.writeString(Path.of(args[0]), out.toString(), StandardCharsets.UTF_8);
    }

    /** Negative cases, all derived from the first valid vector (74 bytes; wallet id "wallet-0001", 11 bytes). */
    static List<String> invalidCases(Valid v, byte[] base) {
        String pw = v.password();
        String wid = v.walletId();
        String role = roleName(v.roleId());
        int widLen = wid.getBytes(StandardCharsets.UTF_8).length;
        int walletIdAt = 42;
        int ctLenAt = walletIdAt + widLen;
        int ctAt = ctLenAt + 4;
        List<String> c = new ArrayList<>();
        c.add(invalid("wrong-password", "one character of the password changed", base,
                "correct horse battery staplf", wid, role, "WRONG_PASSWORD_OR_TAMPERED", null));
        c.add(invalid("empty-envelope", "zero bytes", new byte[0], pw, wid, role, "MALFORMED", "MAGIC"));
        c.add(invalid("bad-magic", "magic 'MPCW'", set(base, 3, 'W'), pw, wid, role, "MALFORMED", "MAGIC"));
        c.add(invalid("version-0", "format version 0", set(base, 4, 0), pw, wid, role, "UNSUPPORTED_VERSION",
                "FORMAT_VERSION"));
        c.add(invalid("version-2", "format version 2", set(base, 4, 2), pw, wid, role, "UNSUPPORTED_VERSION",
                "FORMAT_VERSION"));
        c.add(invalid("kdf-id-2", "KDF id 2", set(base, 5, 2), pw, wid, role, "MALFORMED", "KDF_ID"));
        c.add(invalid("iterations-599999", "iteration count below the minimum", put(base, 6, u32(599_999)), pw,
                wid, role, "MALFORMED", "ITERATIONS"));
        c.add(invalid("iterations-10000001", "iteration count above the maximum", put(base, 6, u32(10_000_001)),
                pw, wid, role, "MALFORMED", "ITERATIONS"));
        c.add(invalid("iterations-4294967295", "iteration count 0xffffffff (read as unsigned)",
                put(base, 6, u32(0xffffffffL)), pw, wid, role, "MALFORMED", "ITERATIONS"));
        c.add(invalid("iterations-changed-600001", "iteration count changed within bounds: tag fails",
                put(base, 6, u32(600_001)), pw, wid, role, "WRONG_PASSWORD_OR_TAMPERED", null));
        c.add(invalid("salt-flipped", "first salt byte XOR 0x01: tag fails", flip(base, 10), pw, wid, role,
                "WRONG_PASSWORD_OR_TAMPERED", null));
        c.add(invalid("aead-id-2", "AEAD id 2", set(base, 26, 2), pw, wid, role, "MALFORMED", "AEAD_ID"));
        c.add(invalid("nonce-flipped", "last nonce byte XOR 0x01: tag fails", flip(base, 38), pw, wid, role,
                "WRONG_PASSWORD_OR_TAMPERED", null));
        c.add(invalid("role-0", "party role 0", set(base, 39, 0), pw, wid, role, "MALFORMED", "PARTY_ROLE"));
        c.add(invalid("role-3", "party role 3", set(base, 39, 3), pw, wid, role, "MALFORMED", "PARTY_ROLE"));
        c.add(invalid("role-changed-to-p1", "role byte changed 2 -> 1 and the caller expects P1: tag fails",
                set(base, 39, 1), pw, wid, "P1", "WRONG_PASSWORD_OR_TAMPERED", null));
        c.add(invalid("expected-role-mismatch", "unmodified envelope of P2 opened as P1", base, pw, wid, "P1",
                "WRONG_WALLET_OR_ROLE", null));
        c.add(invalid("expected-wallet-mismatch", "unmodified envelope opened for wallet-0002", base, pw,
                "wallet-0002", role, "WRONG_WALLET_OR_ROLE", null));
        c.add(invalid("wallet-id-changed", "wallet id changed to wallet-0002 and the caller expects it: tag fails",
                set(base, walletIdAt + widLen - 1, '2'), pw, "wallet-0002", role, "WRONG_PASSWORD_OR_TAMPERED",
                null));
        c.add(invalid("wallet-id-length-0", "wallet id length 0", put(base, 40, new byte[] {0, 0}), pw, wid, role,
                "MALFORMED", "WALLET_ID_LENGTH"));
        c.add(invalid("wallet-id-length-129", "wallet id length 129", put(base, 40, new byte[] {0, (byte) 129}), pw,
                wid, role, "MALFORMED", "WALLET_ID_LENGTH"));
        c.add(invalid("wallet-id-overlong-utf8", "wallet id bytes C0 AF (overlong '/') instead of '01'",
                put(base, walletIdAt + widLen - 2, new byte[] {(byte) 0xc0, (byte) 0xaf}), pw, wid, role,
                "MALFORMED", "WALLET_ID"));
        c.add(invalid("wallet-id-surrogate-utf8", "wallet id bytes ED A0 80 (UTF-8 of a surrogate) instead of '001'",
                put(base, walletIdAt + widLen - 3, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), pw, wid,
                role, "MALFORMED", "WALLET_ID"));
        c.add(invalid("ciphertext-length-15", "ciphertext length shorter than a tag",
                put(base, ctLenAt, u32(15)), pw, wid, role, "MALFORMED", "CIPHERTEXT_LENGTH"));
        c.add(invalid("ciphertext-length-huge", "ciphertext length 0xffffffff", put(base, ctLenAt, u32(0xffffffffL)),
                pw, wid, role, "MALFORMED", "CIPHERTEXT_LENGTH"));
        c.add(invalid("ciphertext-length-plus-1", "ciphertext length one more than present",
                put(base, ctLenAt, u32(base.length - ctAt + 1)), pw, wid, role, "MALFORMED", "CIPHERTEXT"));
        c.add(invalid("ciphertext-length-minus-1", "ciphertext length one less than present",
                put(base, ctLenAt, u32(base.length - ctAt - 1)), pw, wid, role, "MALFORMED", "TRAILING_DATA"));
        c.add(invalid("truncated-in-salt", "only the first 20 bytes", Arrays.copyOf(base, 20), pw, wid, role,
                "MALFORMED", "SALT"));
        c.add(invalid("truncated-in-nonce", "only the first 30 bytes", Arrays.copyOf(base, 30), pw, wid, role,
                "MALFORMED", "NONCE"));
        c.add(invalid("truncated-last-byte", "last byte of the tag missing", Arrays.copyOf(base, base.length - 1),
                pw, wid, role, "MALFORMED", "CIPHERTEXT"));
        c.add(invalid("trailing-byte", "one extra 0x00 byte after the tag", Arrays.copyOf(base, base.length + 1),
                pw, wid, role, "MALFORMED", "TRAILING_DATA"));
        c.add(invalid("ciphertext-flipped", "first ciphertext byte XOR 0x01: tag fails", flip(base, ctAt), pw, wid,
                role, "WRONG_PASSWORD_OR_TAMPERED", null));
        c.add(invalid("tag-flipped", "last tag byte XOR 0x01: tag fails", flip(base, base.length - 1), pw, wid,
                role, "WRONG_PASSWORD_OR_TAMPERED", null));
        return c;
    }

    static byte[] set(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    static byte[] put(byte[] b, int at, byte[] value) {
        byte[] c = b.clone();
        System.arraycopy(value, 0, c, at, value.length);
        return c;
    }

    static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x01;
        return c;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    private static String invalid(String name, String description, byte[] envelope, String password,
            String expectedWalletId, String expectedRole, String kind, String field) {
        StringBuilder b = new StringBuilder("    {\n");
        field(b, "name", name);
        field(b, "description", description);
        field(b, "password", password);
        field(b, "passwordUtf8Hex", HEX.formatHex(password.getBytes(StandardCharsets.UTF_8)));
        field(b, "expectedWalletId", expectedWalletId);
        field(b, "expectedRole", expectedRole);
        field(b, "envelopeHex", HEX.formatHex(envelope));
        field(b, "failureKind", kind);
        b.append("      \"failureField\": ").append(field == null ? "null" : MiniJson.quote(field)).append('\n');
        return b.append("    }").toString();
    }

    private static void field(StringBuilder b, String k, String v) {
        b.append("      ").append(MiniJson.quote(k)).append(": ").append(MiniJson.quote(v)).append(",\n");
    }

    private static void last(StringBuilder b, String k, String v) {
        b.append("      ").append(MiniJson.quote(k)).append(": ").append(MiniJson.quote(v)).append("\n");
    }

    private static void number(StringBuilder b, String k, long v) {
        b.append("      ").append(MiniJson.quote(k)).append(": ").append(v).append(",\n");
    }
}
