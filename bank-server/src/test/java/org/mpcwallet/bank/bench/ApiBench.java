package org.mpcwallet.bank.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.integration.ApiClientSigner;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * REST reads and signed requests on the bank (issue 14 "Speed"; {@code scripts/bench api [--quick]}): the bank
 * in-process on its embedded PostgreSQL, one wallet with 50 transfers. Prints
 * <ul>
 *   <li>{@code api_get_bearer} / {@code api_get_signed}: one client's sequential {@code GET /v1/tx-requests/{id}}
 *       with the bank's JWT and as a signed API client; the difference of the p50s is what verifying a signed
 *       request costs (the signature, the client and key rows, the single-use jti);</li>
 *   <li>{@code api_reads_open_loop}: 200 requests/s for 60 s (10 s with --quick) from one client, alternating a
 *       transfer by id and the wallet's list of 50 transfers, each timed from when it was due (so a slow answer
 *       delays nothing and queueing counts);</li>
 *   <li>{@code webhook_delivery}: from a transfer's commit to its webhook at a receiver on loopback.</li>
 * </ul>
 */
public final class ApiBench {
    private ApiBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path data = Files.createTempDirectory("api-bench-");
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
        props.put("bank.auth.access-token-seconds", 900);
        props.put("bank.limits.registrations-per-address-per-hour", 1_000_000);
        for (String k : List.of("client", "user", "address")) {
            props.put("bank.limits.requests.per-" + k + "-per-second", 1_000_000);
            props.put("bank.limits.requests.per-" + k + "-burst", 1_000_000);
        }
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
            run(server, quick);
        } finally {
            try (var walk = Files.walk(data)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void run(EmbeddedServer server, boolean quick) throws Exception {
        JsonMapper json = server.getApplicationContext().getBean(JsonMapper.class);
        javax.sql.DataSource db = server.getApplicationContext().getBean(javax.sql.DataSource.class);
        String base = "http://127.0.0.1:" + server.getPort();
        java.net.http.HttpClient raw = java.net.http.HttpClient.newHttpClient();
        ApiUsers.User owner;
        ApiUsers.User admin;
        try (HttpClient http = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            ApiUsers users = new ApiUsers(http, db);
            owner = users.register();
            admin = users.register("ADMIN");
        }
        String walletId = (String) send(raw, json, "POST", base + "/v1/wallets", owner.bearer(),
                Map.of("name", "bench", "type", "RETAIL", "riskProfile", "LOW")).get("id");
        try (TestDevice d = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            d.keygen(walletId);
        }
        ApiClientSigner signer = new ApiClientSigner();
        Map<?, ?> client = send(raw, json, "POST", base + "/v1/api-clients", admin.bearer(), Map.of("name",
                "bench-" + UUID.randomUUID().toString().substring(0, 6), "publicKey", signer.publicKeyPem(), "roles",
                List.of("CUSTOMER")));
        signer.as((String) client.get("id"));
        send(raw, json, "POST", base + "/v1/wallets/" + walletId + "/roles", owner.bearer(),
                Map.of("userId", client.get("userId"), "role", "OPERATOR"));
        String txId = null;
        for (int i = 0; i < 50; i++) {
            txId = (String) send(raw, json, "POST", base + "/v1/tx-requests", owner.bearer(), Map.of("walletId",
                    walletId, "asset", "ETH", "to", "0x3535353535353535353535353535353535353535", "amount",
                    Integer.toString(1000 + i))).get("id");
        }
        String one = "/v1/tx-requests/" + txId;
        String page = "/v1/tx-requests?walletId=" + walletId;

        int n = quick ? 300 : 2000;
        for (int i = 0; i < 200; i++) { // warm-up: JIT, connection pools
            time(raw, base + one, owner.bearer());
            time(raw, base + one, signer.authorization("GET", one, new byte[0]));
        }
        List<Double> bearer = new ArrayList<>();
        List<Double> signed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bearer.add(time(raw, base + one, owner.bearer()));
            signed.add(time(raw, base + one, signer.authorization("GET", one, new byte[0])));
        }
        print("api_get_bearer", bearer, "");
        print("api_get_signed", signed, "");
        System.out.printf(Locale.ROOT, "bench op=api_signed_overhead p50_ms=%.2f%n", pct(sorted(signed), 50)
                - pct(sorted(bearer), 50));

        int seconds = quick ? 10 : 60;
        int rate = 200;
        ConcurrentLinkedQueue<Double> reads = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Double> byId = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Double> lists = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime() + 100_000_000L;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < seconds * rate; i++) {
                long due = start + i * (1_000_000_000L / rate);
                long sleep = due - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
                String target = i % 2 == 0 ? one : page;
                pool.submit(() -> {
                    try {
                        HttpResponse<byte[]> r = raw.send(HttpRequest.newBuilder(URI.create(base + target))
                                .header("Authorization", owner.bearer()).build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode());
                        }
                    } catch (Exception e) {
                        failures.add(-1);
                    }
                    double ms = (System.nanoTime() - due) / 1e6;
                    reads.add(ms);
                    (target.equals(one) ? byId : lists).add(ms);
                });
            }
        }
        print("api_reads_open_loop", new ArrayList<>(reads), String.format(Locale.ROOT, " rate_per_s=%d seconds=%d "
                + "failed=%d", rate, seconds, failures.size()));
        print("api_reads_open_loop_by_id", new ArrayList<>(byId), "");
        print("api_reads_open_loop_list_of_50", new ArrayList<>(lists), "");

        webhooks(raw, json, base, owner, admin, walletId, (String) client.get("id"), quick ? 50 : 300);
    }

    /**
     * {@code webhook_delivery}: transfers created one after another (20 a second); each one's
     * {@code transfer.state_changed} event timed from the event's time (set in its transaction, just before the
     * commit) to its arrival at a receiver on loopback, with the dispatcher as configured by default.
     */
    private static void webhooks(java.net.http.HttpClient raw, JsonMapper json, String base, ApiUsers.User owner,
                                 ApiUsers.User admin, String walletId, String clientId, int n) throws Exception {
        try (org.mpcwallet.bank.integration.WebhookReceiver receiver =
                     new org.mpcwallet.bank.integration.WebhookReceiver()) {
            send(raw, json, "POST", base + "/v1/webhooks", admin.bearer(), Map.of("clientId", clientId, "url",
                    receiver.url(), "eventTypes", List.of("transfer.state_changed")));
            for (int i = 0; i < n; i++) {
                send(raw, json, "POST", base + "/v1/tx-requests", owner.bearer(), Map.of("walletId", walletId,
                        "asset", "ETH", "to", "0x3535353535353535353535353535353535353535", "amount",
                        Integer.toString(5000 + i)));
                Thread.sleep(50);
            }
            long end = System.nanoTime() + 30_000_000_000L;
            while (receiver.accepted().size() < n && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            List<Double> ms = new ArrayList<>();
            for (org.mpcwallet.bank.integration.WebhookReceiver.Received r : receiver.accepted()) {
                java.time.Instant t = java.time.Instant.parse((String) json.readValue(r.body(), Map.class)
                        .get("timestamp"));
                ms.add(java.time.Duration.between(t, r.at()).toNanos() / 1e6);
            }
            print("webhook_delivery", ms, String.format(Locale.ROOT, " transfers=%d", n)); // each moves through states
        }
    }

    private static double time(java.net.http.HttpClient raw, String url, String authorization) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = raw.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization",
                authorization).build(), HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        return ms;
    }

    private static Map<?, ?> send(java.net.http.HttpClient raw, JsonMapper json, String method, String url,
                                  String bearer, Object body) throws Exception {
        HttpResponse<String> r = raw.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readValue(r.body(), Map.class);
    }

    private static List<Double> sorted(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s;
    }

    private static void print(String op, List<Double> values, String extra) {
        List<Double> v = sorted(values);
        System.out.printf(Locale.ROOT, "bench op=%s p50_ms=%.2f p99_ms=%.2f n=%d%s%n", op, pct(v, 50), pct(v, 99),
                v.size(), extra);
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
