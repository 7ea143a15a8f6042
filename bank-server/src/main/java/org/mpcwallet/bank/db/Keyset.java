package org.mpcwallet.bank.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.bank.paging.Cursors;

/**
 * One page of a table ordered by {@code (created_at, id)}, read with a keyset condition after the cursor's row
 * (docs/integration.md "Pagination"): the filters, then {@code (created_at, id) > (?, ?)} (or {@code <} newest
 * first), the order, and {@code limit + 1} rows so the caller knows whether more follow.
 */
public final class Keyset {
    /** Reads one row. */
    @FunctionalInterface
    public interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final StringBuilder where = new StringBuilder("true");
    private final List<Object> params = new ArrayList<>();
    private final String alias;

    /** {@code alias}: the table's alias in the select ({@code "w."}), or "" */
    public Keyset(String alias) {
        this.alias = alias;
    }

    /** Adds a condition with its parameters ({@link Instant}s become timestamps). */
    public Keyset and(String condition, Object... values) {
        where.append(" and (").append(condition).append(')');
        params.addAll(List.of(values));
        return this;
    }

    /** Adds {@code created_at >= from} and {@code created_at < to} for the bounds given. */
    public Keyset created(Instant from, Instant to) {
        if (from != null) {
            and(alias + "created_at >= ?", from);
        }
        if (to != null) {
            and(alias + "created_at < ?", to);
        }
        return this;
    }

    /**
     * The rows of {@code select} (a {@code select ... from ...} without where/order) after {@code after}, at most
     * {@code limit + 1}.
     */
    public <T> List<T> page(Connection c, String select, Cursors.TimeKey after, boolean newestFirst, int limit,
                            Rows<T> rows) throws SQLException {
        if (after != null) {
            and("(" + alias + "created_at, " + alias + "id) " + (newestFirst ? "<" : ">") + " (?, ?)", after.at(),
                    after.id());
        }
        String dir = newestFirst ? " desc" : "";
        String sql = select + " where " + where + " order by " + alias + "created_at" + dir + ", " + alias + "id"
                + dir + " limit ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object v : params) {
                ps.setObject(i++, v instanceof Instant t ? Timestamp.from(t) : v);
            }
            ps.setInt(i, limit + 1);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rows.read(rs));
                }
            }
            return out;
        }
    }
}
