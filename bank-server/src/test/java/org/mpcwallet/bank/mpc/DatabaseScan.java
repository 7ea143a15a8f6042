package org.mpcwallet.bank.mpc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads every text-like and bytea column of every table in the public schema and reports where needles occur. */
final class DatabaseScan {
    private DatabaseScan() {
    }

    /** "table.column" for every column holding one of {@code needles} (raw bytes of the value); empty if none. */
    static List<String> find(DataSource ds, List<byte[]> needles) throws Exception {
        List<String[]> columns = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select table_name, column_name, data_type from information_schema.columns
                      where table_schema = 'public'
                        and data_type in ('bytea', 'text', 'character varying', 'json', 'jsonb', 'ARRAY')
                      order by table_name, ordinal_position""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        List<String> hits = new ArrayList<>();
        int values = 0;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String[] col : columns) {
                boolean bytea = col[2].equals("bytea");
                String sql = "select \"" + col[1] + "\"" + (bytea ? "" : "::text") + " from \"" + col[0] + "\"";
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        byte[] value = bytea ? rs.getBytes(1) : text(rs.getString(1));
                        if (value == null) {
                            continue;
                        }
                        values++;
                        for (byte[] n : needles) {
                            if (contains(value, n) && !hits.contains(col[0] + "." + col[1])) {
                                hits.add(col[0] + "." + col[1]);
                            }
                        }
                    }
                }
            }
        }
        if (values < 10) {
            throw new AssertionError("the scan read only " + values + " values; it is not looking");
        }
        return hits;
    }

    private static byte[] text(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
