package org.mpcwallet.web.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.parity.InProcessRun;
import org.mpcwallet.crypto.parity.TestRingPedersen;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.crypto.zk.ProofContext;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenCache;
import org.mpcwallet.crypto.zk.VerifiedRingPedersen;

/**
 * The P2 benchmark of the browser build (client-web/scripts/bench-browser, bench.html): both parties run in-process
 * ({@link InProcessRun}) with the given randomness and modPow in the {@link Env} of both, and only P2's computation
 * is timed, through {@link InProcessRun.Observer}. Prints one line per operation in the format of the JVM's
 * {@code Bench}: {@code bench op=<name> p50_ms=<x> p99_ms=<y> bytes=<z> n=<runs>}, for {@code web_keygen_p2},
 * {@code web_sign_p2} (the 4-message signing), {@code web_presign_p2} and {@code web_sign_online_p2}; {@code bytes}
 * is the total wire size of the run's messages (both directions), as in {@code Bench}.
 *
 * <p>Plain Java, so it also runs on the JVM (tests use that for the formatting). Avoids what TeaVM 0.15 formats
 * differently ({@code String.format} with {@code long} edge cases, see TEAVM-NOTES.md): two decimals are formatted
 * by hand.
 */
public final class BrowserBench {
    /** How many timed runs and untimed warm-up runs; sign counts apply to the 4-message signing and to presign+online. */
    public record Plan(int keygens, int keygenWarmups, int signs, int signWarmups) {
        public Plan {
            if (keygens < 1 || signs < 1 || keygenWarmups < 0 || signWarmups < 0) {
                throw new IllegalArgumentException("bench plan needs >= 1 timed run and >= 0 warm-ups per operation");
            }
        }
    }

    /** scripts/bench --quick: keygen 2 (+1 warm-up), signing 10 (+3 warm-up). */
    public static final Plan QUICK = new Plan(2, 1, 10, 3);
    /** scripts/bench: keygen 5 (+1 warm-up), signing 40 (+5 warm-up). */
    public static final Plan FULL = new Plan(5, 1, 40, 5);

    public static final List<String> OPS = List.of("web_ring_pedersen_verify_p2", "web_keygen_p2", "web_sign_p2",
            "web_presign_p2", "web_sign_online_p2");

    private BrowserBench() {}

    /** Accumulates the milliseconds P2 spends computing in one protocol run; P1 is not timed. */
    static final class P2Timer implements InProcessRun.Observer {
        private final DoubleSupplier clockMs;
        private double started;
        private double p2Ms;

        P2Timer(DoubleSupplier clockMs) {
            this.clockMs = clockMs;
        }

        @Override
        public void begin(Party party) {
            if (party == Party.P2) {
                started = clockMs.getAsDouble();
            }
        }

        @Override
        public void end(Party party) {
            if (party == Party.P2) {
                p2Ms += clockMs.getAsDouble() - started;
            }
        }

        double ms() {
            return p2Ms;
        }
    }

    /** Samples of one operation. */
    static final class Series {
        final String name;
        final List<Double> ms = new ArrayList<>();
        long bytes;

        Series(String name) {
            this.name = name;
        }

        String line() {
            double[] s = new double[ms.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = ms.get(i);
            }
            Arrays.sort(s);
            return "bench op=" + name + " p50_ms=" + fmt2(pct(s, 0.50)) + " p99_ms=" + fmt2(pct(s, 0.99)) + " bytes="
                    + bytes + " n=" + s.length;
        }
    }

