package org.mpcwallet.bank.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.config.BankConfig;

/**
 * After a SIGKILL the bank's embedded PostgreSQL keeps running on the data directory; the next start stops that
 * orphan and starts on the same data, whatever port it picks.
 */
class OrphanPostgresTest {
    @Test
    void aPostgresLeftRunningOnTheDataDirectoryIsStoppedAndTheDataKept() throws Exception {
        Path dir = TestDataDir.create("orphan-");
        EmbeddedPostgres orphan = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "localhost").start();
        try (Connection c = orphan.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema crash");
            s.execute("create table crash.kept (v text)");
            s.execute("insert into crash.kept values ('before the crash')");
        }
        long pid = Long.parseLong(Files.readAllLines(dir.resolve("postgres/postmaster.pid")).get(0).strip());
        // the process that started it "dies": its file lock on the data directory goes (as the OS releases a killed
        // process's locks); the PostgreSQL server itself keeps running, as after a SIGKILL of the bank
        java.lang.reflect.Field lock = EmbeddedPostgres.class.getDeclaredField("lock");
        lock.setAccessible(true);
        ((java.nio.channels.FileLock) lock.get(orphan)).release();
        java.lang.reflect.Field stream = EmbeddedPostgres.class.getDeclaredField("lockStream");
        stream.setAccessible(true);
        ((java.io.FileOutputStream) stream.get(orphan)).close();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        try (Database db = Database.open(new BankConfig(dir.toString(), null, null, null, 0, TestDataDir.BINARIES, 4, 5_000))) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the orphan was stopped");
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select v from crash.kept")) {
                assertTrue(rs.next());
                assertEquals("before the crash", rs.getString(1));
            }
        } finally {
            try {
                orphan.close();
            } catch (Exception ignored) {
                // already stopped by the bank
            }
        }
    }
}
