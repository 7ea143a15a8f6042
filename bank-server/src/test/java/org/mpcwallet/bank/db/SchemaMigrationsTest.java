package org.mpcwallet.bank.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.config.BankConfig;
import org.mpcwallet.bank.mpc.MpcTestDatabase;
import org.mpcwallet.signer.SignerAssembly;
import org.mpcwallet.signer.testing.SchemaDump;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The bank's database after issue 11 item 5, when the signer's tables moved to bank-signer's own migrations: a fresh
 * database, a database as main's code left it before (its history holding the bank's V3, V10, V11, V12, V14, built
 * here from byte-identical copies of those files), one left at an older version, and a database a remote signer
 * migrated first all end in the same schema, with the bank's history still validating. Each case is its own database
 * on the shared embedded server.
 */
class SchemaMigrationsTest {
    private static final String BEFORE = "classpath:db/bank-signer-tables-before-issue-11";
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static final class Reference {
        static final List<String> SCHEMA = referenceSchema();

        private static List<String> referenceSchema() {
            try (Database db = open(newDatabase("reference"))) {
                return dump(db.dataSource());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A new empty database on the shared embedded server; its JDBC URL. */
    private static String newDatabase(String label) {
        String name = "schema_" + label + "_" + SEQ.incrementAndGet();
        try {
            MpcTestDatabase.sql(MpcTestDatabase.shared(), "create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        String url = MpcTestDatabase.shared().jdbcUrl();
        return url.substring(0, url.lastIndexOf('/') + 1) + name;
    }

    private static DataSource plain(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser("postgres");
        ds.setPassword(MpcTestDatabase.password(MpcTestDatabase.shared()));
        return ds;
    }

    /** Today's code opening {@code url} as bank-server does (DATABASE_URL), with the smallest pool allowed (2). */
    private static Database open(String url) {
        return Database.open(new BankConfig(TestDataDir.create("schema-").toString(), url, "postgres",
                MpcTestDatabase.password(MpcTestDatabase.shared()), 0, TestDataDir.BINARIES, 2, 5_000));
    }

    /** Main's migrations before item 5: today's db/migration with the bank's former signer files. */
    private static Flyway mainBefore(DataSource ds, String target) {
        return Flyway.configure().dataSource(ds).locations(Migrations.LOCATION, BEFORE).target(target)
                .cleanDisabled(true).load();
    }

    /** Tables, columns, constraints and indexes of the public schema, history tables left out; sorted lines. */
    static List<String> dump(DataSource ds) throws SQLException {
        return SchemaDump.allButHistories(ds);
    }

    private static List<String> versions(DataSource ds, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select version from " + table + " where success order by installed_rank")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aFreshDatabaseGetsTheSignerTablesFromTheSignersMigrationsOnly() throws Exception {
        String url = newDatabase("fresh");
        try (Database db = open(url)) {
            List<String> bank = versions(db.dataSource(), "flyway_schema_history");
            for (String moved : List.of("3", "10", "11", "12", "14")) {
                assertFalse(bank.contains(moved), () -> "the bank's history: " + bank);
            }
            assertTrue(bank.containsAll(List.of("1", "2", "4", "13", "17")), bank::toString);
            assertEquals(List.of("0", "1", "2", "3", "4", "5"), versions(db.dataSource(), "signer_schema_history"));
            assertTrue(dump(db.dataSource()).contains("table keyset_share"));
            assertEquals(Reference.SCHEMA, dump(db.dataSource()));
        }
        try (Database again = open(url)) {
            assertEquals(0, again.migrationsAppliedAtStartup(), "nothing to apply on a restart");
        }
    }

    @Test
    void aDatabaseAsMainLeftItKeepsItsHistoryAndTheSignerAdoptsItsTables() throws Exception {
        String url = newDatabase("main");
        DataSource ds = plain(url);
        mainBefore(ds, "latest").migrate();
        List<String> before = versions(ds, "flyway_schema_history");
        assertTrue(before.containsAll(List.of("3", "10", "11", "12", "14", "17")), before::toString);
        sql(url, "insert into keyset_share (keyset_id, epoch, blob) values ('ks-main', 4, "
                + "'\\x01'::bytea)");

        try (Database db = open(url)) {
            assertEquals(0, db.migrationsAppliedAtStartup(), "adopted, nothing to create");
            assertEquals(before, versions(db.dataSource(), "flyway_schema_history"), "the bank's history is kept");
            assertEquals(List.of("5"), versions(db.dataSource(), "signer_schema_history"), "baseline at V5");
            assertEquals(Reference.SCHEMA, dump(db.dataSource()));
            assertEquals(List.of("4"), column(db.dataSource(), "select epoch from keyset_share where keyset_id = "
                    + "'ks-main'"), "the data stays");
        }
        // main's own Flyway still validates the same database (e.g. an older instance during a rolling upgrade)
        mainBefore(ds, "latest").validate();
    }

    @Test
    void aDatabaseLeftAtAnOlderVersionGetsTheRestFromBothSides() throws Exception {
        for (String target : List.of("3", "9", "11", "13")) {
            String url = newDatabase("v" + target);
            mainBefore(plain(url), target).migrate();
            try (Database db = open(url)) {
                assertEquals(Reference.SCHEMA, dump(db.dataSource()), "from main at V" + target);
                List<String> bank = versions(db.dataSource(), "flyway_schema_history");
                assertTrue(bank.contains("3") && !bank.contains("14"), bank::toString);
            }
        }
    }

    @Test
    void aDatabaseTheRemoteSignerMigratedFirstGetsTheBanksTablesToo() throws Exception {
        String url = newDatabase("signer_first");
        SignerAssembly.Migrated m = SignerAssembly.migrate(plain(url));
        assertEquals(5, m.applied());
        try (Database db = open(url)) {
            assertEquals(List.of("0", "1", "2", "3", "4", "5"), versions(db.dataSource(), "signer_schema_history"));
            assertEquals("0", versions(db.dataSource(), "flyway_schema_history").get(0), "the bank's baseline at 0");
            assertEquals(Reference.SCHEMA, dump(db.dataSource()));
        }
    }

    @Test
    void aRecordedMigrationThisBuildDoesNotKnowStillFailsTheStart() throws Exception {
        String url = newDatabase("unknown");
        mainBefore(plain(url), "latest").migrate();
        sql(url, "update flyway_schema_history set checksum = checksum + 1 "
                + "where version = '10'");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(url).close());
        assertTrue(e.getMessage().contains("migration 10 (V10__signer_ring_pedersen.sql"), e.getMessage());

        String url2 = newDatabase("unknown");
        mainBefore(plain(url2), "latest").migrate();
        sql(url2, "insert into flyway_schema_history (installed_rank, version, description,"
                + " type, script, checksum, installed_by, execution_time, success) values (100, '4.5', 'lost', 'SQL',"
                + " 'V4_5__lost.sql', 1, 'postgres', 0, true)");
        IllegalStateException lost = assertThrows(IllegalStateException.class, () -> open(url2).close());
        assertTrue(lost.getMessage().contains("migration 4.5 (V4_5__lost.sql"), lost.getMessage());
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection c = plain(url).getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static List<String> column(DataSource ds, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
