package org.mpcwallet.bank.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.mpcwallet.signer.SignerAssembly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema of the bank's database (docs/bank-server.md "Database", docs/operations.md "Database migrations"): the
 * bank's own migrations ({@code classpath:db/migration}, history {@code flyway_schema_history}), then the signer's
 * ({@link SignerAssembly#migrate}: {@code classpath:db/signer}, history {@code signer_schema_history}). bank-server
 * applies the signer's migrations whether the signer runs in-process (they are its storage) or remotely (bank-server
 * still reads {@code keyset_lock} and {@code keyset_share} of its own database, as before issue 11).
 *
 * <p>Until issue 11 the signer's tables came from the bank's V3, V10, V11, V12 and V14; those files moved to
 * bank-signer unchanged. A database migrated before keeps their rows in {@code flyway_schema_history}: Flyway is told
 * to accept applied migrations it no longer finds, and {@link #checkOnlyMovedAreMissing} refuses any other (a version,
 * script or checksum it does not know), so validation stays as strict as before. A database whose signer tables were
 * created first (a remote signer on a shared, empty database) has no bank history yet: the bank's history then starts
 * with a baseline at 0 and every bank migration runs.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    static final String LOCATION = "classpath:db/migration";

    /** The bank's migrations that moved to bank-signer (as its V1..V5): version, script and Flyway checksum. */
    static final Map<String, Moved> MOVED_TO_SIGNER = Map.of(
            "3", new Moved("V3__mpc_storage.sql", -1676367301),
            "10", new Moved("V10__signer_ring_pedersen.sql", 171873046),
            "11", new Moved("V11__signer_decryption_marker.sql", -1414142567),
            "12", new Moved("V12__signer_sweep.sql", -1984796818),
            "14", new Moved("V14__presignature_ledger.sql", 1713283679));

    record Moved(String script, int checksum) {
    }

    private Migrations() {
    }

    /** Applies the bank's and the signer's migrations; returns how many ran now (both together). */
    static int migrate(DataSource dataSource) {
        Flyway bank = configure(dataSource, bankHistoryMissingBesideSigner(dataSource)).load();
        checkOnlyMovedAreMissing(bank.info().all());
        MigrateResult result = bank.migrate();
        SignerAssembly.Migrated signer = SignerAssembly.migrate(dataSource);
        LOG.info("Flyway: schema at version {} ({} migration(s) applied now); signer schema at version {} ({} applied"
                        + " now{})",
                result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion,
                result.migrationsExecuted, signer.version(), signer.applied(),
                signer.baselineVersion() == null || signer.baselineVersion() == 0 ? ""
                        : ", its tables adopted from the bank's history at " + signer.baselineVersion());
        return result.migrationsExecuted + signer.applied();
    }

    static FluentConfiguration configure(DataSource dataSource, boolean baselineAtZero) {
        FluentConfiguration c = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .ignoreMigrationPatterns("*:future", "versioned:missing")
                .cleanDisabled(true);
        if (baselineAtZero) {
            c.baselineOnMigrate(true).baselineVersion("0").baselineDescription("bank schema, after the signer tables");
        }
        return c;
    }

    /**
     * Applied migrations no longer on the classpath are accepted only if they are the moved ones, recorded with their
     * script and checksum as they were (what Flyway's validation checked before the move).
     */
    static void checkOnlyMovedAreMissing(MigrationInfo[] infos) {
        for (MigrationInfo i : infos) {
            if (i.getState() != MigrationState.MISSING_SUCCESS && i.getState() != MigrationState.MISSING_FAILED) {
                continue;
            }
            String version = i.getVersion() == null ? "(repeatable)" : i.getVersion().getVersion();
            Moved moved = MOVED_TO_SIGNER.get(version);
            if (moved == null || i.getState() == MigrationState.MISSING_FAILED || !moved.script().equals(i.getScript())
                    || i.getChecksum() == null || i.getChecksum() != moved.checksum()) {
                throw new IllegalStateException("Flyway: the database records migration " + version + " ("
                        + i.getScript() + ", " + i.getState() + ") that this build does not have; only the signer's "
                        + "former migrations V3, V10, V11, V12 and V14 (now bank-signer's) may be missing "
                        + "(docs/operations.md \"Database migrations\")");
            }
        }
    }

    /** True when the database has the signer's history but not the bank's (the signer migrated it first). */
    private static boolean bankHistoryMissingBesideSigner(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return !tableExists(c, "flyway_schema_history") && tableExists(c, "signer_schema_history");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's schema (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from information_schema.tables "
                + "where table_schema = current_schema() and table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
