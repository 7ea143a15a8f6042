package org.mpcwallet.web.parity;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.parity.ParityRunner;
import org.mpcwallet.web.BigIntModPow;
import org.mpcwallet.web.BrowserCrypto;
import org.mpcwallet.web.BrowserRandom;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSExport;

/**
 * Entry point of the parity page ({@code parity.html}, compiled to {@code teavm/parity.wasm}). {@code main} checks
 * for the browser's randomness ({@link BrowserCrypto#requireWebCrypto()}, failing closed without Web Crypto), computes
 * {@link ParityRunner#report()} and publishes it as {@code globalThis.__parityReport} and in {@code <pre id=report>}
 * (or the failure as {@code globalThis.__parityError}). The exported functions let the browser test run the rest
 * of the gate: the report with the BigInt bridge, the feature probe, the browser randomness and the bridge itself.
 */
public final class ParityMain {
    private ParityMain() {}

    public static void main(String[] args) {
        String report;
        try {
            BrowserCrypto.requireWebCrypto();
            report = ParityRunner.report();
        } catch (Throwable t) {
            publishError(t.getClass().getName() + ": " + t.getMessage());
            return;
        }
        publishReport(report);
    }

    /** The report with modular exponentiation on the engine's BigInt (the browser's production configuration). */
    @JSExport
    public static String parityReportBigInt() {
        return ParityRunner.report(BigIntModPow.INSTANCE);
    }

    @JSExport
    public static String featureReport() {
        return FeatureProbe.report();
    }

    /** Names of the feature probe's sections, one a line. */
    @JSExport
    public static String featureSectionNames() {
        return String.join("\n", FeatureProbe.SECTIONS);
    }

    @JSExport
    public static String featureSection(String name) {
        StringBuilder sb = new StringBuilder();
        for (String line : FeatureProbe.section(name)) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** Names of the edge probes to run one by one with {@link #edgeProbe}, one a line. */
    @JSExport
    public static String edgeProbeNames() {
        return String.join("\n", FeatureProbe.EDGE_PROBES);
    }

    @JSExport
    public static String edgeProbe(String name) {
        return FeatureProbe.edge(name);
    }

    /**
     * Draws {@code n} bytes from {@link BrowserRandom}: {@code ok:<hex>}, or {@code fail-closed:<message>} when it
     * refuses (no {@code crypto.getRandomValues}).
     */
    @JSExport
    public static String randomProbe(int n) {
        try {
            byte[] out = new byte[n];
            new BrowserRandom().nextBytes(out);
            return "ok:" + Bytes.toHex(out);
        } catch (IllegalStateException e) {
            return "fail-closed:" + e.getMessage();
        }
    }

    /** {@link ModPowCases} on the BigInt bridge ({@code impl = "bigint"}) or TeaVM's BigInteger ({@code "java"}). */
    @JSExport
    public static String modPowCases(String impl, String label, int count, int modBits, int expBits) {
        ModPow modPow = switch (impl) {
            case "bigint" -> BigIntModPow.INSTANCE;
            case "java" -> ModPow.JAVA;
            default -> throw new IllegalArgumentException("unknown modPow implementation " + impl);
        };
        return ModPowCases.report(modPow, label, count, modBits, expBits);
    }

    /**
     * {@link ModPowCases} on the BigInt bridge with a fresh label drawn from {@link BrowserRandom}, so the inputs are
     * new on every run yet reproducible: the first line is the label, the rest the report. The test recomputes the
     * same cases with the JVM's {@code BigInteger.modPow}.
     */
    @JSExport
    public static String modPowRandomCases(int count, int modBits, int expBits) {
        byte[] seed = new byte[16];
        new BrowserRandom().nextBytes(seed);
        String label = "random-" + Bytes.toHex(seed);
        return label + "\n" + ModPowCases.report(BigIntModPow.INSTANCE, label, count, modBits, expBits);
    }

    /** Time of {@code count} modPows with a random {@code modBits}-bit odd modulus and full-size exponent. */
    @JSExport
    public static String modPowTiming(String impl, int count, int modBits, int expBits) {
        ModPow modPow = "bigint".equals(impl) ? BigIntModPow.INSTANCE : ModPow.JAVA;
        DeterministicRandom rnd = DeterministicRandom.fromLabel("timing");
        byte[] buf = new byte[modBits / 8];
        rnd.nextBytes(buf);
        BigInteger m = new BigInteger(1, buf).setBit(modBits - 1).setBit(0);
        byte[] ebuf = new byte[expBits / 8];
        rnd.nextBytes(ebuf);
        BigInteger e = new BigInteger(1, ebuf);
        BigInteger acc = BigInteger.valueOf(3);
        double t0 = now();
        for (int i = 0; i < count; i++) {
            acc = modPow.modPow(acc.add(BigInteger.ONE), e, m);
        }
        double ms = (now() - t0) / count;
        return impl + " " + modBits + "-bit modulus, " + expBits + "-bit exponent: " + Math.round(ms * 10) / 10.0
                + " ms/op (" + acc.bitLength() + ")";
    }

    @JSBody(params = "report", script = "globalThis.__parityReport = report;"
            + " var el = document.getElementById('report'); if (el) { el.textContent = report; }")
    private static native void publishReport(String report);

    @JSBody(params = "error", script = "globalThis.__parityError = error;"
            + " var el = document.getElementById('report'); if (el) { el.textContent = 'ERROR: ' + error; }")
    private static native void publishError(String error);

    @JSBody(script = "return performance.now();")
    private static native double now();
}
