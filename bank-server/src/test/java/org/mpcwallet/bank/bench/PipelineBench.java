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
import org.mpcwallet.bank.chain.AnvilProcess;
import org.mpcwallet.bank.mpc.SignRequestFields;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.crypto.protocol.P2KeyShare;

/**
 * {@code scripts/bench pipeline [--quick]} (docs/benchmarks.md): the custody pipeline on a real anvil with instant
 * mining and the embedded PostgreSQL, the bank in-process with its worker running on its own schedule (100 ms), one
 * P2 device on the real WebSocket. Prints
 * <pre>
 * bench op=pipeline_throughput requests=N seconds=S rps=R        (SUBMITTED to FINALIZED, all requests)
 * bench op=pipeline_cosign p50_ms=.. p99_ms=.. n=N                (device: 'sign' frame sent to 'done' received)
 * </pre>
 * CONFIRMATION_BLOCKS is 1 here (anvil mines each transaction at once), so FINALIZED follows the receipt re-check.
 */
public final class PipelineBench {
    private static final String PASSWORD = "bench password 2026";
    private static final String TO = "0x3535353535353535353535353535353535353535";

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int requests = quick ? 5 : 30;
        Path data = Files.createTempDirectory("pipeline-bench-");
        try (AnvilProcess anvil = AnvilProcess.start()) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("micronaut.server.port", -1);
            props.put("bank.data-dir", data.toString());
            props.put("bank.database-url", "");
            props.put("bank.embedded-postgres-port", 0);
            props.put("bank.embedded-postgres-binaries", org.mpcwallet.bank.TestDataDir.BINARIES);
            props.put("bank.auth.bcrypt-cost", 4);
            props.put("bank.auth.jwt-secret", "");
            props.put("bank.pipeline.eth-rpc-url", anvil.rpcUrl());
            props.put("bank.pipeline.worker-interval-millis", 100);
            props.put("bank.pipeline.confirmation-blocks", 1);
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                run(server, anvil, requests);
            }
        } finally {
            try (var walk = Files.walk(data)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void run(EmbeddedServer server, AnvilProcess anvil, int requests) throws Exception {
        JsonMapper json = server.getApplicationContext().getBean(JsonMapper.class);
        String base = "http://127.0.0.1:" + server.getPort();
        String name = "bench" + UUID.randomUUID().toString().substring(0, 6);
        post(json, base + "/v1/auth/register", null, Map.of("username", name, "password", PASSWORD));
        String bearer = "Bearer " + post(json, base + "/v1/auth/login", null, Map.of("username", name, "password",
                PASSWORD)).get("access_token");
        String walletId = (String) post(json, base + "/v1/wallets", bearer, Map.of("name", "bench", "type", "RETAIL",
                "riskProfile", "LOW")).get("id");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), bearer)) {
            TestDevice.Keygen k = device.keygen(walletId);
            P2KeyShare share = k.share();
            String address = (String) k.done().get("address");
            rpc(json, anvil, "anvil_setBalance", List.of(address, "0x56bc75e2d63100000"));

            long start = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                ids.add((String) post(json, base + "/v1/tx-requests", bearer, Map.of("walletId", walletId, "asset",
                        "ETH", "to", TO, "amount", Integer.toString(1000 + i))).get("id"));
            }
            List<Double> cosign = new ArrayList<>();
            java.util.Set<String> signed = new java.util.HashSet<>();
            java.util.Set<String> finalized = new java.util.HashSet<>();
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (finalized.size() < requests && System.nanoTime() < deadline) {
                for (String id : ids) {
                    if (finalized.contains(id)) {
                        continue;
                    }
                    Map<?, ?> r = get(json, base + "/v1/tx-requests/" + id, bearer);
                    if ("FINALIZED".equals(r.get("status"))) {
                        finalized.add(id);
                    } else if (!signed.contains(id) && "SIGN_PENDING".equals(r.get("status"))
                            && r.get("signRequestId") != null) {
                        Map<?, ?> sr = get(json, base + "/v1/sign-requests/" + r.get("signRequestId"), bearer);
                        byte[] hash = SignRequestFields.hash(sr);
                        long t0 = System.nanoTime();
                        Map<String, Object> done = device.sign((String) r.get("signRequestId"), hash, share, m -> m);
                        cosign.add((System.nanoTime() - t0) / 1e6);
                        if (!"done".equals(done.get("type"))) {
                            throw new IllegalStateException("co-signing failed: " + done);
                        }
                        signed.add(id);
                    } else if (List.of("KYT_BLOCKED", "POLICY_BLOCKED", "REJECTED", "FAILED_SIGN",
                            "FAILED_BROADCAST").contains(r.get("status"))) {
                        throw new IllegalStateException("request " + id + " ended " + r.get("status"));
                    }
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (finalized.size() < requests) {
                throw new IllegalStateException("only " + finalized.size() + " of " + requests + " finalized");
            }
            System.out.printf(java.util.Locale.ROOT, "bench op=pipeline_throughput requests=%d seconds=%.2f rps=%.2f%n",
                    requests, seconds, requests / seconds);
            Collections.sort(cosign);
            System.out.printf(java.util.Locale.ROOT, "bench op=pipeline_cosign p50_ms=%.1f p99_ms=%.1f n=%d%n",
                    pct(cosign, 50), pct(cosign, 99), cosign.size());
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
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readValue(r.body(), Map.class);
    }

    private static void rpc(JsonMapper json, AnvilProcess anvil, String method, List<Object> params) throws Exception {
        String body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", params));
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(anvil.rpcUrl()))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
