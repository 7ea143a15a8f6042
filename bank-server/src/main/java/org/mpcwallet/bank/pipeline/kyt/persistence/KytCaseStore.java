package org.mpcwallet.bank.pipeline.kyt.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for {@code kyt_cases} (docs/custody-pipeline.md "Controls"); every method runs in the caller's transaction.
 */
public final class KytCaseStore {
    private KytCaseStore() {
    }

    public enum Status { OPEN, ALLOWED, BLOCKED }

    /** One KYT case: on an outbound request ({@code txRequestId}) or an inbound deposit ({@code depositId}). */
    public record KytCase(UUID id, String address, String direction, UUID txRequestId, UUID depositId, String reason,
                          String provider, Status status, Instant createdAt, Instant resolvedAt, UUID resolvedBy,
                          String resolution) {
    }

    private static final String COLUMNS = "id, address, direction, tx_request_id, deposit_id, reason, provider, "
            + "status, created_at, resolved_at, resolved_by, resolution";

    /** Inserts an OPEN case (exactly one of txRequestId / depositId). */
    public static void insertOpen(Connection c, UUID id, String address, String direction, UUID txRequestId,
                                  UUID depositId, String reason, String provider, Instant createdAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into kyt_cases (" + COLUMNS + ") values "
                + "(?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, null, null, null)")) {
            ps.setObject(1, id);
            ps.setString(2, address);
            ps.setString(3, direction);
            ps.setObject(4, txRequestId);
            ps.setObject(5, depositId);
            ps.setString(6, reason);
            ps.setString(7, provider);
            ps.setTimestamp(8, Timestamp.from(createdAt));
            ps.executeUpdate();
        }
    }

    /**
     * The oldest INBOUND case holding {@code walletId}'s outgoing transfers: OPEN or BLOCKED, on a deposit to that
     * wallet that is not REORGED (docs/custody-pipeline.md "Hold on tainted funds"); empty if none.
     */
    public static Optional<KytCase> inboundHold(Connection c, UUID walletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + prefixed("k.") + " from kyt_cases k join deposits d "
                + "on d.id = k.deposit_id where d.wallet_id = ? and k.direction = 'INBOUND' and k.status in ('OPEN', "
                + "'BLOCKED') and d.status <> 'REORGED' order by k.created_at, k.id limit 1")) {
            ps.setObject(1, walletId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static String prefixed(String alias) {
        return alias + COLUMNS.replace(", ", ", " + alias);
    }

    /** The cases in {@code status} (all when null), oldest first. */
    /** A page of cases, oldest first, in {@code status} (null: any); limit + 1 rows. */
    public static List<KytCase> page(Connection c, Status status, Instant from, Instant to,
                                     org.mpcwallet.bank.paging.Cursors.TimeKey after, int limit) throws SQLException {
        org.mpcwallet.bank.db.Keyset q = new org.mpcwallet.bank.db.Keyset("");
        if (status != null) {
            q.and("status = ?", status.name());
        }
        q.created(from, to);
        return q.page(c, "select " + COLUMNS + " from kyt_cases", after, false, limit, KytCaseStore::read);
    }

    /** The case, row-locked when {@code forUpdate}. */
    public static Optional<KytCase> find(Connection c, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from kyt_cases where id = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The status of a case that exists (a transfer's own case). */
    public static Status status(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status from kyt_cases where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Status.valueOf(rs.getString(1));
            }
        }
    }

    /** Records the resolution of a case: its final status, when, by whom and the comment. */
    public static void resolve(Connection c, UUID id, Status status, Instant at, UUID by, String resolution)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update kyt_cases set status = ?, resolved_at = ?, "
                + "resolved_by = ?, resolution = ? where id = ?")) {
            ps.setString(1, status.name());
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setObject(3, by);
            ps.setString(4, resolution);
            ps.setObject(5, id);
            ps.executeUpdate();
        }
    }

    private static KytCase read(ResultSet rs) throws SQLException {
        Timestamp resolved = rs.getTimestamp("resolved_at");
        return new KytCase(rs.getObject("id", UUID.class), rs.getString("address"), rs.getString("direction"),
                rs.getObject("tx_request_id", UUID.class), rs.getObject("deposit_id", UUID.class),
                rs.getString("reason"), rs.getString("provider"), Status.valueOf(rs.getString("status")),
                rs.getTimestamp("created_at").toInstant(), resolved == null ? null : resolved.toInstant(),
                rs.getObject("resolved_by", UUID.class), rs.getString("resolution"));
    }
}
