package org.mpcwallet.signer.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Tables as the catalogue describes them (columns with type, nullability and default; constraints with their
 * definitions; indexes), one line each, sorted, so two databases can be compared as lists. bank-signer compares its
 * own tables ({@link #of}); bank-server, through this module's test-jar, every table but the migration histories
 * ({@link #allButHistories}). Both add the presign ledger's row count (its migration seeds a row).
 */
public final class SchemaDump {
    public static final List<String> SIGNER_TABLES = List.of("keyset_share", "keyset_lock", "presignature",
            "permit_nonce", "signer_ring_pedersen", "signer_decryption", "signer_presign_ledger");
    private static final List<String> HISTORIES = List.of("flyway_schema_history", "signer_schema_history");

    private SchemaDump() {
    }

    /** The signer's tables in the current schema. */
    public static List<String> of(DataSource ds) throws SQLException {
        return dump(ds, " in " + quoted(SIGNER_TABLES));
    }

    /** Every table of the current schema except the migration history tables. */
    public static List<String> allButHistories(DataSource ds) throws SQLException {
        return dump(ds, " not in " + quoted(HISTORIES));
    }

    private static String quoted(List<String> names) {
        return "('" + String.join("','", names) + "')";
    }

    private static List<String> dump(DataSource ds, String tableIs) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            collect(s, "select 'table ' || table_name from information_schema.tables where table_schema = "
                    + "current_schema() and table_name" + tableIs, out);
            collect(s, "select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null='"
                    + " || is_nullable || ' default=' || coalesce(column_default, '-') from information_schema.columns"
                    + " where table_schema = current_schema() and table_name" + tableIs, out);
            collect(s, "select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' '"
                    + " || pg_get_constraintdef(oid) from pg_constraint where connamespace = current_schema()::regnamespace"
                    + " and conrelid::regclass::text" + tableIs, out);
            collect(s, "select 'index ' || indexdef from pg_indexes where schemaname = current_schema() and tablename"
                    + tableIs, out);
            collect(s, "select 'ledger rows ' || count(*) from signer_presign_ledger", out);
        }
        out.sort(null);
        return out;
    }

    private static void collect(Statement s, String sql, List<String> out) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
    }
}