    /**
     * Runs the plan and returns one line per entry of {@link #OPS}. The bank's ring-Pedersen parameters are the test
     * fixture's (fixed primes: their proof is made here, P1's side, untimed); the device verifies them once per run
     * (web_ring_pedersen_verify_p2, its one-time cost per bank) and keygen then runs with them known.
     *
     * @param random randomness of both parties (the browser: {@code BrowserRandom})
     * @param modPow modular exponentiation of both parties (the browser: {@code BigIntModPow})
     * @param clockMs a monotonic clock in milliseconds (the browser: {@code performance.now()})
     */
    public static List<String> run(Plan plan, RandomSource random, ModPow modPow, DoubleSupplier clockMs) {
        Env env = new Env(random, modPow);

        ProvenRingPedersen bankParams = TestRingPedersen.proven("browser-bench", modPow);
        ProvenRingPedersen deviceParams = TestRingPedersen.proven("browser-bench-device", modPow);
        Series verify = new Series("web_ring_pedersen_verify_p2");
        VerifiedRingPedersen known = null;
        for (int i = 0; i < Math.max(1, plan.keygens() / 2); i++) {
            double t0 = clockMs.getAsDouble();
            known = bankParams.verify(new ProofContext("mpcwallet/keygen/v1", random32(random), Party.P1), modPow);
            verify.ms.add(clockMs.getAsDouble() - t0);
            verify.bytes = bankParams.encode().length;
        }

        RingPedersenCache deviceCache = new RingPedersenCache(); // the bank checks each device's Π^prm once
        Series keygen = new Series("web_keygen_p2");
        InProcessRun.Result<P1KeyShare, P2KeyShare> kg = null;
        for (int i = -plan.keygenWarmups(); i < plan.keygens(); i++) {
            P2Timer t = new P2Timer(clockMs);
            kg = InProcessRun.keygen(random32(random), bankParams, deviceParams, known, deviceCache, env, env, t);
            if (i >= 0) {
                keygen.ms.add(t.ms());
                keygen.bytes = wireBytes(kg.messages());
            }
        }
        P1KeyHolder holder = new P1KeyHolder(kg.p1());
        P2KeyShare share = kg.p2();

        Series sign = new Series("web_sign_p2");
        for (int i = -plan.signWarmups(); i < plan.signs(); i++) {
            P2Timer t = new P2Timer(clockMs);
            InProcessRun.Result<EcdsaSignature, SignP2.Sent> r =
                    InProcessRun.sign(holder, share, random32(random), random32(random), env, env, t);
            if (i >= 0) {
                sign.ms.add(t.ms());
                sign.bytes = wireBytes(r.messages());
            }
        }

        Series presign = new Series("web_presign_p2");
        Series online = new Series("web_sign_online_p2");
        for (int i = -plan.signWarmups(); i < plan.signs(); i++) {
            P2Timer t = new P2Timer(clockMs);
            InProcessRun.Result<P1Presignature, P2Presignature> pre =
                    InProcessRun.presign(holder, share, random32(random), env, env, t);
            P2Timer o = new P2Timer(clockMs);
            InProcessRun.Result<EcdsaSignature, byte[]> on =
                    InProcessRun.online(holder, share, pre.p2(), random32(random), env, env, o);
            if (i >= 0) {
                presign.ms.add(t.ms());
                presign.bytes = wireBytes(pre.messages());
                online.ms.add(o.ms());
                online.bytes = wireBytes(on.messages());
            }
        }
        return List.of(verify.line(), keygen.line(), sign.line(), presign.line(), online.line());
    }

    /**
     * The device's one-time setup, {@code runs} times: {@code RingPedersenSetup.generate} (two 1024-bit safe primes)
     * and its Π^prm proof, as {@code DeviceRingPedersen} does on the JVM; one line, op web_device_setup_p2, with the
     * proven parameters' size as bytes.
     */
    public static String setup(int runs, RandomSource random, ModPow modPow, DoubleSupplier clockMs) {
        if (runs < 1) {
            throw new IllegalArgumentException("at least one setup run");
        }
        Series s = new Series("web_device_setup_p2");
        for (int i = 0; i < runs; i++) {
            double t0 = clockMs.getAsDouble();
            ProvenRingPedersen p = org.mpcwallet.crypto.zk.RingPedersenSetup.generate(random, modPow).prove(random,
                    modPow);
            s.ms.add(clockMs.getAsDouble() - t0);
            s.bytes = p.encode().length;
        }
        return s.line();
    }

    /** Same percentile as the JVM's {@code Bench}: the ceil(p·n)-th smallest sample. */
    static double pct(double[] sorted, double p) {
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    /**
     * {@code v} with exactly two decimals, rounded half up ({@code 1.005} may print as {@code 1.00}, as binary
     * doubles go), like {@code String.format(Locale.ROOT, "%.2f", v)} for the values a timer gives: finite, not
     * astronomically large. Written by hand: no {@code String.format} in code compiled by TeaVM.
     */
    public static String fmt2(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) >= 1e15) {
            throw new IllegalArgumentException("not a time in ms: " + v);
        }
        if (v < 0) {
            String abs = fmt2(-v);
            return abs.equals("0.00") ? abs : "-" + abs;
        }
        long hundredths = (long) Math.floor(v * 100.0 + 0.5); // v >= 0: no negative-half rounding differences
        long whole = hundredths / 100;
        int frac = (int) (hundredths % 100);
        return whole + (frac < 10 ? ".0" : ".") + frac;
    }

    static long wireBytes(List<byte[]> messages) {
        long n = 0;
        for (byte[] m : messages) {
            n += m.length;
        }
        return n;
    }

    private static byte[] random32(RandomSource random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }
}
