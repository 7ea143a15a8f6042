package org.mpcwallet.crypto.bench;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.parity.InProcessRun;
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
import org.mpcwallet.crypto.zk.RingPedersenSetup;
import org.mpcwallet.crypto.zk.VerifiedRingPedersen;

/**
 * JVM benchmarks of the two-party protocols (scripts/bench). Times each party's computation separately (no network:
 * the figures are compute only, as the published anchors are) and prints one line per operation:
 * {@code bench op=<name> p50_ms=<x> p99_ms=<y> bytes=<z> n=<runs>}. Real randomness (SecureRandom).
 */
public final class Bench {
    private Bench() {}

    /** Accumulates per-party nanoseconds of one protocol run. */
    static final class PartyTimer implements InProcessRun.Observer {
        final Map<Party, Long> total = new EnumMap<>(Party.class);
        private long started;

        @Override
        public void begin(Party party) {
            started = System.nanoTime();
        }

        @Override
        public void end(Party party) {
            total.merge(party, System.nanoTime() - started, Long::sum);
        }

        double ms(Party p) {
            return total.getOrDefault(p, 0L) / 1e6;
        }

        double bothMs() {
            return ms(Party.P1) + ms(Party.P2);
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
            double[] s = ms.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(s);
            return "bench op=" + name + " p50_ms=" + fmt(pct(s, 0.50)) + " p99_ms=" + fmt(pct(s, 0.99)) + " bytes="
                    + bytes + " n=" + s.length;
        }
    }

    static double pct(double[] sorted, double p) {
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    static long wireBytes(List<byte[]> messages) {
        long n = 0;
        for (byte[] m : messages) {
            n += m.length;
        }
        return n;
    }

    private static final SecureRandom RNG = new SecureRandom();

    static Env env() {
        return new Env(RNG::nextBytes, ModPow.JAVA);
    }

    static byte[] random32() {
        byte[] b = new byte[32];
        RNG.nextBytes(b);
        return b;
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        int keygens = quick ? 5 : 30;
        int signs = quick ? 40 : 300;
        int refreshes = quick ? 3 : 10;
        int warm = quick ? 10 : 50;
        System.out.println("# jvm " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " cpus, " + (quick ? "quick" : "full") + " run");

        // one-time setups: a party's own ring-Pedersen parameters (safe primes + Π^prm; the bank once per signer
        // database, the device once per device) and the check of the other party's Π^prm
        Series rpSetup = new Series("ring_pedersen_setup");
        Series rpVerify = new Series("ring_pedersen_verify");
        ProvenRingPedersen bankParams = null;
        VerifiedRingPedersen known = null;
        for (int i = 0; i < (quick ? 2 : 5); i++) {
            long t0 = System.nanoTime();
            bankParams = RingPedersenSetup.generate(RNG::nextBytes, ModPow.JAVA).prove(RNG::nextBytes, ModPow.JAVA);
            long t1 = System.nanoTime();
            known = bankParams.verify(new ProofContext("mpcwallet/keygen/v1", random32(), Party.P1), ModPow.JAVA);
            long t2 = System.nanoTime();
            rpSetup.ms.add((t1 - t0) / 1e6);
            rpVerify.ms.add((t2 - t1) / 1e6);
            rpSetup.bytes = rpVerify.bytes = bankParams.encode().length;
        }
        final ProvenRingPedersen BANK_PARAMS = bankParams;
        // the device's own parameters (one-time per device; P1 verifies them at every keygen and refresh)
        final ProvenRingPedersen DEVICE_PARAMS =
                RingPedersenSetup.generate(RNG::nextBytes, ModPow.JAVA).prove(RNG::nextBytes, ModPow.JAVA);

        Series keygen = new Series("keygen");
        Series keygenP1 = new Series("keygen_p1");
        Series keygenP2 = new Series("keygen_p2");
        InProcessRun.Result<P1KeyShare, P2KeyShare> kg = null;
        RingPedersenCache deviceCache = new RingPedersenCache(); // the bank checks each device's Π^prm once
        for (int i = -1; i < keygens; i++) {
            PartyTimer t = new PartyTimer();
            kg = InProcessRun.keygen(random32(), BANK_PARAMS, DEVICE_PARAMS, known, deviceCache, env(), env(), t);
            if (i >= 0) {
                keygen.ms.add(t.bothMs());
                keygenP1.ms.add(t.ms(Party.P1));
                keygenP2.ms.add(t.ms(Party.P2));
                keygen.bytes = keygenP1.bytes = keygenP2.bytes = wireBytes(kg.messages());
            }
        }
        P1KeyHolder holder = new P1KeyHolder(kg.p1());
        P2KeyShare share = kg.p2();

        Series sign = new Series("sign");
        Series signP1 = new Series("sign_p1");
        Series signP2 = new Series("sign_p2");
        for (int i = -warm; i < signs; i++) {
            PartyTimer t = new PartyTimer();
            byte[] hash = random32();
            InProcessRun.Result<EcdsaSignature, SignP2.Sent> r =
                    InProcessRun.sign(holder, share, random32(), hash, env(), env(), t);
            if (i >= 0) {
                sign.ms.add(t.bothMs());
                signP1.ms.add(t.ms(Party.P1));
                signP2.ms.add(t.ms(Party.P2));
                sign.bytes = signP1.bytes = signP2.bytes = wireBytes(r.messages());
            }
        }

        Series presign = new Series("presign");
        Series presignP2 = new Series("presign_p2");
        Series online = new Series("sign_online");
        Series onlineP1 = new Series("sign_online_p1");
        Series onlineP2 = new Series("sign_online_p2");
        for (int i = -warm; i < signs; i++) {
            PartyTimer t = new PartyTimer();
            InProcessRun.Result<P1Presignature, P2Presignature> pre =
                    InProcessRun.presign(holder, share, random32(), env(), env(), t);
            PartyTimer o = new PartyTimer();
            InProcessRun.Result<EcdsaSignature, byte[]> on =
                    InProcessRun.online(holder, share, pre.p2(), random32(), env(), env(), o);
            if (i >= 0) {
                presign.ms.add(t.bothMs());
                presignP2.ms.add(t.ms(Party.P2));
                presign.bytes = presignP2.bytes = wireBytes(pre.messages());
                online.ms.add(o.bothMs());
                onlineP1.ms.add(o.ms(Party.P1));
                onlineP2.ms.add(o.ms(Party.P2));
                online.bytes = onlineP1.bytes = onlineP2.bytes = wireBytes(on.messages());
            }
        }

        Series refresh = new Series("refresh");
        P1KeyShare p1 = kg.p1();
        P2KeyShare p2 = kg.p2();
        for (int i = 0; i < refreshes; i++) {
            PartyTimer t = new PartyTimer();
            InProcessRun.Result<P1KeyShare, P2KeyShare> r = InProcessRun.refresh(p1, p2, random32(),
                    BANK_PARAMS, DEVICE_PARAMS, env(), env(), t);
            p1 = r.p1();
            p2 = r.p2();
            refresh.ms.add(t.bothMs());
            refresh.bytes = wireBytes(r.messages());
        }

        for (Series s : List.of(rpSetup, rpVerify, keygen, keygenP1, keygenP2, sign, signP1, signP2, presign, presignP2, online,
                onlineP1, onlineP2, refresh)) {
            System.out.println(s.line());
        }
    }
}
