package org.mpcwallet.bank.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.config.BankConfig;

/**
 * Issue 10 §3, the attack "the default database is open to every local user": the embedded PostgreSQL asks every
 * connection for a generated password that only the bank's OS user can read, its binaries live in a private
 * directory, and the bank refuses to start on directories another user could alter. Where the test runs as root
 * (CI), "another user" is a real one: {@code nobody}, through {@code runuser}.
 */
class EmbeddedDatabaseSafetyTest {
    private static final boolean ROOT = PrivateEmbeddedPostgres.currentUid() == 0;

    @Test
    void theDefaultDatabaseWantsItsPasswordAndKeepsItsFilesPrivate() throws Exception {
        Path dir = TestDataDir.create("safe-");
        try (Database db = Database.open(config(dir, null))) { // the default binaries location, <data dir>/pg-bin
            String url = db.jdbcUrl();
            Path passwordFile = dir.resolve("postgres-password");
            String password = Files.readString(passwordFile).strip();

            assertEquals("rwx------", mode(dir), "the bank's data directory");
            assertEquals("rwx------", mode(dir.resolve("pg-bin")), "the binaries directory");
            assertEquals("rw-------", mode(passwordFile), "the password file");
            assertEquals("rwx------", mode(dir.resolve("postgres")), "PostgreSQL's data directory");
            assertTrue(Files.exists(dir.resolve("pg-bin/unpacked")), "the binaries unpacked into the private directory");
            String hba = Files.readString(dir.resolve("postgres/pg_hba.conf"));
            assertTrue(hba.startsWith(PrivateEmbeddedPostgres.HBA_MARKER), hba);
            assertFalse(hba.contains("trust"), hba);

            SQLException none = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", ""));
            assertTrue(none.getMessage().contains("password"), none.getMessage());
            SQLException wrong = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url, "postgres", "not-the-password"));
            assertTrue(wrong.getMessage().contains("password authentication failed"), wrong.getMessage());
            try (Connection c = DriverManager.getConnection(url, "postgres", password); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select rolpassword like 'SCRAM-SHA-256$%' from pg_authid "
                         + "where rolname = 'postgres'")) {
                assertTrue(rs.next());
                assertTrue(rs.getBoolean(1), "the password is stored as a SCRAM verifier");
            }
            assertFalse(db.connectHint().contains(password), "the startup log's hint names the file, not the password");

            int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/.*", "$1"));
            Run psql = asAnotherUser("psql", "-h", "localhost", "-p", Integer.toString(port), "-U", "postgres", "-w",
                    "-c", "select count(*) from pg_authid", "postgres");
            assertNotEquals(0, psql.exit, psql.output);
            assertTrue(psql.output.contains("no password supplied"), psql.output);
            if (ROOT) {
                Run read = asAnotherUser("cat", passwordFile.toString());
                assertNotEquals(0, read.exit, "another user read the password file");
                assertTrue(read.output.contains("Permission denied"), read.output);
                assertFalse(read.output.contains(password));
                Run list = asAnotherUser("ls", dir.resolve("pg-bin/unpacked").toString());
                assertNotEquals(0, list.exit, "another user entered the binaries directory: " + list.output);
                Run write = asAnotherUser("touch", dir.resolve("pg-bin/unpacked/swapped").toString());
                assertNotEquals(0, write.exit, "another user wrote into the binaries directory");
            }
        }
    }

    @Test
    void directoriesAnotherUserCouldAlterAreRefusedAtStart() throws Exception {
        Path dir = TestDataDir.create("unsafe-");
        Path bin = dir.resolve("own-bin");
        Files.createDirectories(bin);

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        PrivateEmbeddedPostgres.UnsafeDatabaseDirectory open = assertThrows(
                PrivateEmbeddedPostgres.UnsafeDatabaseDirectory.class, () -> Database.open(config(dir, bin)));
        assertTrue(open.getMessage().contains("can be written by other users (rwxrwxrwx)"), open.getMessage());
        assertFalse(Files.exists(dir.resolve("postgres")), "nothing started");

        // readable only: tightened to 700 (a warning), and the start goes on
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxrwxrwx"));
        PrivateEmbeddedPostgres.UnsafeDatabaseDirectory binaries = assertThrows(
                PrivateEmbeddedPostgres.UnsafeDatabaseDirectory.class, () -> Database.open(config(dir, bin)));
        assertTrue(binaries.getMessage().startsWith(bin + " can be written by other users"), binaries.getMessage());
        assertEquals("rwx------", mode(dir));

        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));
        Path passwordFile = dir.resolve("postgres-password");
        Files.writeString(passwordFile, "0123456789abcdef0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));
        PrivateEmbeddedPostgres.UnsafeDatabaseDirectory readable = assertThrows(
                PrivateEmbeddedPostgres.UnsafeDatabaseDirectory.class, () -> Database.open(config(dir, bin)));
        assertTrue(readable.getMessage().contains("can be read by other users (rw-r--r--)"), readable.getMessage());
        assertFalse(readable.getMessage().contains("0123456789abcdef"), "the message never shows the password");
        Files.delete(passwordFile);

        if (ROOT) {
            Run chown = run(List.of("chown", "nobody", bin.toString()));
            assertEquals(0, chown.exit, chown.output);
            PrivateEmbeddedPostgres.UnsafeDatabaseDirectory foreign = assertThrows(
                    PrivateEmbeddedPostgres.UnsafeDatabaseDirectory.class, () -> Database.open(config(dir, bin)));
            assertTrue(foreign.getMessage().contains("belongs to another user"), foreign.getMessage());
            assertEquals(0, run(List.of("chown", "root", bin.toString())).exit);
        }
        Path link = dir.resolve("linked-bin");
        Files.createSymbolicLink(link, bin);
        PrivateEmbeddedPostgres.UnsafeDatabaseDirectory symlink = assertThrows(
                PrivateEmbeddedPostgres.UnsafeDatabaseDirectory.class, () -> Database.open(config(dir, link)));
        assertTrue(symlink.getMessage().contains("is a symbolic link"), symlink.getMessage());

        try (Database db = Database.open(config(dir, bin))) { // all private now: it starts
            assertTrue(db.isEmbedded());
            assertEquals("rw-------", mode(passwordFile));
        }
    }

    /** A data directory of an earlier version, which trusted every local connection, is converted at its next start. */
    @Test
    void aDataDirectoryThatTrustedLocalConnectionsIsConvertedBeforeTheServerListens() throws Exception {
        Path dir = TestDataDir.create("legacy-");
        try (EmbeddedPostgres legacy = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "localhost").start();
             Connection c = legacy.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema legacy");
            s.execute("create table legacy.kept (v text)");
            s.execute("insert into legacy.kept values ('from before')");
        }
        assertTrue(Files.readString(dir.resolve("postgres/pg_hba.conf")).contains("trust"));

        try (Database db = Database.open(config(dir, Path.of(TestDataDir.BINARIES)))) {
            String hba = Files.readString(dir.resolve("postgres/pg_hba.conf"));
            assertFalse(hba.contains("trust"), hba);
            assertThrows(SQLException.class, () -> DriverManager.getConnection(db.jdbcUrl(), "postgres", ""));
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select v from legacy.kept")) {
                assertTrue(rs.next());
                assertEquals("from before", rs.getString(1));
            }
        }
        // a lost password file: a new password is generated and set at the next start
        Files.delete(dir.resolve("postgres-password"));
        try (Database db = Database.open(config(dir, Path.of(TestDataDir.BINARIES)))) {
            String fresh = Files.readString(dir.resolve("postgres-password")).strip();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", fresh)) {
                assertTrue(c.isValid(5));
            }
        }
    }

    private static BankConfig config(Path dir, Path binaries) {
        return new BankConfig(dir.toString(), null, null, null, 0, binaries == null ? null : binaries.toString(), 4,
                5_000);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    private record Run(int exit, String output) {
    }

    /** {@code command} as the OS user {@code nobody} when this test runs as root, else as this user. */
    private static Run asAnotherUser(String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (ROOT) {
            cmd.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        cmd.addAll(List.of(command));
        return run(cmd);
    }

    private static Run run(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(Path.of("/").toFile());
        pb.environment().remove("PGPASSWORD");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not finish: " + cmd);
        return new Run(p.exitValue(), out);
    }
}
