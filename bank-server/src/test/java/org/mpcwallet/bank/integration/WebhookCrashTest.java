package org.mpcwallet.bank.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.config.BankConfig;
import org.mpcwallet.bank.db.Database;

/**
 * Issue 14: "the bank killed with -9 mid-delivery loses no event". The bank runs as a process of its own on a
 * database this test owns; a slow receiver holds each webhook; while deliveries are in flight the bank gets SIGKILL
 * (no shutdown hook, no commit of what was running); a second bank process on the same database and data directory
 * delivers the rest. The receiver ends with every event of the outbox, each verified with the published key (at least
 * once: the ones in flight at the kill may come twice, nothing is missing).
 */
class WebhookCrashTest {
    private static final int EVENTS = 12;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.createDefault();
    private Path lastLog;

    @Test
    void aBankKilledMidDeliveryLosesNoEvent() throws Exception {
        Path dir = TestDataDir.create("webhook-crash-");
        Path dbDir = Files.createDirectories(dir.resolve("db"));
        Files.setPosixFilePermissions(dbDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try (Database db = Database.open(new BankConfig(dbDir.toString(), null, null, null, 0,
                TestDataDir.BINARIES, 4, 5_000)); WebhookReceiver receiver = new WebhookReceiver()) {
            String password = Files.readString(dbDir.resolve("postgres-password")).strip();
            Path bankDir = Files.createDirectories(dir.resolve("bank"));
            Files.setPosixFilePermissions(bankDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            int port = freePort();
            Process first = bank(bankDir, port, db.jdbcUrl(), password);
            Process second = null;
            try {
                String base = "http://127.0.0.1:" + port;
                awaitReady(base, first);
                String admin = user(base, db, password, "ADMIN");
                ApiClientSigner signer = new ApiClientSigner();
                Map<?, ?> client = post(base, "/v1/api-clients", Map.of("name", "crash-" + UUID.randomUUID()
                        .toString().substring(0, 6), "publicKey", signer.publicKeyPem(), "roles", List.of("VIEWER")),
                        admin, 201);
                post(base, "/v1/webhooks", Map.of("clientId", client.get("id"), "url", receiver.url(), "eventTypes",
                        List.of("wallet.created")), admin, 201, "crash-test-subscribe");
                assertJsonLogsCarry(lastLog, "crash-test-subscribe", "POST /v1/webhooks 201");
                receiver.trust(keys(base));
                receiver.holdMillis = 400; // slow: deliveries are in flight when the bank dies
                for (int i = 0; i < EVENTS; i++) {
                    post(base, "/v1/wallets", Map.of("name", "w" + i, "type", "RETAIL", "riskProfile", "LOW"),
                            user(base, db, password), 201);
                }
                long end = System.nanoTime() + 30_000_000_000L;
                while (receiver.requests.size() < 2 && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertTrue(receiver.requests.size() >= 2, "deliveries started");
                first.destroyForcibly(); // SIGKILL
                first.waitFor();
                int beforeRestart = receiver.requests.size();
                assertTrue(beforeRestart < EVENTS, "the kill came mid-delivery (" + beforeRestart + " answered)");

                receiver.holdMillis = 0;
                second = bank(bankDir, port, db.jdbcUrl(), password);
                awaitReady(base, second);
                Set<String> expected = outboxIds(db, password);
                assertEquals(EVENTS, expected.size(), "one outbox row per wallet created");
                end = System.nanoTime() + 60_000_000_000L;
                while (!received(receiver).containsAll(expected) && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertEquals(expected, received(receiver), "every event arrived, none unknown");
                assertTrue(receiver.requests.stream().allMatch(WebhookReceiver.Received::verified),
                        "each verified with the published key, before and after the restart");
            } finally {
                first.destroyForcibly().waitFor();
                if (second != null) {
                    second.destroy();
                    if (!second.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                        second.destroyForcibly().waitFor();
                    }
                }
            }
        }
    }

    private static Set<String> received(WebhookReceiver r) {
        Set<String> ids = new HashSet<>();
        for (WebhookReceiver.Received x : r.accepted()) {
            ids.add(x.id());
        }
        return ids;
    }

    private Process bank(Path dataDir, int port, String jdbcUrl, String password) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m"));
        Map<String, Object> props = new java.util.LinkedHashMap<>(TestDataDir.embeddedProps(dataDir));
        props.put("micronaut.server.port", port);
        props.put("micronaut.server.host", "127.0.0.1");
        props.put("bank.database-url", jdbcUrl);
        props.put("bank.database-user", "postgres");
        props.put("bank.database-password", password);
        props.put("bank.webhooks.poll-interval-millis", 50);
        props.put("bank.webhooks.lease", "2s");
        props.put("bank.webhooks.request-timeout", "1s"); // the lease is at least twice an attempt's limit
        props.put("bank.web.access-log", true);
        props.put("bank.webhooks.concurrency", 2); // two in flight at the kill, the rest still waiting
        props.put("bank.webhooks.retry-delays", "200ms,200ms,200ms,200ms,200ms");
        for (Map.Entry<String, Object> e : props.entrySet()) {
            cmd.add("-D" + e.getKey() + "=" + e.getValue());
        }
        cmd.addAll(List.of("-cp", cp, "org.mpcwallet.bank.Application"));
        lastLog = dataDir.resolve("bank-" + System.nanoTime() + ".log");
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(lastLog.toFile());
        b.environment().put("BANK_LOG_FORMAT", "JSON"); // the operators' log pipeline format
        return b.start();
    }

    private void awaitReady(String base, Process p) throws Exception {
        long end = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new AssertionError("the bank process exited with " + p.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the bank did not become ready");
    }

    /** A registered user with {@code roles} (written into the database), logged in: its Authorization value. */
    private String user(String base, Database db, String password, String... roles) throws Exception {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        Map<?, ?> reg = post(base, "/v1/auth/register", Map.of("username", name, "password",
                "correct horse battery"), null, 201);
        if (roles.length > 0) {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", password);
                 PreparedStatement ps = c.prepareStatement("update users set roles = ?::text[] where id = ?")) {
                ps.setString(1, "{" + String.join(",", roles) + "}");
                ps.setObject(2, UUID.fromString((String) reg.get("id")));
                ps.executeUpdate();
            }
        }
        Map<?, ?> login = post(base, "/v1/auth/login", Map.of("username", name, "password",
                "correct horse battery"), null, 200);
        return "Bearer " + login.get("access_token");
    }

    /**
     * The bank's log (BANK_LOG_FORMAT=JSON) is one JSON object per line, and the access line of the request sent with
     * {@code correlationId} carries it as {@code mdc.correlationId}.
     */
    private void assertJsonLogsCarry(Path log, String correlationId, String access) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<Map<?, ?>> lines = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("WARNING: ") || line.isBlank()) {
                    continue; // the JVM's own warnings on stderr (restricted methods), not the bank's log
                }
                try {
                    lines.add(json.readValue(line, Map.class));
                } catch (java.io.IOException | RuntimeException e) {
                    throw new AssertionError("a log line that is not JSON: " + line);
                }
            }
            boolean found = lines.stream().anyMatch(m -> m.get("mdc") instanceof Map<?, ?> mdc
                    && correlationId.equals(mdc.get("correlationId")) && String.valueOf(m.get("formattedMessage"))
                    .startsWith(access));
            if (found) {
                assertTrue(lines.stream().anyMatch(m -> "INFO".equals(m.get("level"))), "levels are fields");
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no JSON log line with correlationId " + correlationId + " for " + access
                        + "; access lines: " + lines.stream().filter(m -> "bank.access".equals(m.get("loggerName")))
                        .toList());
            }
            Thread.sleep(100);
        }
    }

    private Map<?, ?> post(String base, String path, Object body, String auth, int status) throws Exception {
        return post(base, path, body, auth, status, null);
    }

    private Map<?, ?> post(String base, String path, Object body, String auth, int status, String correlationId)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (correlationId != null) {
            b.header("X-Correlation-ID", correlationId);
        }
        if (auth != null) {
            b.header("Authorization", auth);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r::body);
        return json.readValue(r.body(), Map.class);
    }

    private List<String> keys(String base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/webhooks/signing-keys"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Map<?, ?> m = json.readValue(r.body(), Map.class);
        return ((List<?>) m.get("keys")).stream().map(k -> (String) ((Map<?, ?>) k).get("publicKey")).toList();
    }

    private static Set<String> outboxIds(Database db, String password) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", password);
             PreparedStatement ps = c.prepareStatement("select id from webhook_outbox where type = 'wallet.created'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
