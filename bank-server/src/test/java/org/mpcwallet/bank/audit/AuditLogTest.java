package org.mpcwallet.bank.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.domain.AuditChain;
import org.mpcwallet.bank.audit.domain.AuditEvent;
import org.mpcwallet.bank.audit.domain.Hash;

/**
 * The audit log against the real (embedded) PostgreSQL: chaining, concurrent writers, tampering by a superuser who
 * disables the append-only trigger, and the trigger itself.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditLogTest implements TestPropertyProvider {

    @Inject
    AuditLog auditLog;

    @Inject
    DataSource dataSource;

    @Inject
    io.micronaut.context.ApplicationContext context;

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new java.util.HashMap<>();
        p.putAll(TestDataDir.embeddedPropsAsStrings("audit-"));
        p.put("bank.database-pool-size", "12");
        return p;
    }

    /** Each test starts from an empty chain (a superuser reset with the triggers disabled). */
    @BeforeEach
    void emptyChain() throws SQLException {
        sql("alter table audit_event disable trigger user",
                "alter table audit_head disable trigger user",
                "delete from audit_event",
                "update audit_head set seq = 0, hash = decode(repeat('00', 32), 'hex')",
                "alter table audit_event enable trigger user",
                "alter table audit_head enable trigger user");
    }

    @Test
    void appendedEventsFormAChainThatVerifies() throws SQLException {
        List<AuditEvent> appended = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            appended.add(auditLog.append("user-" + (i % 3), "TEST_EVENT", "{\"i\":" + i + ",\"note\":\"żółw €\"}"));
        }
        assertEquals(Hash.ZERO, appended.get(0).prevHash(), "genesis prev_hash is 32 zero bytes");
        for (int i = 0; i < appended.size(); i++) {
            AuditEvent e = appended.get(i);
            assertEquals(i + 1, e.seq());
            assertEquals(AuditChain.recompute(e), e.hash());
            if (i > 0) {
                assertEquals(appended.get(i - 1).hash(), e.prevHash());
            }
        }
        // stored exactly as hashed
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select payload, hash from audit_event where seq = 7")) {
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(appended.get(6).payload(), rs.getString(1));
                assertArrayEquals(appended.get(6).hash().toBytes(), rs.getBytes(2));
            }
        }
        Map<String, Object> v = verify();
        assertEquals(Boolean.TRUE, v.get("ok"));
        assertEquals(20, ((Number) v.get("count")).intValue());
        assertTrue(v.containsKey("firstBrokenSeq") && v.containsKey("reason"), "null fields are present");
        assertNull(v.get("firstBrokenSeq"));
        assertNull(v.get("reason"));
    }

    @Test
    void emptyChainVerifies() {
        Map<String, Object> v = verify();
        assertEquals(Boolean.TRUE, v.get("ok"));
        assertEquals(0, ((Number) v.get("count")).intValue());
    }

    @Test
    void concurrentWritersMakeOneGaplessChain() throws Exception {
        int writers = 8;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) {
                    auditLog.append("writer-" + writer, "CONCURRENT_EVENT", "{\"w\":" + writer + ",\"i\":" + i + "}");
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(distinct seq), min(seq), max(seq),"
                     + " count(distinct prev_hash) from audit_event")) {
            assertTrue(rs.next());
            assertEquals(200, rs.getLong(1));
            assertEquals(200, rs.getLong(2));
            assertEquals(1, rs.getLong(3));
            assertEquals(200, rs.getLong(4), "seq 1..200 without gaps");
            assertEquals(200, rs.getLong(5), "no two events share a predecessor: no fork");
        }
        Map<String, Object> v = verify();
        assertEquals(Boolean.TRUE, v.get("ok"), () -> "verify: " + v);
        assertEquals(200, ((Number) v.get("count")).intValue());
    }

    @Test
    void editedPayloadIsDetected() throws SQLException {
        appendEvents(10);
        tamper("update audit_event set payload = '{\"i\":999}' where seq = 6");
        assertBroken(6, 5, "hash does not match");
    }

    @Test
    void editedActorTimeOrTypeIsDetected() throws SQLException {
        appendEvents(10);
        tamper("update audit_event set occurred_at = occurred_at + interval '1 microsecond' where seq = 3");
        assertBroken(3, 2, "hash does not match");
    }

    @Test
    void deletedRowIsDetected() throws SQLException {
        appendEvents(10);
        tamper("delete from audit_event where seq = 4");
        assertBroken(4, 3, "event 4 is missing");
    }

    @Test
    void deletedTailIsDetectedThroughTheHead() throws SQLException {
        appendEvents(10);
        tamper("delete from audit_event where seq >= 9");
        assertBroken(9, 8, "events 9..10 are missing");
    }

    @Test
    void swappedRowContentsAreDetected() throws SQLException {
        appendEvents(10);
        // swap every column but seq between events 3 and 7
        tamper("""
                update audit_event a set occurred_at = b.occurred_at, actor = b.actor, type = b.type,
                       payload = b.payload, prev_hash = b.prev_hash, hash = b.hash
                  from (select * from audit_event where seq in (3, 7)) b
                 where a.seq in (3, 7) and b.seq = 10 - a.seq""");
        assertBroken(3, 2, "prev_hash does not match the hash of event 2");
    }

    @Test
    void swappedPayloadsAreDetected() throws SQLException {
        appendEvents(10);
        tamper("""
                update audit_event a set payload = b.payload
                  from (select seq, payload from audit_event where seq in (2, 5)) b
                 where a.seq in (2, 5) and b.seq = 7 - a.seq""");
        assertBroken(2, 1, "hash does not match");
    }

    @Test
    void reorderedRowsAreDetected() throws SQLException {
        appendEvents(10);
        // renumber: 5 -> 8 and 8 -> 5 (through a free number)
        tamper("update audit_event set seq = 1000005 where seq = 5",
                "update audit_event set seq = 5 where seq = 8",
                "update audit_event set seq = 8 where seq = 1000005");
        assertBroken(5, 4, "prev_hash does not match the hash of event 4");
    }

    @Test
    void malformedRowIsReportedWithItsSeq() throws SQLException {
        appendEvents(5);
        // a superuser bypasses the length check too; the constraint is restored afterwards
        tamper("alter table audit_event drop constraint audit_event_hash_check",
                "update audit_event set hash = '\\x0102' where seq = 4");
        try {
            assertBroken(4, 3, "event 4 is malformed");
        } finally {
            sql("alter table audit_event disable trigger user",
                    "delete from audit_event where octet_length(hash) <> 32",
                    "alter table audit_event enable trigger user",
                    "alter table audit_event add constraint audit_event_hash_check check (octet_length(hash) = 32)");
        }
    }

    @Test
    void updateDeleteAndTruncateAreRejectedWhileTheTriggerIsEnabled() throws SQLException {
        appendEvents(3);
        for (String stmt : List.of(
                "update audit_event set payload = '{}' where seq = 2",
                "delete from audit_event where seq = 3",
                "truncate audit_event",
                "delete from audit_head",
                "update audit_head set seq = 1",
                // a forged event that does not extend the head
                "insert into audit_event values (9, now(), 'x', 'FORGED', '{}', decode(repeat('00', 32), 'hex'),"
                        + " decode(repeat('11', 32), 'hex'))")) {
            SQLException e = assertThrows(SQLException.class, () -> sql(stmt), stmt);
            assertFalse(e.getMessage().isEmpty());
        }
        assertEquals(Boolean.TRUE, verify().get("ok"));
        assertEquals(3, ((Number) verify().get("count")).intValue());
    }

    @Test
    void invalidAppendsAreRefusedAndWriteNothing() {
        assertThrows(IllegalArgumentException.class, () -> auditLog.append("", "TEST_EVENT", "{}"));
        assertThrows(IllegalArgumentException.class, () -> auditLog.append("a", "lower_case", "{}"));
        assertThrows(IllegalArgumentException.class, () -> auditLog.append("a", "TEST_EVENT", "{not json"));
        assertThrows(IllegalArgumentException.class, () -> auditLog.append("a\uD800", "TEST_EVENT", "{}"));
        assertEquals(0, ((Number) verify().get("count")).intValue());
        assertEquals(1, auditLog.append("a", "TEST_EVENT", "{}").seq());
    }

    private void appendEvents(int n) {
        for (int i = 0; i < n; i++) {
            auditLog.append("tester", "TEST_EVENT", "{\"i\":" + i + "}");
        }
        assertEquals(Boolean.TRUE, verify().get("ok"));
    }

    private void assertBroken(long seq, long count, String reasonPart) {
        Map<String, Object> v = verify();
        assertEquals(Boolean.FALSE, v.get("ok"), () -> "verify: " + v);
        assertEquals(seq, ((Number) v.get("firstBrokenSeq")).longValue(), () -> "verify: " + v);
        assertEquals(count, ((Number) v.get("count")).longValue(), () -> "verify: " + v);
        assertTrue(((String) v.get("reason")).contains(reasonPart), () -> "verify: " + v);
    }

    /** Runs statements as the superuser with the append-only trigger disabled, as an attacker with DBA rights would. */
    private void tamper(String... statements) throws SQLException {
        List<String> all = new ArrayList<>();
        all.add("alter table audit_event disable trigger audit_event_append_only");
        all.addAll(List.of(statements));
        all.add("alter table audit_event enable trigger audit_event_append_only");
        sql(all.toArray(String[]::new));
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                for (String stmt : statements) {
                    s.execute(stmt);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> verify() {
        HttpResponse<Map> r = http.toBlocking().exchange(HttpRequest.GET("/v1/audit/verify")
                .header("Authorization", org.mpcwallet.bank.TestTokens.bearer(context, "COMPLIANCE")), Map.class);
        assertEquals(200, r.code());
        return r.body();
    }
}
