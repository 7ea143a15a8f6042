package org.mpcwallet.web.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mpcwallet.web.BrowserHarness;

/**
 * Keeps the browser benchmark from rotting: runs {@code client-web/scripts/bench-browser --no-build} (and so
 * {@code bench-page.mjs}, {@code bench.html} and {@code teavm/p2-test.wasm}) with tiny run counts in headless Chromium
 * and checks that every operation's line is there and well-formed. Chromium, node or playwright-core missing is a
 * failure, never a skip.
 */
class BrowserBenchPageTest {
    private static final Pattern HEADER = Pattern.compile(
            "# browser Chromium \\d+(\\.\\d+)+, WasmGC \\(TeaVM 0\\.15\\), BigInt modPow");

    @Test
    void benchBrowserPrintsEveryOperationWellFormed() throws Exception {
        BrowserHarness h = BrowserHarness.require("browser bench test",
                List.of("bench.html", "teavm/p2-test.wasm", "teavm/teavm-runtime.js"), "client-web/scripts/bench-browser",
                "client-web/scripts/bench-page.mjs");
        Path script = h.repoRoot.resolve("client-web/scripts/bench-browser");
        if (!Files.isExecutable(script)) {
            fail(script + " is not executable (git update-index --chmod=+x)");
        }
        long t0 = System.nanoTime();
        BrowserHarness.Output o = BrowserHarness.run(List.of(script.toString(), "--no-build", "--runs", "1,0,2,0",
                "--setups", "0"),
                Map.of("MPC_WEB_DIR", h.webDir.toString(), "MPC_CHROMIUM", h.chromium.toString(), "MPC_NODE", h.node),
                300, "bench-browser");
        System.out.printf("bench-browser --runs 1,0,2,0 --setups 0: %d ms%n%s%s", (System.nanoTime() - t0) / 1_000_000,
                o.stdout(), o.stderr());
        if (o.exitCode() != 0) {
            fail("bench-browser exited with " + o.exitCode() + ":\n" + o.stderr());
        }
        String[] lines = o.stdout().split("\n");
        assertEquals(1 + BrowserBench.OPS.size(), lines.length, "unexpected output:\n" + o.stdout());
        assertTrue(HEADER.matcher(lines[0]).matches(), "bad header line: " + lines[0]);
        for (int i = 0; i < BrowserBench.OPS.size(); i++) {
            String line = lines[i + 1];
            Matcher m = BrowserBenchTest.LINE.matcher(line);
            assertTrue(m.matches(), "bad bench line: " + line);
            assertEquals(BrowserBench.OPS.get(i), m.group(1), line);
            assertEquals(i <= 1 ? "1" : "2", m.group(5), "runs of " + line); // the one-time check and keygen: 1 run
            double p50 = Double.parseDouble(m.group(2));
            double p99 = Double.parseDouble(m.group(3));
            assertTrue(p50 <= p99, "p50 > p99: " + line);
            // The online step is a few hundred microseconds; every other step does real work.
            assertTrue(BrowserBench.OPS.get(i).equals("web_sign_online_p2") || p50 > 0, "no time measured: " + line);
        }
    }
}
