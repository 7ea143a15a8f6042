package org.mpcwallet.signer.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.mpcwallet.signer.spi.PersistenceException;

/**
 * The signer's schema: Flyway migrations in {@code classpath:db/signer}, history in {@code signer_schema_history},
 * applied by whichever process runs the signer (docs/bank-signer.md "Storage and migrations"). Reached through
 * {@code SignerAssembly.migrate}.
 *
 * <p>Until issue 11 the same tables came from bank-server's migrations V3, V10, V11, V12 and V14, whose files were
 * moved here unchanged as V1 to V5. A database that has those tables but no {@code signer_schema_history} is adopted:
 * the history is started with a baseline at the last of V1..V5 whose objects are all present (checked in the
 * database's catalogue, so a database prepared by hand is adopted too), and the rest is applied. A database without
 * them gets a baseline at 0 (Flyway refuses to migrate a schema holding other tables, e.g. the bank's, without one)
 * and V1..V5. Every path ends in the same tables, columns, constraints and indexes.
 *
 * <p>Two processes starting together on one database: Flyway's own lock serialises the baseline and the migration;
 * the history is started (baseline) before any signer table is created, so whoever loses the race to start it finds
 * the history and follows it. No connection is held across Flyway's calls (a pool of two is enough).
 */
public final class SignerMigrations {
    public static final String LOCATION = "classpath:db/signer";
    public static final String HISTORY_TABLE = "signer_schema_history";
    /** The last version whose objects bank-server's history (V3..V14) may have created. */
    public static final int LAST_ADOPTABLE_VERSION = 5;

    /** What {@link #migrate} did: the baseline it started the history at (null: the history existed), what it applied. */
    public record Result(Integer baselineVersion, int applied, String version) {
    }

    private SignerMigrations() {
    }

    /**
     * Brings the signer's tables in the data source's current schema up to date.
     *
     * @throws PersistenceException if the database cannot be reached or a migration fails (SQLSTATE or Flyway's
     *                              error code only)
     */
    public static Result migrate(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource required");
        }
        try {
            Integer baseline = null;
            if (!historyExists(dataSource)) {
                int adoptable;
                try (Connection c = dataSource.getConnection()) {
                    adoptable = adoptableVersion(c);
                }
                try {
                    if (flyway(dataSource, adoptable).baseline().successfullyBaselined) {
                        baseline = adoptable;
                    }
                } catch (FlywayException e) {
                    if (!historyExists(dataSource)) {
                        throw e;
                    }
                    // another process started the history first (under Flyway's lock): its history decides
                }
            }
            MigrateResult r = flyway(dataSource, 0).migrate();
            return new Result(baseline, r.migrationsExecuted,
                    r.targetSchemaVersion != null ? r.targetSchemaVersion : r.initialSchemaVersion);
        } catch (SQLException e) {
            throw new PersistenceException("applying the signer's migrations failed (SQLSTATE " + e.getSQLState()
                    + ")");
        } catch (FlywayException e) {
            throw new PersistenceException("applying the signer's migrations failed (" + e.getClass().getSimpleName()
                    + (e.getErrorCode() == null ? "" : " " + e.getErrorCode()) + ")", e);
        }
    }

    private static boolean historyExists(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return relationExists(c, HISTORY_TABLE);
        }
    }

    private static Flyway flyway(DataSource dataSource, int baselineVersion) {
        return Flyway.configure(SignerMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .baselineVersion(Integer.toString(baselineVersion))
                // no quote in a description: Flyway puts it into the history table's creation script as it is
                .baselineDescription(baselineVersion == 0 ? "signer schema, empty"
                        : "signer tables adopted from bank-server migrations V3 to V14")
                .cleanDisabled(true)
                .load();
    }

    /**
     * The last of V1..V5 whose objects are all present, counting from V1 (0: none). V1: keyset_share, keyset_lock,
     * presignature, permit_nonce (bank-server V3); V2: signer_ring_pedersen (V10); V3: signer_decryption (V11); V4:
     * the sweep columns of keyset_lock (V12); V5: signer_presign_ledger and presignature.restore_epoch (V14).
     */
    static int adoptableVersion(Connection c) throws SQLException {
        boolean[] present = {
            relationExists(c, "keyset_share") && relationExists(c, "keyset_lock")
                    && relationExists(c, "presignature") && relationExists(c, "permit_nonce"),
            relationExists(c, "signer_ring_pedersen"),
            relationExists(c, "signer_decryption"),
            columnExists(c, "keyset_lock", "sweep_to") && columnExists(c, "keyset_lock", "sweeps_left")
                    && columnExists(c, "keyset_lock", "retired_at"),
            relationExists(c, "signer_presign_ledger") && columnExists(c, "presignature", "restore_epoch"),
        };
        int version = 0;
        while (version < present.length && present[version]) {
            version++;
        }
        return version;
    }

    private static boolean relationExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from information_schema.tables "
                + "where table_schema = current_schema() and table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean columnExists(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from information_schema.columns "
                + "where table_schema = current_schema() and table_name = ? and column_name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
