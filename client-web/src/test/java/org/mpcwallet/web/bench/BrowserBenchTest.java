package org.mpcwallet.web.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.ModPow;

/** {@link BrowserBench} on the JVM: the line format, the hand-made two-decimal formatting and the percentiles. */
class BrowserBenchTest {
    static final Pattern LINE = Pattern.compile(
            "bench op=(web_ring_pedersen_verify_p2|web_keygen_p2|web_sign_p2|web_presign_p2|web_sign_online_p2|web_device_setup_p2) p50_ms=(\\d+\\.\\d\\d) "
                    + "p99_ms=(\\d+\\.\\d\\d) bytes=([1-9]\\d*) n=([1-9]\\d*)");

    @Test
    void fmt2FormatsTwoDecimals() {
        assertEquals("0.00", BrowserBench.fmt2(0));
        assertEquals("0.00", BrowserBench.fmt2(-0.0));
        assertEquals("0.00", BrowserBench.fmt2(0.004));
        assertEquals("0.01", BrowserBench.fmt2(0.006));
        assertEquals("0.10", BrowserBench.fmt2(0.1));
        assertEquals("1.50", BrowserBench.fmt2(1.5));
        assertEquals("61.80", BrowserBench.fmt2(61.8));
        assertEquals("1219.00", BrowserBench.fmt2(1219));
        assertEquals("99.99", BrowserBench.fmt2(99.994));
        assertEquals("100.00", BrowserBench.fmt2(99.996));
        assertEquals("-2.25", BrowserBench.fmt2(-2.25));
        assertEquals("123456789.50", BrowserBench.fmt2(123456789.5));
        assertThrows(IllegalArgumentException.class, () -> BrowserBench.fmt2(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> BrowserBench.fmt2(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> BrowserBench.fmt2(1e15));
    }

    @Test
    void fmt2AgreesWithStringFormatOnTimerValues() {
        // performance.now() is coarsened to 0.1 ms (5 us when cross-origin isolated): sums of such values.
        SecureRandom rnd = new SecureRandom();
        for (int i = 0; i < 20_000; i++) {
            double v = rnd.nextInt(10_000_000) / 10.0 + rnd.nextInt(200) * 0.005;
            String mine = BrowserBench.fmt2(v);
            String jdk = String.format(Locale.ROOT, "%.2f", v);
            if (!mine.equals(jdk)) {
                // Only a tie the binary double resolves differently may differ, by one hundredth.
                assertTrue(Math.abs(Double.parseDouble(mine) - Double.parseDouble(jdk)) < 0.0100001,
                        v + ": " + mine + " vs " + jdk);
            }
        }
    }

    @Test
    void percentilesAreThoseOfTheJvmBench() {
        double[] s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, BrowserBench.pct(s, 0.50));
        assertEquals(10, BrowserBench.pct(s, 0.99));
        assertEquals(7, BrowserBench.pct(new double[] {7}, 0.5));
        assertEquals(7, BrowserBench.pct(new double[] {7}, 0.99));
        assertEquals(1, BrowserBench.pct(new double[] {1, 2}, 0.5));
    }

    @Test
    void planRejectsEmptyRuns() {
        assertThrows(IllegalArgumentException.class, () -> new BrowserBench.Plan(0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BrowserBench.Plan(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BrowserBench.Plan(1, -1, 1, 0));
    }

    @Test
    void runOnTheJvmPrintsOneLinePerOperation() {
        SecureRandom rnd = new SecureRandom();
        List<String> lines = BrowserBench.run(new BrowserBench.Plan(1, 0, 2, 1), rnd::nextBytes, ModPow.JAVA,
                () -> System.nanoTime() / 1e6);
        assertEquals(BrowserBench.OPS.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINE.matcher(lines.get(i));
            assertTrue(m.matches(), "bad line: " + lines.get(i));
            assertEquals(BrowserBench.OPS.get(i), m.group(1));
            assertEquals(i <= 1 ? "1" : "2", m.group(5), lines.get(i)); // the one-time check and keygen: n = 1
            assertTrue(Double.parseDouble(m.group(2)) <= Double.parseDouble(m.group(3)), lines.get(i));
        }
    }

    /** The device's one-time setup (safe primes + Π^prm), as the bench page times it in Chromium. */
    @Test
    void setupOnTheJvmPrintsItsLine() {
        SecureRandom rnd = new SecureRandom();
        String line = BrowserBench.setup(1, rnd::nextBytes, ModPow.JAVA, () -> System.nanoTime() / 1e6);
        Matcher m = LINE.matcher(line);
        assertTrue(m.matches(), "bad line: " + line);
        assertEquals("web_device_setup_p2", m.group(1));
        assertEquals("1", m.group(5));
        assertTrue(Double.parseDouble(m.group(2)) > 0, line);
    }
}
