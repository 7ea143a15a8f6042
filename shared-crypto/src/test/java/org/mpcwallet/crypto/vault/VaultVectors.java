package org.mpcwallet.crypto.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.mpcwallet.crypto.core.Party;

/**
 * Typed view of src/test/resources/vectors/vault/vault-v1.json. A missing or unreadable file is an error, never a
 * skip.
 */
final class VaultVectors {
    static final String RESOURCE = "/vectors/vault/vault-v1.json";
    private static final HexFormat HEX = HexFormat.of();

    record Valid(String name, String password, byte[] passwordUtf8, String walletId, byte[] walletIdUtf8, Party role,
            int roleId, int iterations, byte[] salt, byte[] nonce, byte[] key, byte[] aad, byte[] share,
            byte[] envelope) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Invalid(String name, String description, String password, byte[] passwordUtf8, String expectedWalletId,
            Party expectedRole, byte[] envelope, VaultFailureKind kind, VaultField field) {
        @Override
        public String toString() {
            return name;
        }
    }

    final String schema;
    final List<Valid> valid;
    final List<Invalid> invalid;

    private VaultVectors(String schema, List<Valid> valid, List<Invalid> invalid) {
        this.schema = schema;
        this.valid = valid;
        this.invalid = invalid;
    }

    static String rawText(String resource) {
        try (InputStream in = VaultVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("vault vector file " + resource + " is missing from the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + resource, e);
        }
    }

    @SuppressWarnings("unchecked")
    static VaultVectors load() {
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(rawText(RESOURCE));
        List<Valid> valid = new ArrayList<>();
        for (Object o : (List<Object>) root.get("valid")) {
            Map<String, Object> m = (Map<String, Object>) o;
            valid.add(new Valid(str(m, "name"), str(m, "password"), hex(m, "passwordUtf8Hex"), str(m, "walletId"),
                    hex(m, "walletIdUtf8Hex"), Party.valueOf(str(m, "role")), num(m, "roleId"),
                    num(m, "iterations"), hex(m, "saltHex"), hex(m, "nonceHex"), hex(m, "keyHex"),
                    hex(m, "aadHex"), hex(m, "shareHex"), hex(m, "envelopeHex")));
        }
        List<Invalid> invalid = new ArrayList<>();
        for (Object o : (List<Object>) root.get("invalid")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Object field = m.get("failureField");
            if (!m.containsKey("failureField")) {
                throw new AssertionError("invalid vector without failureField");
            }
            invalid.add(new Invalid(str(m, "name"), str(m, "description"), str(m, "password"),
                    hex(m, "passwordUtf8Hex"), str(m, "expectedWalletId"), Party.valueOf(str(m, "expectedRole")),
                    hex(m, "envelopeHex"), VaultFailureKind.valueOf(str(m, "failureKind")),
                    field == null ? null : VaultField.valueOf((String) field)));
        }
        return new VaultVectors(str(root, "schema"), valid, invalid);
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof String)) {
            throw new AssertionError("vector field " + k + " missing or not a string");
        }
        return (String) v;
    }

    private static int num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Long)) {
            throw new AssertionError("vector field " + k + " missing or not an integer");
        }
        return Math.toIntExact((Long) v);
    }

    private static byte[] hex(Map<String, Object> m, String k) {
        return HEX.parseHex(str(m, k));
    }
}
