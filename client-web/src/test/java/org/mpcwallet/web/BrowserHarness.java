package org.mpcwallet.web;

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

/**
 * What the browser tests share: where things are (repository root, client-web's {@code target/web}, Chromium, node,
 * playwright-core), the check that all of them are present (a failure listing what to install, never a skip), a
 * static HTTP server for {@code target/web} on 127.0.0.1, and running {@code src/test/js/run-page.mjs} on a plan.
 * Environment: {@code MPC_REPO_ROOT} (surefire sets it), {@code MPC_CHROMIUM}, {@code MPC_NODE}.
 */
public final class BrowserHarness {
    public final Path repoRoot;
    public final Path webDir;
    public final Path toolsDir;
    public final Path chromium;
    public final String node;
    public final Path runPage;
    private String nodeVersion;

    private BrowserHarness() {
        repoRoot = repoRoot();
        String prop = System.getProperty("parity.webDir");
        webDir = (prop != null && !prop.isBlank() ? Path.of(prop) : repoRoot.resolve("client-web/target/web"))
                .toAbsolutePath().normalize();
        toolsDir = repoRoot.resolve(".tools/node_modules");
        chromium = Path.of(envOr("MPC_CHROMIUM", "/usr/bin/chromium"));
        node = envOr("MPC_NODE", "node");
        runPage = repoRoot.resolve("client-web/src/test/js/run-page.mjs");
    }

    /**
     * The harness, after checking that the browser tooling and the given files (relative to {@code target/web}, and
     * relative to the repository root) exist; fails the calling test with everything that is missing.
     */
    public static BrowserHarness require(String what, List<String> webFiles, String... repoFiles) {
        BrowserHarness h = new BrowserHarness();
        List<String> problems = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String f : webFiles) {
            if (!Files.isRegularFile(h.webDir.resolve(f))) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            problems.add("TeaVM output missing in " + h.webDir + " (" + String.join(", ", missing) + ");"
                    + " build with ./mvnw -B -ntp verify -pl shared-crypto,client-web");
        }
        if (!Files.isExecutable(h.chromium)) {
            problems.add("Chromium not found at " + h.chromium + " (apt-get install chromium, or set MPC_CHROMIUM)");
        }
        if (!Files.isDirectory(h.toolsDir.resolve("playwright-core"))) {
            problems.add("playwright-core missing in " + h.toolsDir + " (run scripts/tools)");
        }
        for (String f : repoFiles) {
            Path p = h.repoRoot.resolve(f);
            if (!Files.isRegularFile(p)) {
                problems.add("missing: " + p);
            }
        }
        h.nodeVersion = nodeVersion(h.node);
        if (h.nodeVersion == null) {
            problems.add("node not runnable as '" + h.node + "' (install Node.js, or set MPC_NODE)");
        }
        if (!problems.isEmpty()) {
            fail(what + " cannot run (it never skips):\n  - " + String.join("\n  - ", problems));
        }
        return h;
    }

    public String nodeVersion() {
        return nodeVersion;
    }

    /** Serves {@link #webDir} on 127.0.0.1 (free port); stop it when done. */
    public HttpServer startServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> serve(webDir, exchange));
        server.start();
        return server;
    }

    public static String baseUrl(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Runs run-page.mjs on the plan (JSON text) and returns its results, key to decoded value. */
    public Map<String, String> runPlan(String planJson, int timeoutSeconds) throws Exception {
        Path plan = Files.createTempFile("page-plan", ".json");
        try {
            Files.writeString(plan, planJson, StandardCharsets.UTF_8);
            Output o = run(List.of(node, runPage.toString(), plan.toString()), timeoutSeconds, "run-page.mjs");
            if (!o.stderr.isBlank()) {
                System.out.print("run-page.mjs stderr:\n" + o.stderr);
            }
            if (o.exitCode != 0) {
                fail("run-page.mjs exited with " + o.exitCode + ":\n" + o.stderr);
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : o.stdout.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int sp = line.indexOf(' ');
                if (sp <= 0) {
                    fail("unexpected output line from run-page.mjs: " + line);
                }
                out.put(line.substring(0, sp),
                        new String(Base64.getDecoder().decode(line.substring(sp + 1)), StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            Files.deleteIfExists(plan);
        }
    }

    /** A finished process. */
    public record Output(int exitCode, String stdout, String stderr) {}

    /** Runs a command (stdout and stderr to temporary files); fails the test if it does not end in time. */
    public static Output run(List<String> command, int timeoutSeconds, String what) throws Exception {
        return run(command, Map.of(), timeoutSeconds, what);
    }

    /** {@link #run(List, int, String)} with extra environment variables. */
    public static Output run(List<String> command, Map<String, String> env, int timeoutSeconds, String what)
            throws Exception {
        Path stdout = Files.createTempFile("browser-stdout", ".txt");
        Path stderr = Files.createTempFile("browser-stderr", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(what + " did not finish within " + timeoutSeconds + " s; its stderr:\n"
                        + Files.readString(stderr));
            }
            return new Output(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    // ---- plan JSON ----------------------------------------------------------------------------------------------

    public String plan(int timeoutMs, String... visits) {
        return "{\"toolsDir\":" + json(toolsDir.toString()) + ",\"chromium\":" + json(chromium.toString())
                + ",\"timeoutMs\":" + timeoutMs + ",\"visits\":[" + String.join(",", visits) + "]}";
    }

    public static String visit(String id, String url, boolean removeCrypto, List<String> calls) {
        return "{\"id\":" + json(id) + ",\"url\":" + json(url) + ",\"removeCrypto\":" + removeCrypto + ",\"calls\":["
                + String.join(",", calls) + "]}";
    }

    public static String call(String id, String fn, Object... args) {
        StringBuilder sb = new StringBuilder("{\"id\":" + json(id) + ",\"fn\":" + json(fn) + ",\"args\":[");
        for (int i = 0; i < args.length; i++) {
            sb.append(i == 0 ? "" : ",").append(args[i] instanceof String s ? json(s) : String.valueOf(args[i]));
        }
        return sb.append("]}").toString();
    }

    /** A JSON string; everything outside printable ASCII as a {@code \\uXXXX} escape (surrogates included). */
    public static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    // ---- serving ----------------------------------------------------------------------------------------------------

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
        } else if (name.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }

    // ---- locations --------------------------------------------------------------------------------------------------

    /** The repository root, for tests that read shared files (vectors) without a browser. */
    public static Path repoRootForTests() {
        return repoRoot();
    }

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

    private static String envOr(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
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

    // ---- comparison -------------------------------------------------------------------------------------------------

    /** A line diff for failure messages. */
    public static String diff(String jvm, String browser) {
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
}
