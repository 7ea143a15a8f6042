package org.mpcwallet.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mpcwallet.web.BrowserHarness.call;
import static org.mpcwallet.web.BrowserHarness.visit;

import com.sun.net.httpserver.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.parity.ParityRunner;
import org.mpcwallet.web.parity.FeatureProbe;
import org.mpcwallet.web.parity.ModPowCases;

/**
 * The parity gate. Serves client-web's TeaVM output ({@code target/web}) over HTTP on 127.0.0.1, opens
 * {@code parity.html} in headless Chromium through {@code src/test/js/run-page.mjs} (playwright-core from
 * {@code <repo>/.tools/node_modules}, Debian's chromium), and compares what the WebAssembly build computed with the
 * same code on this JVM, byte for byte. Chromium, node or playwright-core missing is a failure, never a skip.
 */
class BrowserParityTest {
    /** {@code [modBits, expBits, count]} of the deterministic BigInt-bridge cases. */
    private static final int[][] MODPOW_SIZES = {{64, 64, 30}, {256, 256, 30}, {2048, 2048, 8}, {4096, 2048, 4}};
    private static final int[][] MODPOW_RANDOM_SIZES = {{521, 521, 20}, {2048, 2048, 6}, {4096, 4096, 2}};

    private static String jvmReport;
    private static HttpServer server;
    private static Map<String, String> results;

