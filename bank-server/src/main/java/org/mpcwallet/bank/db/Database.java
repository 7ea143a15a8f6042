package org.mpcwallet.bank.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.mpcwallet.bank.config.BankConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank's PostgreSQL: the one named by DATABASE_URL, or an embedded real PostgreSQL whose data directory is kept
 * across restarts, private to the bank's OS user and password-protected ({@link PrivateEmbeddedPostgres}). Opening it
 * migrates the schema with Flyway ({@link Migrations}: the bank's {@code classpath:db/migration}, then the signer's
 * own migrations); closing it closes the pool and stops the embedded server.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final EmbeddedPostgres embedded; // null for an external database
    private final Path embeddedDir;           // null for an external database
    private final Path passwordFile;          // null for an external database
    private final String jdbcUrl;
    private final String user;
    private final int migrationsApplied;

    private Database(HikariDataSource dataSource, EmbeddedPostgres embedded, Path embeddedDir, Path passwordFile,
                     String jdbcUrl, String user, int migrationsApplied) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.embeddedDir = embeddedDir;
        this.passwordFile = passwordFile;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.migrationsApplied = migrationsApplied;
    }

    /** Connects (starting the embedded server when no DATABASE_URL is configured) and migrates the schema. */
    /** Whether the database answers {@code select 1} within {@code timeoutSeconds} (a health check). */
    public static boolean answers(DataSource dataSource, int timeoutSeconds) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = s.executeQuery("select 1")) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    public static Database open(BankConfig config) {
        EmbeddedPostgres pg = null;
        HikariDataSource ds = null;
        try {
            String url;
            String user;
            String password;
            Path dir = null;
            Path passwordFile = null;
            if (config.embedded()) {
                dir = config.embeddedPostgresDir();
                PrivateEmbeddedPostgres.Layout layout =
                        PrivateEmbeddedPostgres.prepare(dir, config.embeddedPostgresBinariesDir());
                boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
                stopOrphan(dir);
                long t0 = System.nanoTime();
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(false)
                        .setOverrideWorkingDirectory(PrivateEmbeddedPostgres.zonkyWorkingDirectory(layout).toFile())
                        .setPgBinaryResolver(PrivateEmbeddedPostgres.resolverFor(layout))
                        .setDataDirectoryCustomizer(d -> PrivateEmbeddedPostgres.secureDataDirectory(layout))
                        .setConnectConfig("password", layout.password())
                        .setServerConfig("listen_addresses", "localhost")
                        .setPGStartupWait(Duration.ofSeconds(60));
                if (config.embeddedPostgresPort() != 0) {
                    builder.setPort(config.embeddedPostgresPort());
                }
                pg = builder.start();
                LOG.info("Embedded PostgreSQL {} in {} ms ({}), data directory {}",
                        fresh ? "initialised and started" : "started", (System.nanoTime() - t0) / 1_000_000,
                        "port " + pg.getPort(), dir);
                url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
                user = "postgres";
                password = layout.password();
                passwordFile = layout.passwordFile();
            } else {
                url = config.databaseUrl();
                user = config.databaseUser();
                password = config.databasePassword();
            }
            HikariConfig hc = new HikariConfig();
            hc.setPoolName("bank");
            hc.setJdbcUrl(url);
            if (user != null) {
                hc.setUsername(user);
            }
            if (password != null) {
                hc.setPassword(password);
            }
            hc.setMaximumPoolSize(config.databasePoolSize());
            hc.setConnectionTimeout(config.databaseConnectTimeoutMillis());
            hc.setValidationTimeout(Math.min(3_000, config.databaseConnectTimeoutMillis()));
            ds = new HikariDataSource(hc);
            int applied = Migrations.migrate(ds);
            return new Database(ds, pg, dir, passwordFile, withoutQuery(url), user, applied);
        } catch (IOException e) {
            closeQuietly(ds, pg);
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        } catch (RuntimeException e) {
            closeQuietly(ds, pg);
            throw e;
        }
    }

    /**
     * A bank process killed with SIGKILL leaves its embedded PostgreSQL running on the data directory (the postmaster
     * is a child that outlives it), and a new one could not start there. If {@code postmaster.pid} names a live
     * postgres process, it is asked to shut down (SIGTERM) and awaited, so the restart gets the same data back.
     */
    static void stopOrphan(Path dir) {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        } catch (IOException | RuntimeException e) {
            return; // unreadable: leave it to PostgreSQL, which checks its own lock file
        }
        java.util.Optional<ProcessHandle> ph = ProcessHandle.of(pid);
        if (ph.isEmpty() || !ph.get().isAlive()
                || !ph.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
            return;
        }
        LOG.warn("Embedded PostgreSQL: a server left running by an earlier process (pid {}) holds {}; stopping it",
                pid, dir);
        ph.get().destroy();
        try {
            ph.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the PostgreSQL left running on " + dir + " (pid " + pid
                    + ") did not stop within 60 s; stop it and start again");
        }
    }

    /** Drops the query part of a JDBC URL, where a password may hide ({@code ?password=...}). */
    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?(parameters not shown)";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** The JDBC URL without credentials. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The embedded server's data directory, or null for an external database. */
    public Path embeddedDataDirectory() {
        return embeddedDir;
    }

    public int migrationsAppliedAtStartup() {
        return migrationsApplied;
    }

    /** How an operator connects, for the startup log; never contains a password. */
    public String connectHint() {
        if (embedded != null) {
            return "JDBC " + jdbcUrl + " (user postgres, password in " + passwordFile + ", localhost only); "
                    + "PGPASSWORD=\"$(cat " + passwordFile + ")\" psql -h localhost -p " + embedded.getPort()
                    + " -U postgres postgres";
        }
        return "JDBC " + jdbcUrl + (user == null ? "" : " (user " + user + ")");
    }

    @Override
    public void close() {
        closeQuietly(dataSource, embedded);
    }

    private static void closeQuietly(HikariDataSource ds, EmbeddedPostgres pg) {
        if (ds != null) {
            ds.close();
        }
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Stopping the embedded PostgreSQL failed: {}", e.toString());
            }
        }
    }
}
