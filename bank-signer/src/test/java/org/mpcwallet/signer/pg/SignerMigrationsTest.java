package org.mpcwallet.signer.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.testing.Race;
import org.mpcwallet.signer.SignerAssembly;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.testing.SchemaDump;
import org.mpcwallet.signer.testing.SignerTestDatabase;

/**
 * The signer's own migrations (classpath:db/signer, history signer_schema_history) on a real PostgreSQL: a fresh
 * database, a database whose signer tables came from bank-server's migrations before issue 11 (whole or in part, with
 * or without other tables next to them), a second run, and processes starting together all end in the same schema.
 */
class SignerMigrationsTest {
    private static final String[] SCRIPTS = {"V1__mpc_storage.sql", "V2__signer_ring_pedersen.sql",
        "V3__signer_decryption_marker.sql", "V4__signer_sweep.sql", "V5__presignature_ledger.sql"};

    private static final class Reference {
        static final List<String> SCHEMA = referenceSchema();

        private static List<String> referenceSchema() {
            try {
                DataSource ds = SignerTestDatabase.fresh("reference");
                SignerAssembly.migrate(ds);
                return SchemaDump.of(ds);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The SQL of the signer's first {@code n} migrations, as bank-server's V3, V10, V11, V12, V14 ran it. */
    private static String[] bankEraScripts(int n) throws IOException {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            try (InputStream in = SignerMigrationsTest.class.getResourceAsStream("/db/signer/" + SCRIPTS[i])) {
                assertTrue(in != null, "missing migration " + SCRIPTS[i]);
                out[i] = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return out;
    }

    private static List<String> history(DataSource ds) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select version, type, success from signer_schema_history "
                     + "order by installed_rank")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3));
            }
        }
        return out;
    }

    @Test
    void aFreshDatabaseGetsEveryMigrationOnceAndASecondRunAppliesNothing() throws Exception {
        DataSource ds = SignerTestDatabase.fresh("fresh");
        SignerAssembly.Migrated first = SignerAssembly.migrate(ds);
        assertEquals(0, first.baselineVersion());
        assertEquals(5, first.applied());
        assertEquals("5", first.version());
        assertEquals(List.of("0 BASELINE true", "1 SQL true", "2 SQL true", "3 SQL true", "4 SQL true", "5 SQL true"),
                history(ds));
        assertEquals(List.of("ledger rows 1"), SchemaDump.of(ds).stream().filter(l -> l.startsWith("ledger")).toList());
        assertTrue(SchemaDump.of(ds).contains("table keyset_share"));
        assertEquals(7, SchemaDump.of(ds).stream().filter(l -> l.startsWith("table ")).count());

        SignerAssembly.Migrated again = SignerAssembly.migrate(ds);
        assertNull(again.baselineVersion(), "the history exists");
        assertEquals(0, again.applied());
        assertEquals("5", again.version());
        assertEquals(Reference.SCHEMA, SchemaDump.of(ds));
    }

    @Test
    void tablesFromBankServersMigrationsAreAdoptedAsTheyAre() throws Exception {
        DataSource ds = SignerTestDatabase.fresh("adopt_all");
        // a bank table next to them, as in bank-server's database
        SignerTestDatabase.sql(ds, "create table audit_log (id bigserial primary key)");
        SignerTestDatabase.sql(ds, bankEraScripts(5));
        new PgShareRepository(ds).save("ks-adopted", 3, new byte[] {1, 2, 3});

        SignerAssembly.Migrated m = SignerAssembly.migrate(ds);
        assertEquals(5, m.baselineVersion(), "adopted at the last version present");
        assertEquals(0, m.applied());
        assertEquals("5", m.version());
        assertEquals(List.of("5 BASELINE true"), history(ds));
        assertEquals(Reference.SCHEMA, SchemaDump.of(ds));
        assertEquals(3, new PgShareRepository(ds).loadCurrent("ks-adopted").epoch(), "the data stays");
    }

    @Test
    void aDatabaseCreatedBeforeTheLaterSignerTablesGetsTheRest() throws Exception {
        for (int present = 1; present <= 4; present++) {
            DataSource ds = SignerTestDatabase.fresh("adopt_" + present);
            SignerTestDatabase.sql(ds, "create table wallets (id uuid primary key)");
            SignerTestDatabase.sql(ds, bankEraScripts(present));
            SignerAssembly.Migrated m = SignerAssembly.migrate(ds);
            assertEquals(present, m.baselineVersion());
            assertEquals(5 - present, m.applied());
            assertEquals(Reference.SCHEMA, SchemaDump.of(ds), "from " + present + " signer migration(s)");
        }
    }

    @Test
    void aDatabaseWithOnlyOtherTablesGetsTheSignerTablesFromScratch() throws Exception {
        DataSource ds = SignerTestDatabase.fresh("others");
        SignerTestDatabase.sql(ds, "create table users (id uuid primary key)");
        SignerAssembly.Migrated m = SignerAssembly.migrate(ds);
        assertEquals(0, m.baselineVersion());
        assertEquals(5, m.applied());
        assertEquals(Reference.SCHEMA, SchemaDump.of(ds));
    }

    @Test
    void processesStartingTogetherMigrateOnce() throws Exception {
        DataSource ds = SignerTestDatabase.fresh("race");
        List<SignerAssembly.Migrated> results = Race.run(4, 4, () -> SignerAssembly.migrate(ds));
        assertEquals(5, results.stream().mapToInt(SignerAssembly.Migrated::applied).sum());
        assertTrue(results.stream().allMatch(r -> r.baselineVersion() == null || r.baselineVersion() == 0),
                results::toString);
        assertEquals(List.of("0 BASELINE true", "1 SQL true", "2 SQL true", "3 SQL true", "4 SQL true", "5 SQL true"),
                history(ds), "one baseline, each migration once");
        assertEquals(Reference.SCHEMA, SchemaDump.of(ds));
    }

    @Test
    void anUnreachableDatabaseIsAPersistenceExceptionWithTheSqlStateOnly() {
        var down = SignerTestDatabase.dataSource(1, "postgres");
        down.setConnectTimeout(2);
        PersistenceException e = assertThrows(PersistenceException.class, () -> SignerAssembly.migrate(down));
        assertTrue(e.getMessage().startsWith("applying the signer's migrations failed (SQLSTATE 08"), e.getMessage());
    }

    @Test
    void aBrokenMigrationHistoryFailsInsteadOfGuessing() throws Exception {
        DataSource ds = SignerTestDatabase.fresh("broken");
        SignerAssembly.migrate(ds);
        SignerTestDatabase.sql(ds, "update signer_schema_history set checksum = checksum + 1 where version = '2'");
        PersistenceException e = assertThrows(PersistenceException.class, () -> SignerAssembly.migrate(ds));
        assertTrue(e.getMessage().startsWith("applying the signer's migrations failed (FlywayValidateException"),
                e.getMessage());
        assertFalse(e.getMessage().contains("signer_schema_history"), "no SQL detail in the message");
    }
}
