package org.mpcwallet.signer.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.mpcwallet.signer.SignerAssembly;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL 17 (zonky embedded, started once per test JVM) for the signer's storage tests. {@link #shared()}
 * is a database migrated by {@link SignerAssembly#migrate} that tests share with distinct keyset ids;
 * {@link #fresh(String)} is a new empty database of the same server, for tests of the migrations themselves.
 */
public final class SignerTestDatabase {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private SignerTestDatabase() {
    }

    private static final class Server {
        static final EmbeddedPostgres PG = start(null);
        static final DataSource SHARED = migrated();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(PG)));
        }

        private static DataSource migrated() {
            DataSource ds = fresh("shared");
            SignerAssembly.migrate(ds);
            return ds;
        }
    }

    /** The shared database, with the signer's schema. */
    public static DataSource shared() {
        return Server.SHARED;
    }

    /** A new empty database on the shared server (no signer tables). */
    public static DataSource fresh(String label) {
        String name = "t_" + label.replaceAll("[^a-z0-9_]", "_") + "_" + SEQ.incrementAndGet();
        try (Connection c = Server.PG.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("creating database " + name + " failed", e);
        }
        return dataSource(Server.PG.getPort(), name);
    }

    /** A data source on {@code database} at {@code port} of a local embedded server (user postgres). */
    public static PGSimpleDataSource dataSource(int port, String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://localhost:" + port + "/" + database);
        ds.setUser("postgres");
        return ds;
    }

    /** Starts an embedded PostgreSQL 17; on {@code dataDir} kept across restarts when given, else a throw-away one. */
    public static EmbeddedPostgres start(Path dataDir) {
        try {
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "localhost")
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (dataDir != null) {
                b.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            return b.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting the embedded PostgreSQL failed", e);
        }
    }

    public static void close(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sql(DataSource ds, String... statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String stmt : statements) {
                s.execute(stmt);
            }
        }
    }
}
