package org.mpcwallet.signer.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The signer's tables as the catalogue describes them (columns with type, nullability and default; constraints with
 * their definitions; indexes), one line each, sorted, so two databases can be compared as lists.
 */
public final class SchemaDump {
    public static final List<String> SIGNER_TABLES = List.of("keyset_share", "keyset_lock", "presignature",
            "permit_nonce", "signer_ring_pedersen", "signer_decryption", "signer_presign_ledger");

    private SchemaDump() {
    }

    public static List<String> of(DataSource ds) throws SQLException {
        String tables = "('" + String.join("','", SIGNER_TABLES) + "')";
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            collect(s, "select 'table ' || table_name from information_schema.tables where table_schema = "
                    + "current_schema() and table_name in " + tables, out);
            collect(s, "select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null='"
                    + " || is_nullable || ' default=' || coalesce(column_default, '-') from information_schema.columns"
                    + " where table_schema = current_schema() and table_name in " + tables, out);
            collect(s, "select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' '"
                    + " || pg_get_constraintdef(oid) from pg_constraint where connamespace = current_schema()::regnamespace"
                    + " and conrelid::regclass::text in " + tables, out);
            collect(s, "select 'index ' || indexdef from pg_indexes where schemaname = current_schema() and tablename in "
                    + tables, out);
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
