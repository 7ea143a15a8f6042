package org.mpcwallet.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.signer.permit.PermitKeys;
import org.mpcwallet.signer.testing.TestKeys;

/** SignerMain as a child process (the JVM running the tests, the test class path): configuration errors. */
class SignerMainTest {
    private static final String KEK_HEX = "a1".repeat(32);

    @TempDir
    static Path dir;
    private static TlsFixture tls;
    private static Path permitKey;
    private static Path kekFile;

    @BeforeAll
    static void files() throws IOException {
        tls = TlsFixture.create(dir.resolve("certs"));
        permitKey = dir.resolve("permit.pub");
        Files.write(permitKey, PermitKeys.generate(TestKeys.random("main-orch")).getPublic().getEncoded());
        kekFile = dir.resolve("kek.hex");
        Files.writeString(kekFile, KEK_HEX + "\n");
    }

    record Exit(int code, String out, String err) {}

    static Exit run(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SignerMain.class.getName());
        pb.environment().keySet().removeIf(k -> k.startsWith("SIGNER_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("SignerMain did not exit");
        }
        return new Exit(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** A complete configuration; the database is a closed port unless replaced. */
    static Map<String, String> complete() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("SIGNER_PORT", "0");
        env.put("SIGNER_KEYSTORE", tls.stores().signerKeystore().toString());
        env.put("SIGNER_KEYSTORE_PASSWORD", TlsFixture.PASSWORD);
        env.put("SIGNER_TRUSTSTORE", tls.stores().truststore().toString());
        env.put("SIGNER_TRUSTSTORE_PASSWORD", TlsFixture.PASSWORD);
        env.put("SIGNER_KEK_FILE", kekFile.toString());
        env.put("SIGNER_PERMIT_PUBLIC_KEY", permitKey.toString());
        env.put("SIGNER_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + closedPort() + "/signer");
        env.put("SIGNER_DATABASE_USER", "signer");
        env.put("SIGNER_DATABASE_PASSWORD", "db-secret-pw-42");
        return env;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void assertConfigError(Exit e, String variable, String... secrets) {
        assertEquals(2, e.code(), e::toString);
        List<String> lines = e.err().lines().toList();
        assertEquals(1, lines.size(), () -> "one line: " + e.err());
        assertTrue(lines.get(0).startsWith("bank-signer: configuration error: " + variable), e::toString);
        assertEquals("", e.out());
        for (String s : secrets) {
            assertFalse(e.err().contains(s), "the secret value is not printed");
        }
    }

    @Test
    void withNoConfigurationItExits2NamingTheFirstMissingVariable() throws Exception {
        Exit e = run(Map.of());
        assertConfigError(e, "SIGNER_KEYSTORE");
        assertTrue(e.err().contains("SIGNER_KEYSTORE is not set"), e::toString);
    }

    @Test
    void eachMissingVariableIsNamed() throws Exception {
        for (String v : List.of("SIGNER_TRUSTSTORE_PASSWORD", "SIGNER_PERMIT_PUBLIC_KEY", "SIGNER_DATABASE_URL")) {
            Map<String, String> env = complete();
            env.remove(v);
            Exit e = run(env);
            assertConfigError(e, v, TlsFixture.PASSWORD, "db-secret-pw-42");
            assertTrue(e.err().contains(v + " is not set"), e::toString);
        }
        Map<String, String> noKek = complete();
        noKek.remove("SIGNER_KEK_FILE");
        assertConfigError(run(noKek), "SIGNER_KEK_FILE");
    }

    @Test
    void invalidValuesAreNamedWithoutPrintingSecrets() throws Exception {
        Map<String, String> port = complete();
        port.put("SIGNER_PORT", "70000");
        assertConfigError(run(port), "SIGNER_PORT");

        Map<String, String> wrongPassword = complete();
        wrongPassword.put("SIGNER_KEYSTORE_PASSWORD", "wrong-store-pw-777");
        Exit e = run(wrongPassword);
        assertConfigError(e, "SIGNER_KEYSTORE", "wrong-store-pw-777", TlsFixture.PASSWORD);
        assertTrue(e.err().contains("wrong password"), e::toString);

        Map<String, String> badKek = complete();
        badKek.remove("SIGNER_KEK_FILE");
        String secretish = "b2".repeat(31) + "zz";
        badKek.put("SIGNER_KEK_HEX", secretish);
        assertConfigError(run(badKek), "SIGNER_KEK_HEX", secretish);

        Map<String, String> bothKeks = complete();
        bothKeks.put("SIGNER_KEK_HEX", KEK_HEX);
        assertConfigError(run(bothKeks), "SIGNER_KEK_FILE", KEK_HEX);

        Map<String, String> notEd25519 = complete();
        notEd25519.put("SIGNER_PERMIT_PUBLIC_KEY", kekFile.toString());
        assertConfigError(run(notEd25519), "SIGNER_PERMIT_PUBLIC_KEY", KEK_HEX);

        Map<String, String> mysql = complete();
        mysql.put("SIGNER_DATABASE_URL", "jdbc:mysql://127.0.0.1/x");
        assertConfigError(run(mysql), "SIGNER_DATABASE_URL");
    }

    @Test
    void anUnreachableDatabaseExits1NamingIt() throws Exception {
        Exit e = run(complete());
        assertEquals(1, e.code(), e::toString);
        assertTrue(e.err().contains("SIGNER_DATABASE_URL") && e.err().contains("SQLSTATE"), e::toString);
        assertFalse(e.err().contains("db-secret-pw-42"));
        assertFalse(e.err().contains(KEK_HEX));
        assertFalse(e.out().contains("listening"));
    }
}
