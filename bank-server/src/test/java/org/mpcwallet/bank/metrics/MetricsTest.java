package org.mpcwallet.bank.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.integration.ApiClientSigner;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * {@code GET /prometheus} on the real bank (issue 14 item 6, docs/integration.md "Metrics"): only the scraper's
 * token, an ADMIN or an OPERATOR read it; the named series exist (HTTP latency histograms per route, JVM, the
 * connection pool, transfers per state, the listener's lag) and move: a keygen adds an MPC session of kind KEYGEN,
 * signed requests count by outcome, a transfer shows in its state's gauge.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest implements TestPropertyProvider {
    private static final String TOKEN = "scrape-" + "x".repeat(40);

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    private final java.net.http.HttpClient raw = java.net.http.HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("metrics-");
        p.put("bank.metrics.scrape-token", TOKEN);
        p.put("bank.metrics.gauge-refresh-seconds", "1");
        return p;
    }

    private HttpResponse<String> scrape(String authorization) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:"
                + server.getPort() + "/prometheus"));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return raw.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void onlyTheScraperAndStaffReadTheMetricsAndTheSeriesMove() throws Exception {
        assertEquals(401, scrape(null).statusCode());
        assertEquals(401, scrape("Bearer not-the-token").statusCode());
        User customer = new ApiUsers(http, dataSource).register();
        assertEquals(403, scrape(customer.bearer()).statusCode());
        User operator = new ApiUsers(http, dataSource).register("OPERATOR");
        assertEquals(200, scrape(operator.bearer()).statusCode());

        for (String probe : List.of("/health/liveness", "/health/readiness")) {
            HttpResponse<String> r = raw.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:"
                    + server.getPort() + probe)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), probe);
            assertTrue(r.body().contains("\"status\":\"UP\""), r.body());
        }

        String before = scrape("Bearer " + TOKEN).body();
        for (String series : List.of("http_server_requests_seconds_bucket", "jvm_memory_used_bytes",
                "db_pool_connections{state=\"active\"}", "pipeline_requests{state=\"SUBMITTED\"}", "chain_listener_lag_blocks",
                "pipeline_due_requests", "pipeline_state_oldest_seconds{state=\"SUBMITTED\"} 0.0")) {
            assertTrue(before.contains(series), series + " is exported");
        }
        assertTrue(Double.isNaN(value(before,
                "mpc_session_seconds_count{kind=\"KEYGEN\",outcome=\"COMPLETED\"}")), "no keygen yet");

        String walletId = (String) http.toBlocking().exchange(HttpRequest.POST("/v1/wallets", Map.of("name", "m",
                "type", "RETAIL", "riskProfile", "LOW")).header("Authorization", customer.bearer()), Map.class)
                .body().get("id");
        try (TestDevice d = TestDevice.connect(json, server.getPort(), customer.bearer())) {
            d.keygen(walletId);
        }
        User admin = new ApiUsers(http, dataSource).register("ADMIN");
        ApiClientSigner signer = new ApiClientSigner();
        signer.as((String) http.toBlocking().exchange(HttpRequest.POST("/v1/api-clients", Map.of("name",
                "metered-" + UUID.randomUUID().toString().substring(0, 6), "publicKey", signer.publicKeyPem(),
                "roles", List.of("VIEWER"))).header("Authorization", admin.bearer()), Map.class).body().get("id"));
        raw.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort()
                + "/v1/wallets")).header("Authorization", signer.authorization("GET", "/v1/wallets", new byte[0]))
                .build(), HttpResponse.BodyHandlers.ofString());
        raw.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort()
                + "/v1/wallets")).header("Authorization", new ApiClientSigner().as(signer.clientId())
                .authorization("GET", "/v1/wallets", new byte[0])).build(), HttpResponse.BodyHandlers.ofString());
        raw.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort()
                + "/v1/wallets")).header("Authorization", "Bearer eyJhbGciOiJFZERTQSJ9.e30.AAAA").build(),
                HttpResponse.BodyHandlers.ofString());
        http.toBlocking().exchange(HttpRequest.POST("/v1/tx-requests", Map.of("walletId", walletId, "asset", "ETH",
                "to", "0x3535353535353535353535353535353535353535", "amount", "1000"))
                .header("Authorization", customer.bearer()).header("Idempotency-Key", UUID.randomUUID().toString()),
                Map.class);
        Thread.sleep(2_500); // the gauges' refresh (every second here)

        String after = scrape("Bearer " + TOKEN).body();
        assertEquals(1.0, value(after, "mpc_session_seconds_count{kind=\"KEYGEN\",outcome=\"COMPLETED\"}"), after);
        assertEquals(1.0, value(after, "signed_requests_total{outcome=\"accepted\"}"));
        assertEquals(1.0, value(after, "signed_requests_total{outcome=\"bad_signature\"}"));
        assertEquals(1.0, value(after, "signed_requests_total{outcome=\"malformed\"}"));
        double pipeline = 0;
        for (String state : List.of("SUBMITTED", "KYT_PENDING", "KYT_REVIEW", "POLICY_EVAL_PENDING",
                "APPROVAL_PENDING", "SIGN_PENDING")) {
            double v = value(after, "pipeline_requests{state=\"" + state + "\"}");
            pipeline += Double.isNaN(v) ? 0 : v;
        }
        assertEquals(1.0, pipeline, "the transfer is counted in one state of the pipeline");
        double waited = 0;
        for (String state : List.of("SUBMITTED", "KYT_PENDING", "KYT_REVIEW", "POLICY_EVAL_PENDING",
                "APPROVAL_PENDING", "SIGN_PENDING")) {
            double v = value(after, "pipeline_state_oldest_seconds{state=\"" + state + "\"}");
            waited = Math.max(waited, Double.isNaN(v) ? 0 : v);
        }
        assertTrue(waited > 0, "time in state: the transfer has been waiting in its state");
        assertTrue(after.contains("http_server_requests_seconds_bucket{") && after.contains("uri=\"/v1/wallets\""),
                "latency histograms per route");

        // the Grafana dashboard in docs queries only series the bank exports
        String dashboard = java.nio.file.Files.readString(org.mpcwallet.web.BrowserHarness.repoRootForTests()
                .resolve("docs/grafana/mpc-bank.json"));
        Matcher m = Pattern.compile("([a-z_][a-z0-9_]*)\\{job=").matcher(dashboard);
        java.util.Set<String> queried = new java.util.TreeSet<>();
        while (m.find()) {
            queried.add(m.group(1));
        }
        assertTrue(queried.size() >= 12, queried::toString);
        for (String series : queried) {
            assertTrue(after.contains(series), "the dashboard queries " + series + ", which the bank exports");
        }
    }
}