    @BeforeAll
    static void runBrowser() throws Exception {
        long j0 = System.nanoTime();
        jvmReport = ParityRunner.report();
        System.out.printf("JVM ParityRunner.report(): %d ms%n", (System.nanoTime() - j0) / 1_000_000);
        BrowserHarness h = BrowserHarness.require("browser parity gate",
                List.of("parity.html", "teavm/parity.wasm", "teavm/teavm-runtime.js"));
        server = h.startServer();
        String page = BrowserHarness.baseUrl(server) + "parity.html";
        long t0 = System.nanoTime();
        results = h.runPlan(plan(h, page), 300);
        System.out.printf("browser run: %d ms (node %s, %s)%n", (System.nanoTime() - t0) / 1_000_000, h.nodeVersion(),
                h.chromium);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void parityReportIsByteIdenticalToTheJvm() {
        assertSameText("ParityRunner.report()", jvmReport, result("main.report"));
    }

    @Test
    void parityReportWithTheBigIntBridgeIsByteIdenticalToTheJvm() {
        assertSameText("ParityRunner.report(BigIntModPow) in the browser vs ParityRunner.report() on the JVM",
                jvmReport, result("main.parity-bigint"));
    }

    @Test
    void pageRefusesToRunWithoutWebCrypto() {
        assertFalse(results.containsKey("nocrypto.report"), "the page computed its report without Web Crypto");
        String error = result("nocrypto.error");
        assertTrue(error.contains("IllegalStateException") && error.contains("no secure randomness"),
                "the page without crypto failed, but not closed with a clear message: " + error);
    }

    @Test
    void featureProbeIsByteIdenticalToTheJvm() {
        assertSameText("FeatureProbe.report()", FeatureProbe.report(), result("main.features"));
    }

    @Test
    void edgeProbesRanAndArePrinted() {
        StringBuilder sb = new StringBuilder("TeaVM edge probes (known differences / traps; see TEAVM-NOTES.md):\n");
        for (String name : FeatureProbe.EDGE_PROBES) {
            String key = "edges." + name;
            String browser = results.containsKey(key) ? results.get(key)
                    : "TRAP " + firstLine(result(key + ".error"));
            sb.append(String.format("  %-26s JVM: %s%n  %-26s WasmGC: %s%n", name, FeatureProbe.edge(name), "", browser));
        }
        System.out.print(sb);
    }

    @Test
    void browserRandomDrawsFromWebCrypto() {
        String a = result("main.random1");
        String b = result("main.random2");
        assertTrue(a.matches("ok:[0-9a-f]{128}"), "unexpected BrowserRandom output: " + a);
        assertTrue(b.matches("ok:[0-9a-f]{128}"), "unexpected BrowserRandom output: " + b);
        assertNotEquals(a, b, "two draws of 64 bytes were equal");
        assertFalse(a.equals("ok:" + "0".repeat(128)), "BrowserRandom returned zeros");
        String big = result("main.random100k");
        assertTrue(big.matches("ok:[0-9a-f]{200000}"), "a 100,000-byte draw (more than one getRandomValues call) failed");
    }

    @Test
    void browserRandomFailsClosedWithoutWebCrypto() {
        String r = result("nocrypto.random1");
        assertTrue(r.startsWith("fail-closed:") && r.contains("getRandomValues"),
                "BrowserRandom did not fail closed without globalThis.crypto: " + r);
        // Code that uses BrowserRandom without catching gets the exception, never bytes from a weaker source.
        assertFalse(results.containsKey("nocrypto.modPowRandom"), "drew randomness without crypto");
        assertTrue(result("nocrypto.modPowRandom.error").contains("no secure randomness"),
                "unexpected error: " + result("nocrypto.modPowRandom.error"));
    }

    @Test
    void bigIntModPowMatchesJvmBigIntegerOnReproducibleCases() {
        for (int[] size : MODPOW_SIZES) {
            String id = "modpow-" + size[0] + "-" + size[1];
            String expected = ModPowCases.report(ModPow.JAVA, "fixed", size[2], size[0], size[1]);
            assertSameText("BigIntModPow, " + size[0] + "-bit moduli", expected, result("main." + id));
        }
    }

    @Test
    void bigIntModPowMatchesJvmBigIntegerOnFreshRandomCases() {
        for (int[] size : MODPOW_RANDOM_SIZES) {
            String out = result("main.modpow-random-" + size[0]);
            int nl = out.indexOf('\n');
            String label = out.substring(0, nl);
            String expected = ModPowCases.report(ModPow.JAVA, label, size[2], size[0], size[1]);
            assertSameText("BigIntModPow, fresh cases " + label + ", " + size[0] + "-bit moduli", expected,
                    out.substring(nl + 1));
        }
    }

    @Test
    void teavmBigIntegerModPowAgainstJvmIsPrinted() {
        String expected = ModPowCases.report(ModPow.JAVA, "fixed", 30, 256, 256);
        String teavm = results.getOrDefault("main.modpow-teavm-256",
                "TRAP " + firstLine(results.getOrDefault("main.modpow-teavm-256.error", "?")));
        System.out.println("TeaVM BigInteger.modPow (odd and even 256-bit moduli) "
                + (expected.equals(teavm) ? "matches the JVM" : "DIFFERS from the JVM:\n" + diff(expected, teavm)));
        for (String key : List.of("main.timing-java-2048", "main.timing-bigint-2048", "main.timing-bigint-4096")) {
            System.out.println("timing: " + results.getOrDefault(key, results.get(key + ".error")));
        }
    }

    // ---- the browser run --------------------------------------------------------------------------------------------

    private static String plan(BrowserHarness h, String page) {
        List<String> main = new ArrayList<>();
        main.add(call("parity-bigint", "parityReportBigInt"));
        main.add(call("features", "featureReport"));
        main.add(call("random1", "randomProbe", 64));
        main.add(call("random2", "randomProbe", 64));
        main.add(call("random100k", "randomProbe", 100_000));
        for (int[] size : MODPOW_SIZES) {
            main.add(call("modpow-" + size[0] + "-" + size[1], "modPowCases", "bigint", "fixed", size[2], size[0],
                    size[1]));
        }
        for (int[] size : MODPOW_RANDOM_SIZES) {
            main.add(call("modpow-random-" + size[0], "modPowRandomCases", size[2], size[0], size[1]));
        }
        main.add(call("modpow-teavm-256", "modPowCases", "java", "fixed", 30, 256, 256));
        main.add(call("timing-java-2048", "modPowTiming", "java", 3, 2048, 2048));
        main.add(call("timing-bigint-2048", "modPowTiming", "bigint", 5, 2048, 2048));
        main.add(call("timing-bigint-4096", "modPowTiming", "bigint", 3, 4096, 2048));
        List<String> noCrypto = List.of(call("random1", "randomProbe", 32),
                call("modPowRandom", "modPowRandomCases", 1, 64, 64));
        List<String> edges = new ArrayList<>();
        for (String name : FeatureProbe.EDGE_PROBES) {
            edges.add(call(name, "edgeProbe", name));
        }
        return h.plan(180_000, visit("main", page, false, main), visit("nocrypto", page, true, noCrypto),
                visit("edges", page + "?noreport", false, edges));
    }

    // ---- comparison -------------------------------------------------------------------------------------------------

    private static String result(String key) {
        String v = results.get(key);
        if (v == null) {
            String err = results.get(key + ".error");
            fail("the browser produced no " + key + (err != null ? "; it failed with: " + err : "")
                    + (results.containsKey(key.substring(0, key.indexOf('.')) + ".error")
                            ? "; page error: " + results.get(key.substring(0, key.indexOf('.')) + ".error") : ""));
        }
        return v;
    }

    private static void assertSameText(String what, String jvm, String browser) {
        if (!jvm.equals(browser)) {
            fail(what + ": the WasmGC build differs from the JVM\n" + diff(jvm, browser));
        }
        assertEquals(jvm, browser);
    }

    static String diff(String jvm, String browser) {
        return BrowserHarness.diff(jvm, browser);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
