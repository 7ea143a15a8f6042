package org.mpcwallet.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        Path repoRoot = repoRoot();
        Path webDir = webDir(repoRoot);
        Path toolsDir = repoRoot.resolve(".tools/node_modules");
        Path script = repoRoot.resolve("client-web/src/test/js/run-page.mjs");
        Path chromium = Path.of(envOr("MPC_CHROMIUM", "/usr/bin/chromium"));
        String node = envOr("MPC_NODE", "node");

        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(webDir.resolve("parity.html")) || !Files.isRegularFile(webDir.resolve("teavm/parity.wasm"))
                || !Files.isRegularFile(webDir.resolve("teavm/teavm-runtime.js"))) {
            problems.add("TeaVM output missing in " + webDir + " (parity.html, teavm/parity.wasm, teavm/teavm-runtime.js);"
                    + " build with ./mvnw -B -ntp verify -pl shared-crypto,client-web");
        }
        if (!Files.isExecutable(chromium)) {
            problems.add("Chromium not found at " + chromium + " (apt-get install chromium, or set MPC_CHROMIUM)");
        }
        if (!Files.isDirectory(toolsDir.resolve("playwright-core"))) {
            problems.add("playwright-core missing in " + toolsDir + " (run scripts/tools)");
        }
        if (!Files.isRegularFile(script)) {
            problems.add("page driver missing: " + script);
        }
        String nodeVersion = nodeVersion(node);
        if (nodeVersion == null) {
            problems.add("node not runnable as '" + node + "' (install Node.js, or set MPC_NODE)");
        }
        if (!problems.isEmpty()) {
            fail("browser parity gate cannot run (it never skips):\n  - " + String.join("\n  - ", problems));
        }

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> serve(webDir, exchange));
        server.start();
        String page = "http://127.0.0.1:" + server.getAddress().getPort() + "/parity.html";

        Path plan = Files.createTempFile("parity-plan", ".json");
        try {
            Files.writeString(plan, plan(page, toolsDir, chromium));
            long t0 = System.nanoTime();
            results = runNode(node, script, plan);
            System.out.printf("browser run: %d ms (node %s, %s)%n", (System.nanoTime() - t0) / 1_000_000, nodeVersion,
                    chromium);
        } finally {
            Files.deleteIfExists(plan);
        }
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

    private static String plan(String page, Path toolsDir, Path chromium) {
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
        return "{\"toolsDir\":" + json(toolsDir.toString()) + ",\"chromium\":" + json(chromium.toString())
                + ",\"timeoutMs\":180000,\"visits\":["
                + visit("main", page, false, main) + ","
                + visit("nocrypto", page, true, noCrypto) + ","
                + visit("edges", page + "?noreport", false, edges) + "]}";
    }

    private static String visit(String id, String url, boolean removeCrypto, List<String> calls) {
        return "{\"id\":" + json(id) + ",\"url\":" + json(url) + ",\"removeCrypto\":" + removeCrypto + ",\"calls\":["
                + String.join(",", calls) + "]}";
    }

    private static String call(String id, String fn, Object... args) {
        StringBuilder sb = new StringBuilder("{\"id\":" + json(id) + ",\"fn\":" + json(fn) + ",\"args\":[");
        for (int i = 0; i < args.length; i++) {
            sb.append(i == 0 ? "" : ",").append(args[i] instanceof String s ? json(s) : String.valueOf(args[i]));
        }
        return sb.append("]}").toString();
    }

    private static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static Map<String, String> runNode(String node, Path script, Path plan) throws Exception {
        Path stdout = Files.createTempFile("parity-stdout", ".txt");
        Path stderr = Files.createTempFile("parity-stderr", ".txt");
        try {
            Process p = new ProcessBuilder(node, script.toString(), plan.toString())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("run-page.mjs did not finish within 300 s; its stderr:\n" + Files.readString(stderr));
            }
            String err = Files.readString(stderr);
            if (!err.isBlank()) {
                System.out.print("run-page.mjs stderr:\n" + err);
            }
            if (p.exitValue() != 0) {
                fail("run-page.mjs exited with " + p.exitValue() + ":\n" + err);
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
                int sp = line.indexOf(' ');
                if (sp <= 0) {
                    fail("unexpected output line from run-page.mjs: " + line);
                }
                out.put(line.substring(0, sp),
                        new String(Base64.getDecoder().decode(line.substring(sp + 1)), StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static String nodeVersion(String node) {
        try {
            Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? v : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static void serve(Path root, HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = URI.create(exchange.getRequestURI().getRawPath()).getPath();
            Path file = root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
            if (!"GET".equals(exchange.getRequestMethod()) || !file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", contentType(file.getFileName().toString()));
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    static String contentType(String name) {
        if (name.endsWith(".wasm")) {
            return "application/wasm";
        } else if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (name.endsWith(".js") || name.endsWith(".mjs")) {
            return "text/javascript; charset=utf-8";
        }
        return "application/octet-stream";
    }

    // ---- locations --------------------------------------------------------------------------------------------------

    private static Path repoRoot() {
        String env = System.getenv("MPC_REPO_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("client-web"))) {
                return p;
            }
        }
        fail("cannot find the repository root: set MPC_REPO_ROOT");
        return null;
    }

    private static Path webDir(Path repoRoot) {
        String prop = System.getProperty("parity.webDir");
        return (prop != null && !prop.isBlank() ? Path.of(prop) : repoRoot.resolve("client-web/target/web"))
                .toAbsolutePath().normalize();
    }

    private static String envOr(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
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
        String[] a = jvm.split("\n", -1);
        String[] b = browser.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.max(a.length, b.length) && shown < 40; i++) {
            String x = i < a.length ? a[i] : "<no line>";
            String y = i < b.length ? b[i] : "<no line>";
            if (!x.equals(y)) {
                sb.append("  line ").append(i + 1).append(":\n    jvm:     ").append(x).append("\n    browser: ")
                        .append(y).append('\n');
                shown++;
            }
        }
        int at = 0;
        while (at < Math.min(jvm.length(), browser.length()) && jvm.charAt(at) == browser.charAt(at)) {
            at++;
        }
        return sb.append("  (").append(a.length).append(" vs ").append(b.length)
                .append(" lines; first difference at char ").append(at).append(')').toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
