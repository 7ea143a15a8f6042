package org.mpcwallet.web.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mpcwallet.web.BrowserHarness.call;
import static org.mpcwallet.web.BrowserHarness.visit;

import com.sun.net.httpserver.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.vault.VaultHeader;
import org.mpcwallet.web.BrowserHarness;

/**
 * The share vault's known-answer vectors (shared-crypto/src/test/resources/vectors/vault/vault-v1.json, read here on
 * the JVM and handed to the page call by call) against {@link WebCryptoVault} compiled by TeaVM, in headless
 * Chromium with WebCrypto ({@code vault.html} with the test module {@code teavm/p2-test.wasm}, and with the production module {@code teavm/p2.wasm}): every valid vector opens to its share and is
 * reproduced byte for byte from its salt and nonce; every invalid one fails with the stated kind and field (and the
 * JVM's reason). Cross direction: envelopes sealed in the browser with fresh randomness open with the JVM's
 * {@link ShareVault#open}, and one sealed by the JVM opens in the browser. Also argument errors, failing closed
 * without Web Crypto, and the TeaVM coroutine hazard of calling the vault outside a thread. Chromium, node or
 * playwright-core missing is a failure, never a skip.
 */
class BrowserVaultTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String FRESH_PASSWORD = "Pässwörter-\u5bc6\u7801-\ud83d\udd10-fresh";
    private static final String FRESH_WALLET = "wallet-cross-\u00e9";
    /** The argument probes of {@code P2Main.vaultArgumentProbe} and what their IllegalArgumentException says. */
    private static final Map<String, String> ARGUMENT_PROBES = Map.ofEntries(
            Map.entry("seal-empty-password", "password must not be empty"),
            Map.entry("seal-unpaired-high-surrogate", "password contains an unpaired surrogate at index 1"),
            Map.entry("seal-unpaired-low-surrogate", "password contains an unpaired surrogate at index 0"),
            Map.entry("seal-wallet-id-surrogate", "walletId contains an unpaired surrogate at index 1"),
            Map.entry("seal-wallet-id-empty", "walletId must be 1..128 bytes of UTF-8, got 0"),
            Map.entry("seal-wallet-id-129-bytes", "walletId must be 1..128 bytes of UTF-8, got 129"),
            Map.entry("seal-iterations-599999", "iterations must be in [600000, 10000000], got 599999"),
            Map.entry("seal-iterations-10000001", "iterations must be in [600000, 10000000], got 10000001"),
            Map.entry("seal-share-too-large", "share must be at most 1048576 bytes"),
            Map.entry("open-empty-password", "password must not be empty"),
            Map.entry("open-unpaired-surrogate", "password contains an unpaired surrogate at index 0"),
            Map.entry("open-wallet-id-empty", "walletId must be 1..128 bytes of UTF-8, got 0"));

    record Valid(String name, String password, String walletId, String role, int iterations, String saltHex,
            String nonceHex, String shareHex, String envelopeHex) {}

    record Invalid(String name, String password, String expectedWalletId, String expectedRole, String envelopeHex,
            String kind, String field) {}

    private static final List<Valid> valid = new ArrayList<>();
    private static final List<Invalid> invalid = new ArrayList<>();
    private static byte[] freshShare;
    private static byte[] jvmSealed;
    /** shared-crypto's vectors/backup/desktop-backup-v1.json: a backup bundle as the desktop wallet writes it. */
    private static Map<String, Object> desktopBackup;
    private static HttpServer server;
    private static Map<String, String> results;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void runBrowser() throws Exception {
        BrowserHarness probe = BrowserHarness.require("browser vault test",
                List.of("vault.html", "teavm/p2-test.wasm", "teavm/p2.wasm", "teavm/teavm-runtime.js"));
        Path vectors = probe.repoRoot.resolve("shared-crypto/src/test/resources/vectors/vault/vault-v1.json");
        if (!Files.isRegularFile(vectors)) {
            fail("vault vectors missing: " + vectors + " (they are part of docs/vault-format.md; never skipped)");
        }
        loadVectors(Files.readString(vectors, StandardCharsets.UTF_8));
        Path backup = probe.repoRoot.resolve("shared-crypto/src/test/resources/vectors/backup/desktop-backup-v1.json");
        desktopBackup = (Map<String, Object>) parseJson(Files.readString(backup, StandardCharsets.UTF_8));
        Map<String, Object> entry = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) desktopBackup
                .get("bundle")).get("wallets")).get(0);
        String desktopEnvelopeHex = HEX.formatHex(java.util.Base64.getDecoder().decode(str(entry, "vault")));

        SecureRandom rnd = new SecureRandom();
        freshShare = new byte[200];
        rnd.nextBytes(freshShare);
        jvmSealed = ShareVault.seal(FRESH_PASSWORD.toCharArray(), FRESH_WALLET, Party.P1, freshShare, rnd::nextBytes);

        server = probe.startServer();
        String page = BrowserHarness.baseUrl(server) + "vault.html";
        List<String> calls = new ArrayList<>();
        for (Valid v : valid) {
            calls.add(call("open." + v.name, "vaultOpen", v.password, v.envelopeHex, v.walletId, v.role));
            calls.add(call("seal." + v.name, "vaultSeal", v.password, v.walletId, v.role, v.shareHex, v.iterations,
                    v.saltHex, v.nonceHex));
            calls.add(call("inspect." + v.name, "vaultInspect", v.envelopeHex));
        }
        for (Invalid v : invalid) {
            calls.add(call("invalid." + v.name, "vaultOpen", v.password, v.envelopeHex, v.expectedWalletId,
                    v.expectedRole));
            calls.add(call("inspect." + v.name, "vaultInspect", v.envelopeHex));
        }
        String freshHex = HEX.formatHex(freshShare);
        calls.add(call("fresh1", "vaultSeal", FRESH_PASSWORD, FRESH_WALLET, "P2", freshHex, 600_000, "", ""));
        calls.add(call("fresh2", "vaultSeal", FRESH_PASSWORD, FRESH_WALLET, "P2", freshHex, 600_000, "", ""));
        calls.add(call("jvm-sealed", "vaultOpen", FRESH_PASSWORD, HEX.formatHex(jvmSealed), FRESH_WALLET, "P1"));
        calls.add(call("desktop-backup", "vaultOpen", str(desktopBackup, "walletSecret"), desktopEnvelopeHex,
                str(entry, "walletId"), "P2"));
        calls.add(call("jvm-sealed-wrong-password", "vaultOpen", FRESH_PASSWORD + " ", HEX.formatHex(jvmSealed),
                FRESH_WALLET, "P1"));
        for (String p : new java.util.TreeSet<>(ARGUMENT_PROBES.keySet())) {
            calls.add(call("arg." + p, "vaultArgumentProbe", p));
        }
        // Last: the documented coroutine hazard (a trap), then proof that the module still works after it.
        Valid first = valid.get(0);
        calls.add(call("outside-thread", "vaultOpenOutsideThread", first.envelopeHex));
        calls.add(call("after-trap", "vaultOpen", first.password, first.envelopeHex, first.walletId, first.role));

        List<String> noCrypto = List.of(
                call("seal-fresh", "vaultSeal", "pw", "w", "P2", "2a", 600_000, "", ""),
                call("seal-fixed", "vaultSeal", first.password, first.walletId, first.role, first.shareHex,
                        first.iterations, first.saltHex, first.nonceHex),
                call("open", "vaultOpen", first.password, first.envelopeHex, first.walletId, first.role));

        // the production module p2.wasm: its own seal (browser randomness only) and open
        List<String> production = List.of(
                call("seal", "vaultSeal", FRESH_PASSWORD, FRESH_WALLET, "P2", freshHex, 600_000),
                call("jvm-sealed", "vaultOpen", FRESH_PASSWORD, HEX.formatHex(jvmSealed), FRESH_WALLET, "P1"),
                call("inspect", "vaultInspect", first.envelopeHex));

        long t0 = System.nanoTime();
        results = probe.runPlan(probe.plan(180_000, visit("vault", page, false, calls),
                visit("nocrypto", page, true, noCrypto),
                visit("production", page + "?module=p2.wasm", false, production)), 300);
        System.out.printf("browser vault run: %d ms (%d valid, %d invalid vectors; node %s)%n",
                (System.nanoTime() - t0) / 1_000_000, valid.size(), invalid.size(), probe.nodeVersion());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void everyValidVectorOpensToItsShare() {
        for (Valid v : valid) {
            assertEquals("ok:" + v.shareHex, result("vault.open." + v.name), "open of " + v.name);
        }
    }

    @Test
    void sealingWithTheVectorsSaltAndNonceReproducesTheEnvelope() {
        for (Valid v : valid) {
            assertEquals("ok:" + v.envelopeHex, result("vault.seal." + v.name), "seal of " + v.name);
        }
    }

    @Test
    void everyInvalidVectorFailsWithTheStatedKindFieldAndTheJvmsReason() {
        for (Invalid v : invalid) {
            String[] f = failure("vault.invalid." + v.name);
            assertEquals(v.kind, f[0], "failure kind of " + v.name);
            assertEquals(v.field == null ? "-" : v.field, f[1], "failure field of " + v.name);
            Result<byte[], VaultFailure> jvm = ShareVault.open(v.password.toCharArray(), HEX.parseHex(v.envelopeHex),
                    v.expectedWalletId, Party.valueOf(v.expectedRole));
            assertFalse(jvm.isOk(), "the JVM opened invalid vector " + v.name);
            assertEquals(jvm.failure().reason(), f[2], "failure reason of " + v.name + " (JVM vs browser)");
            assertFalse(String.join(":", f).contains(v.password), v.name + ": the failure text contains the password");
        }
    }

    @Test
    void inspectAgreesWithTheJvm() {
        List<String[]> cases = new ArrayList<>();
        valid.forEach(v -> cases.add(new String[] {v.name, v.envelopeHex}));
        invalid.forEach(v -> cases.add(new String[] {v.name, v.envelopeHex}));
        for (String[] c : cases) {
            Result<VaultHeader, VaultFailure> jvm = ShareVault.inspect(HEX.parseHex(c[1]));
            String expected = jvm.isOk() ? "ok:" + jvm.value() : failureText(jvm.failure());
            assertEquals(expected, result("vault.inspect." + c[0]), "inspect of " + c[0]);
        }
    }

    /** The desktop wallet's backup (its bundle's envelope) opens in the browser to the share it holds. */
    @Test
    void theDesktopWalletsBackupOpensInTheBrowser() {
        assertEquals("ok:" + str(desktopBackup, "shareHex"), result("vault.desktop-backup"));
    }

    @Test
    void envelopesSealedInTheBrowserOpenOnTheJvm() {
        byte[] a = envelope("vault.fresh1");
        byte[] b = envelope("vault.fresh2");
        for (byte[] env : List.of(a, b)) {
            Result<byte[], VaultFailure> opened = ShareVault.open(FRESH_PASSWORD.toCharArray(), env, FRESH_WALLET,
                    Party.P2);
            assertTrue(opened.isOk(), "the JVM could not open a browser-sealed envelope: " + opened);
            assertArrayEquals(freshShare, opened.value());
            VaultHeader h = ShareVault.inspect(env).value();
            assertEquals(ShareVault.DEFAULT_ITERATIONS, h.iterations());
            assertEquals(Party.P2, h.role());
            assertEquals(FRESH_WALLET, h.walletId());
        }
        VaultHeader ha = ShareVault.inspect(a).value();
        VaultHeader hb = ShareVault.inspect(b).value();
        assertNotEquals(HEX.formatHex(ha.salt()), HEX.formatHex(hb.salt()), "two browser seals drew the same salt");
        assertNotEquals(HEX.formatHex(ha.nonce()), HEX.formatHex(hb.nonce()), "two browser seals drew the same nonce");
        assertFalse(HEX.formatHex(ha.salt()).equals("0".repeat(32)), "salt of zeros");
        Result<byte[], VaultFailure> wrong = ShareVault.open((FRESH_PASSWORD + " ").toCharArray(), a, FRESH_WALLET,
                Party.P2);
        assertEquals("WRONG_PASSWORD_OR_TAMPERED", wrong.failure().kind().name());
    }

    /** The production module (issue 9 item 6) seals with the browser's randomness and opens like the test module. */
    @Test
    void theProductionModuleSealsAndOpens() {
        byte[] env = envelope("production.seal");
        Result<byte[], VaultFailure> opened = ShareVault.open(FRESH_PASSWORD.toCharArray(), env, FRESH_WALLET,
                Party.P2);
        assertTrue(opened.isOk(), "the JVM could not open an envelope sealed by p2.wasm: " + opened);
        assertArrayEquals(freshShare, opened.value());
        assertNotEquals(HEX.formatHex(ShareVault.inspect(env).value().salt()),
                HEX.formatHex(ShareVault.inspect(envelope("vault.fresh1")).value().salt()));
        assertEquals("ok:" + HEX.formatHex(freshShare), result("production.jvm-sealed"));
        assertEquals(result("vault.inspect." + valid.get(0).name()), result("production.inspect"));
    }

    @Test
    void anEnvelopeSealedByTheJvmOpensInTheBrowser() {
        assertEquals("ok:" + HEX.formatHex(freshShare), result("vault.jvm-sealed"));
        String[] f = failure("vault.jvm-sealed-wrong-password");
        assertEquals("WRONG_PASSWORD_OR_TAMPERED", f[0]);
        String text = String.join(":", f);
        assertFalse(text.contains(FRESH_PASSWORD), "the failure text contains the password");
        assertFalse(text.contains(HEX.formatHex(freshShare, 0, 8)), "the failure text contains share bytes");
    }

    @Test
    void argumentErrorsThrowIllegalArgumentExceptionAsOnTheJvm() {
        for (Map.Entry<String, String> p : ARGUMENT_PROBES.entrySet()) {
            assertEquals("error:IllegalArgumentException: " + p.getValue(), result("vault.arg." + p.getKey()),
                    "argument probe " + p.getKey());
        }
    }

    @Test
    void failsClosedWithoutWebCrypto() {
        for (String k : List.of("nocrypto.seal-fresh", "nocrypto.seal-fixed", "nocrypto.open")) {
            String r = result(k);
            assertTrue(r.startsWith("error:IllegalStateException: no "), k + " did not fail closed: " + r);
        }
        assertTrue(result("nocrypto.open").contains("crypto.subtle"), result("nocrypto.open"));
    }

    /**
     * TeaVM 0.15 WasmGC: a coroutine (WebCryptoVault.open waits for WebCrypto) entered outside a TeaVM thread traps
     * instead of throwing (TEAVM-NOTES.md). If this starts failing after a TeaVM upgrade, update the notes.
     */
    @Test
    void callingTheVaultOutsideATeaVmThreadTrapsAndTheModuleSurvives() {
        assertFalse(results.containsKey("vault.outside-thread"),
                "no trap any more: " + results.get("vault.outside-thread") + " (update TEAVM-NOTES.md)");
        String err = result("vault.outside-thread.error");
        assertTrue(err.contains("RuntimeError"), "expected a WebAssembly trap, got: " + err);
        Valid first = valid.get(0);
        assertEquals("ok:" + first.shareHex, result("vault.after-trap"));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Strict JSON (duplicate keys and trailing tokens rejected, integers as Long) on Jackson. */
    private static Object parseJson(String text) {
        try {
            return com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS)
                    .build().readValue(text, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("vault vector file is not valid JSON: " + e.getOriginalMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static void loadVectors(String text) {
        Map<String, Object> root = (Map<String, Object>) parseJson(text);
        assertEquals("mpcwallet-share-vault-vectors/1", root.get("schema"));
        for (Object o : (List<Object>) root.get("valid")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Valid v = new Valid(str(m, "name"), str(m, "password"), str(m, "walletId"), str(m, "role"),
                    Math.toIntExact((Long) m.get("iterations")), str(m, "saltHex"), str(m, "nonceHex"),
                    str(m, "shareHex"), str(m, "envelopeHex"));
            // The JSON's own redundancy: the UTF-8 fields match the strings.
            assertEquals(str(m, "passwordUtf8Hex"), HEX.formatHex(v.password.getBytes(StandardCharsets.UTF_8)));
            assertEquals(str(m, "walletIdUtf8Hex"), HEX.formatHex(v.walletId.getBytes(StandardCharsets.UTF_8)));
            valid.add(v);
        }
        for (Object o : (List<Object>) root.get("invalid")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (!m.containsKey("failureField")) {
                fail("invalid vector without failureField: " + m.get("name"));
            }
            invalid.add(new Invalid(str(m, "name"), str(m, "password"), str(m, "expectedWalletId"),
                    str(m, "expectedRole"), str(m, "envelopeHex"), str(m, "failureKind"), (String) m.get("failureField")));
        }
        assertTrue(valid.size() >= 4 && invalid.size() >= 30,
                "fewer vectors than expected: " + valid.size() + " valid, " + invalid.size() + " invalid");
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof String s)) {
            throw new AssertionError("vector field " + k + " missing or not a string");
        }
        return s;
    }

    private static String failureText(VaultFailure f) {
        return "failure:" + f.kind() + ":" + (f.field() == null ? "-" : f.field().name()) + ":" + f.reason();
    }

    /** {@code [kind, field or "-", reason]} of a {@code failure:...} result. */
    private static String[] failure(String key) {
        String r = result(key);
        if (!r.startsWith("failure:")) {
            fail(key + ": expected a failure value, got: " + r);
        }
        String[] parts = r.substring("failure:".length()).split(":", 3);
        assertEquals(3, parts.length, key + ": malformed failure text " + r);
        return parts;
    }

    private static byte[] envelope(String key) {
        String r = result(key);
        if (!r.startsWith("ok:")) {
            fail(key + ": sealing failed: " + r);
        }
        return HEX.parseHex(r.substring(3));
    }

    private static String result(String key) {
        String v = results.get(key);
        if (v == null) {
            String err = results.get(key + ".error");
            String visit = key.substring(0, key.indexOf('.'));
            fail("the browser produced no " + key + (err != null ? "; the call failed with: " + err : "")
                    + (results.containsKey(visit + ".error") ? "; page error: " + results.get(visit + ".error") : ""));
        }
        return v;
    }
}
