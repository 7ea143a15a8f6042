package org.mpcwallet.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.config.BankConfig;
import org.mpcwallet.bank.db.Database;

/** Startup on an embedded PostgreSQL, restart on the same data directory, and the DATABASE_URL path. */
class BankServerStartupTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> getJson(EmbeddedServer server, String path) {
        try (HttpClient client = HttpClient.create(server.getURL())) {
            HttpResponse<Map> r = client.toBlocking().exchange(HttpRequest.GET(path)
                    .header("Authorization", TestTokens.bearer(server.getApplicationContext(), "ADMIN")), Map.class);
            assertEquals(200, r.code());
            return r.body();
        }
    }

    static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void startsOnEmbeddedPostgresKeepsDataAcrossRestartAndServesDatabaseUrl() throws Exception {
        Path dataDir = TestDataDir.create("startup-");
        String jdbcUrl;
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, TestDataDir.embeddedProps(dataDir))) {
            Database db = server.getApplicationContext().getBean(Database.class);
            assertTrue(db.isEmbedded());
            assertEquals(dataDir.resolve("postgres"), db.embeddedDataDirectory());
            assertTrue(Files.exists(dataDir.resolve("postgres/PG_VERSION")));
            assertTrue(db.migrationsAppliedAtStartup() >= 2, "V1, V2 (and any later) applied on a fresh database");

            Map<String, Object> health = getJson(server, "/health");
            assertEquals("UP", health.get("status"));
            assertEquals("UP", ((Map<String, Object>) health.get("database")).get("status"));
            assertEquals("UP", ((Map<String, Object>) health.get("signer")).get("status"));
            assertEquals("in-process", ((Map<String, Object>) health.get("signer")).get("mode"));

            DataSource ds = db.dataSource();
            assertEquals(1, count(ds, "select count(*) from flyway_schema_history where version = '1' and success"));
            assertEquals(1, count(ds, "select count(*) from flyway_schema_history where version = '2' and success"));
            assertEquals(1, count(ds, "select count(*) from information_schema.tables where table_name = 'audit_event'"));
            assertEquals(17, count(ds, "select current_setting('server_version_num')::int / 10000"));

            AuditLog log = server.getApplicationContext().getBean(AuditLog.class);
            log.append("test", "SERVER_STARTED", "{\"run\":1}");
            log.append("test", "SOMETHING_HAPPENED", "{\"n\":2}");
        }

        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, TestDataDir.embeddedProps(dataDir))) {
            Database db = server.getApplicationContext().getBean(Database.class);
            assertEquals(0, db.migrationsAppliedAtStartup(), "nothing to migrate on restart");
            assertEquals(2, count(db.dataSource(), "select count(*) from audit_event"), "data kept across restart");
            assertEquals("UP", getJson(server, "/health").get("status"));
            server.getApplicationContext().getBean(AuditLog.class).append("test", "SERVER_STARTED", "{\"run\":2}");
            Map<String, Object> verify = getJson(server, "/v1/audit/verify");
            assertEquals(Boolean.TRUE, verify.get("ok"));
            assertEquals(3, ((Number) verify.get("count")).intValue());
            assertNull(verify.get("firstBrokenSeq"));

            // A second server pointed at the same PostgreSQL through DATABASE_URL (the external-database path).
            jdbcUrl = db.jdbcUrl();
            Map<String, Object> external = new HashMap<>();
            external.put("micronaut.server.port", -1);
            external.put("bank.data-dir", dataDir.resolve("unused").toString());
            external.put("bank.database-url", jdbcUrl);
            external.put("bank.database-user", "postgres");
            external.put("bank.database-password", Files.readString(dataDir.resolve("postgres-password")).strip());
            external.put("bank.database-connect-timeout-millis", 500);
            external.put("bank.auth.passkey.second-factor", "off"); // its ADMIN token is minted without a passkey
            EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class, external);
            try {
                Database otherDb = other.getApplicationContext().getBean(Database.class);
                assertFalse(otherDb.isEmbedded());
                assertNull(otherDb.embeddedDataDirectory());
                assertEquals("UP", getJson(other, "/health").get("status"));
                assertEquals(3, ((Number) getJson(other, "/v1/audit/verify").get("count")).intValue());
                // The database goes away: /health turns 503 DOWN, quickly.
                server.close();
                try (HttpClient client = HttpClient.create(other.getURL())) {
                    long t0 = System.nanoTime();
                    HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                            () -> client.toBlocking().exchange(HttpRequest.GET("/health"), Map.class));
                    assertEquals(503, e.code());
                    Map<String, Object> down = e.getResponse().getBody(Map.class).orElseThrow();
                    assertEquals("DOWN", down.get("status"));
                    assertEquals("DOWN", ((Map<String, Object>) down.get("database")).get("status"));
                    assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "health answers within the pool timeout");
                }
            } finally {
                other.close();
            }
            assertFalse(Files.exists(dataDir.resolve("unused").resolve("postgres")), "no embedded server with DATABASE_URL");
        }
        assertNotNull(jdbcUrl);
    }

    @Test
    void configurationIsValidated() {
        assertThrows(IllegalArgumentException.class,
                () -> new BankConfig("d", "jdbc:mysql://x/y", null, null, 0, null, 10, 5000));
        assertThrows(IllegalArgumentException.class,
                () -> new BankConfig("d", null, "user", null, 0, null, 10, 5000));
        BankConfig ok = new BankConfig("d", " ", "", null, 0, null, 10, 5000);
        assertTrue(ok.embedded());
        assertEquals(Path.of("d").toAbsolutePath().resolve("postgres"), ok.embeddedPostgresDir());
        assertFalse(new BankConfig("d", "jdbc:postgresql://h/db", "u", "secret", 0, null, 10, 5000).toString().contains("secret"));

        Map<String, Object> bad = new HashMap<>(TestDataDir.embeddedProps(Path.of("target/never")));
        bad.put("bank.database-pool-size", 1);
        assertThrows(RuntimeException.class, () -> ApplicationContext.run(EmbeddedServer.class, bad).close(),
                "pool size below the validated minimum fails the start");
    }
}
