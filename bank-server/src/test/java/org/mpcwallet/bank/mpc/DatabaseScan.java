package org.mpcwallet.bank.mpc;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Reads every text-like and bytea column of the public schema's tables and reports where a secret occurs: as raw
 * bytes, as hex or as a decimal number ({@link #forms}); text is compared in lower case.
 */
final class DatabaseScan {
    private DatabaseScan() {
    }

    /** What a scan saw: the "table.column" names read, those holding a needle, and how many non-null values. */
    record Result(List<String> columns, List<String> hits, int values) {
    }

    /** The ways a 32-byte secret could be stored in clear: raw, lower-case hex, unsigned decimal. */
    static List<byte[]> forms(byte[] secret32) {
        return List.of(secret32.clone(), HexFormat.of().formatHex(secret32).getBytes(StandardCharsets.US_ASCII),
                new BigInteger(1, secret32).toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** {@link #forms} of {@code secret} as a 32-byte big-endian number. */
    static List<byte[]> forms(BigInteger secret) {
        byte[] fixed = new byte[32];
        byte[] b = secret.toByteArray();
        System.arraycopy(b, Math.max(0, b.length - 32), fixed, Math.max(0, 32 - b.length), Math.min(32, b.length));
        return forms(fixed);
    }

    /** "table.column" for every column of any table holding one of {@code needles}; fails if it read too little. */
    static List<String> find(DataSource ds, List<byte[]> needles) throws Exception {
        Result r = scan(ds, table -> true, needles);
        if (r.values() < 10) {
            throw new AssertionError("the scan read only " + r.values() + " values; it is not looking");
        }
        return r.hits();
    }

    /** Scans the columns of the tables {@code tables} accepts for {@code needles} (exact bytes). */
    static Result scan(DataSource ds, Predicate<String> tables, List<byte[]> needles) throws Exception {
        List<String[]> columns = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select table_name, column_name, data_type from information_schema.columns
                      where table_schema = 'public'
                        and data_type in ('bytea', 'text', 'character varying', 'json', 'jsonb', 'ARRAY')
                      order by table_name, ordinal_position""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (tables.test(rs.getString(1))) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        List<String> hits = new ArrayList<>();
        int values = 0;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String[] col : columns) {
                boolean bytea = col[2].equals("bytea");
                String sql = "select \"" + col[1] + "\"" + (bytea ? "" : "::text") + " from \"" + col[0] + "\"";
                String name = col[0] + "." + col[1];
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        byte[] value = bytea ? rs.getBytes(1) : utf8(rs.getString(1));
                        if (value == null) {
                            continue;
                        }
                        values++;
                        byte[] lower = new String(value, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                                .getBytes(StandardCharsets.ISO_8859_1);
                        for (byte[] n : needles) {
                            if ((contains(value, n) || contains(lower, n)) && !hits.contains(name)) {
                                hits.add(name);
                            }
                        }
                    }
                }
            }
        }
        return new Result(columns.stream().map(col -> col[0] + "." + col[1]).toList(), hits, values);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
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
