package org.mpcwallet.bank.mpc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.config.BankConfig;
import org.mpcwallet.bank.db.Database;

/**
 * The real embedded PostgreSQL (migrated by Flyway, as the server opens it) for the MPC storage tests, without a
 * Micronaut context. One per test JVM ({@link #shared()}, tests use distinct keyset ids) or one per caller
 * ({@link #open(Path)}, e.g. to stop and restart it on the same data directory).
 */
public final class MpcTestDatabase {
    private MpcTestDatabase() {
    }

    private static final class Holder {
        static final Database SHARED = open(TestDataDir.create("mpc-"));

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(SHARED::close));
        }
    }

    public static Database shared() {
        return Holder.SHARED;
    }

    public static Database open(Path dataDir) {
        return Database.open(new BankConfig(dataDir.toString(), null, null, null, 0, TestDataDir.BINARIES, 12, 5_000));
    }

    /** The password the bank generated for {@code db}'s embedded PostgreSQL ({@code <data dir>/postgres-password}). */
    public static String password(Database db) {
        try {
            return java.nio.file.Files.readString(db.embeddedDataDirectory().getParent().resolve("postgres-password"))
                    .strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void sql(Database db, String... statements) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String stmt : statements) {
                s.execute(stmt);
            }
        }
    }
}
