package org.mpcwallet.web;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mpcwallet.crypto.channel.Json;

/**
 * One headless Debian Chromium driven step by step from a Java test ({@code src/test/js/page-driver.mjs} through
 * playwright-core): a test acts in the page, then on the bank or the chain, then in the page again. Commands and
 * answers are JSON lines; a failed command fails the test with the driver's message. The browser's console and
 * page errors go to {@code <screenshots>/driver.log}; screenshots go to {@code target/screenshots/<name>/}.
 */
public final class PageDriver implements AutoCloseable {
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final Path shots;
    private int shotCount;

    private PageDriver(Process process, Path shots) {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.shots = shots;
    }

    /** Starts Chromium; screenshots of this driver go to {@code screenshotDir}. */
    public static PageDriver start(BrowserHarness h, Path screenshotDir) throws IOException {
        Files.createDirectories(screenshotDir);
        Path driver = h.repoRoot.resolve("client-web/src/test/js/page-driver.mjs");
        Process p = new ProcessBuilder(h.node, driver.toString(), h.toolsDir.toString(), h.chromium.toString())
                .redirectError(screenshotDir.resolve("driver.log").toFile()).start();
        return new PageDriver(p, screenshotDir);
    }

    /** Sends one command (a JSON object's members as alternating keys and values) and returns the answer's value. */
    public synchronized Json.Value call(Object... kv) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append(BrowserHarness.json((String) kv[i])).append(':');
            Object v = kv[i + 1];
            sb.append(v instanceof String s ? BrowserHarness.json(s) : v instanceof Json.Value j ? Json.write(j)
                    : String.valueOf(v));
        }
        sb.append('}');
        try {
            in.write(sb.toString());
            in.write('\n');
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new AssertionError("the page driver stopped (see " + shots.resolve("driver.log") + ")");
            }
            Json.Parsed parsed = Json.parse(line);
            if (!(parsed instanceof Json.Parsed.Ok ok) || !(ok.value() instanceof Json.Obj o)) {
                throw new AssertionError("the page driver answered " + line);
            }
            if (o.members().get("ok") instanceof Json.Bool b && b.value()) {
                return o.members().get("value");
            }
            String error = string(o.members().get("error"));
            if (!"screenshot".equals(kv[1]) && !"close".equals(kv[1])) {
                failureShot();
            }
            throw new AssertionError(kv[1] + " failed: " + error);
        } catch (IOException e) {
            throw new AssertionError("the page driver is gone: " + e.getMessage(), e);
        }
    }

    public void go(String url) {
        call("cmd", "goto", "url", url);
    }

    public void reload() {
        call("cmd", "reload");
    }

    public void click(String sel) {
        call("cmd", "click", "sel", sel);
    }

    public void fill(String sel, String value) {
        call("cmd", "fill", "sel", sel, "value", value);
    }

    public void select(String sel, String value) {
        call("cmd", "select", "sel", sel, "value", value);
    }

    public void press(String sel, String key) {
        call("cmd", "press", "sel", sel, "key", key);
    }

    public String text(String sel) {
        return string(call("cmd", "text", "sel", sel));
    }

    public int count(String sel) {
        return Integer.parseInt(((Json.Num) call("cmd", "count", "sel", sel)).text());
    }

    public String attr(String sel, String name) {
        return string(call("cmd", "attr", "sel", sel, "name", name));
    }

    /** Waits until {@code sel}'s text contains {@code text}; returns the whole text. */
    public String waitText(String sel, String text, int seconds) {
        return string(call("cmd", "waitText", "sel", sel, "text", text, "timeoutMs", seconds * 1000));
    }

    public void waitVisible(String sel, int seconds) {
        call("cmd", "waitVisible", "sel", sel, "timeoutMs", seconds * 1000);
    }

    public void waitHidden(String sel, int seconds) {
        call("cmd", "waitHidden", "sel", sel, "timeoutMs", seconds * 1000);
    }

    /** Evaluates a JavaScript expression in the page (a promise is awaited). */
    public Json.Value eval(String js) {
        return call("cmd", "eval", "js", js);
    }

    /** An expression evaluated in the page's wallet worker (worker.js); promises are awaited. */
    public Json.Value workerEval(String js) {
        return call("cmd", "workerEval", "js", js);
    }

    /** A DevTools protocol command on the page's target; {@code paramsJson} a JSON object. */
    public Json.Value cdp(String method, String paramsJson) {
        Json.Parsed p = Json.parse(paramsJson);
        return call("cmd", "cdp", "method", method, "params", ((Json.Parsed.Ok) p).value());
    }

    /** Clicks {@code sel} and saves the download to {@code path}; returns the suggested file name. */
    public String download(String sel, Path path) {
        return string(call("cmd", "download", "sel", sel, "path", path.toAbsolutePath().toString()));
    }

    public void upload(String sel, Path path) {
        call("cmd", "upload", "sel", sel, "path", path.toAbsolutePath().toString());
    }

    /** The page's main-thread heap as a DevTools heap snapshot file. */
    public Path heapSnapshot(Path path) {
        call("cmd", "heapSnapshot", "path", path.toAbsolutePath().toString());
        return path;
    }

    /** Response headers of the last response for {@code url} (lower-case names), or an empty map. */
    public Map<String, Json.Value> responseHeaders(String url) {
        Json.Value v = call("cmd", "responseHeaders", "url", url);
        return v instanceof Json.Obj o ? o.members() : Map.of();
    }

    /** Console messages and page errors so far. */
    public List<String> log() {
        Json.Value v = call("cmd", "log");
        return v instanceof Json.Arr a ? a.items().stream().map(PageDriver::string).toList() : List.of();
    }

    /** A full-page screenshot {@code NN-name.png}; returns its path. */
    public Path shot(String name) {
        Path p = shots.resolve(String.format("%02d-%s.png", ++shotCount, name));
        call("cmd", "screenshot", "path", p.toAbsolutePath().toString());
        return p;
    }

    /**
     * A platform passkey for the page (the DevTools protocol's virtual authenticator): user verification always
     * passes, presence is simulated, so a passkey ceremony completes without a prompt.
     */
    public void addVirtualPasskey() {
        cdp("WebAuthn.enable", "{\"enableUI\":false}");
        cdp("WebAuthn.addVirtualAuthenticator", "{\"options\":{\"protocol\":\"ctap2\",\"transport\":\"internal\","
                + "\"hasResidentKey\":true,\"hasUserVerification\":true,\"isUserVerified\":true,"
                + "\"automaticPresenceSimulation\":true}}");
    }

    /** A screenshot of what the window shows (a long page's first screen) {@code NN-name.png}; returns its path. */
    public Path viewportShot(String name) {
        Path p = shots.resolve(String.format("%02d-%s.png", ++shotCount, name));
        call("cmd", "screenshot", "path", p.toAbsolutePath().toString(), "viewport", true);
        return p;
    }

    private int failures;

    /** A screenshot of the page as it was when a command failed ({@code failure-N.png}), if the browser still answers. */
    private void failureShot() {
        try {
            Path p = shots.resolve("failure-" + (++failures) + ".png");
            in.write("{\"cmd\":\"screenshot\",\"path\":" + BrowserHarness.json(p.toAbsolutePath().toString()) + "}\n");
            in.flush();
            out.readLine();
        } catch (IOException ignored) {
            // the browser is gone; the failure itself says what happened
        }
    }

    public static String string(Json.Value v) {
        if (v == null || v instanceof Json.Null) {
            return null;
        }
        if (v instanceof Json.Str s) {
            return s.value();
        }
        if (v instanceof Json.Num n) {
            return n.text();
        }
        if (v instanceof Json.Bool b) {
            return Boolean.toString(b.value());
        }
        return Json.write(v);
    }

    @Override
    public void close() {
        try {
            call("cmd", "close");
        } catch (AssertionError ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
