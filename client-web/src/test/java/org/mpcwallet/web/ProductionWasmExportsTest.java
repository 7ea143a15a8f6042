package org.mpcwallet.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 6: the production browser module {@code teavm/p2.wasm} exports what a wallet page needs and no test
 * hook (no benchmark, no sealing with a caller's salt and nonce, no argument probe, no parity entry). Reads the
 * module's export section from the file TeaVM wrote. Also: the production classes carry no test support.
 */
class ProductionWasmExportsTest {
    /** The module's own exports (TeaVM's runtime exports are named {@code teavm...}). */
    static final Set<String> PRODUCTION = Set.of("main", "vaultOpen", "vaultSeal", "vaultInspect", "deviceSetup",
            "keygenBegin", "cosignReview", "cosignBegin", "presignBegin", "refreshBegin", "shareCheck", "shareReseal", "shareRecover",
            "addressQr", "sessionFrame",
            "sessionAbandon");
    static final Set<String> TEST_HOOKS = Set.of("benchRun", "vaultArgumentProbe", "vaultOpenOutsideThread",
            "parityReport", "featureProbe");

    @Test
    void theProductionModuleExportsNoTestHook() throws IOException {
        Set<String> own = ownExports(wasm("p2.wasm"));
        assertEquals(new TreeSet<>(PRODUCTION), own, "p2.wasm's exports (a new export must be added here knowingly)");
        for (String hook : TEST_HOOKS) {
            assertFalse(own.contains(hook), hook);
        }
    }

    @Test
    void theTestModuleHasTheHooksSoTheCheckAboveCanFail() throws IOException {
        Set<String> own = ownExports(wasm("p2-test.wasm"));
        assertTrue(own.containsAll(Set.of("benchRun", "vaultArgumentProbe", "vaultOpenOutsideThread", "vaultSeal")),
                "p2-test.wasm exports " + own);
    }

    @Test
    void productionClassesCarryNoTestSupport() {
        Path classes = Path.of(System.getProperty("parity.webDir", "target/web")).getParent().resolve("classes");
        for (String c : List.of("org/mpcwallet/web/vault/FixedDraws.class", "org/mpcwallet/web/bench",
                "org/mpcwallet/web/parity", "org/mpcwallet/web/p2/P2TestMain.class")) {
            assertFalse(Files.exists(classes.resolve(c)), c + " is in client-web's production classes");
        }
        for (String c : List.of("org.mpcwallet.crypto.core.DeterministicRandom",
                "org.mpcwallet.crypto.parity.ParityRunner", "org.mpcwallet.crypto.parity.InProcessRun",
                "org.mpcwallet.crypto.parity.TestRingPedersen")) {
            String resource = c.replace('.', '/') + ".class";
            java.net.URL where = getClass().getClassLoader().getResource(resource);
            assertTrue(where != null, c + " is on the test class path");
            assertTrue(where.toString().contains("tests") || where.toString().contains("test-classes"),
                    c + " comes from shared-crypto's test jar, not its production jar: " + where);
        }
    }

    private static byte[] wasm(String name) throws IOException {
        Path web = Path.of(System.getProperty("parity.webDir", "target/web"));
        Path f = web.resolve("teavm").resolve(name);
        if (!Files.isRegularFile(f)) {
            fail("TeaVM output missing: " + f + " (built in process-test-classes; never skipped)");
        }
        return Files.readAllBytes(f);
    }

    /** Export names of a WebAssembly binary (section 7), without TeaVM's runtime exports. */
    static Set<String> ownExports(byte[] b) {
        if (b.length < 8 || b[0] != 0 || b[1] != 'a' || b[2] != 's' || b[3] != 'm') {
            throw new AssertionError("not a WebAssembly module");
        }
        int[] pos = {8};
        List<String> names = new ArrayList<>();
        while (pos[0] < b.length) {
            int id = b[pos[0]++] & 0xff;
            int size = (int) leb(b, pos);
            int end = pos[0] + size;
            if (id == 7) {
                long n = leb(b, pos);
                for (long i = 0; i < n; i++) {
                    int len = (int) leb(b, pos);
                    names.add(new String(b, pos[0], len, java.nio.charset.StandardCharsets.UTF_8));
                    pos[0] += len + 1; // name, then the export kind byte
                    leb(b, pos); // index
                }
            }
            pos[0] = end;
        }
        Set<String> own = new TreeSet<>();
        for (String n : names) {
            if (!n.startsWith("teavm")) {
                own.add(n);
            }
        }
        return own;
    }

    private static long leb(byte[] b, int[] pos) {
        long result = 0;
        int shift = 0;
        while (true) {
            int x = b[pos[0]++] & 0xff;
            result |= (long) (x & 0x7f) << shift;
            shift += 7;
            if (x < 0x80) {
                return result;
            }
        }
    }
}
