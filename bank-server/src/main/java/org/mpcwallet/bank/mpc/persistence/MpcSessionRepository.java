package org.mpcwallet.bank.mpc.persistence;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.mpcwallet.bank.mpc.channel.SessionKind;

/**
 * JDBC access to {@code mpc_sessions}, the channel's sessions (one row each, docs/mpc-channel.md); the caller owns
 * the connection and transaction. A RUNNING row that made no progress for longer than a step may take plus
 * {@link #STALE_MARGIN_SECONDS} belongs to an instance that died (kill -9, power loss): it no longer counts.
 */
@Singleton
public class MpcSessionRepository {
    /** Added to the step timeout before a RUNNING session without progress counts as left by a dead instance. */
    public static final int STALE_MARGIN_SECONDS = 15;
    /** The advisory lock that serializes session starts while their caps are counted ("mpc-caps" in ASCII). */
    private static final long SESSION_START_LOCK = 0x6d70632d63617073L;

    /** Sessions running now: the user's and everybody's. */
    public record Running(int mine, int total) {
    }

    /** The user's key generations in the last hour, and seconds until the oldest of them leaves the hour. */
    public record RecentKeygens(int count, double secondsUntilOneLeaves) {
    }

    /** A keygen session the sweeper expired, and its wallet. */
    public record ExpiredKeygen(UUID sessionId, UUID walletId) {
    }

    /** Serializes session starts until the transaction ends, so two starts cannot both pass a count. */
    public void lockStarts(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            ps.setLong(1, SESSION_START_LOCK);
            ps.execute();
        }
    }

    public Running running(Connection c, UUID userId, int stepTimeoutSeconds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) filter (where user_id = ?), count(*) "
                + "from mpc_sessions where status = 'RUNNING' and deadline_at > now() "
                + "and updated_at > now() - make_interval(secs => ?)")) {
            ps.setObject(1, userId);
            ps.setInt(2, stepTimeoutSeconds + STALE_MARGIN_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Running(rs.getInt(1), rs.getInt(2));
            }
        }
    }

    public RecentKeygens keygensInLastHour(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*), "
                + "extract(epoch from min(created_at) + interval '1 hour' - now()) "
                + "from mpc_sessions where kind = 'KEYGEN' and user_id = ? and created_at > now() - interval '1 hour'")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new RecentKeygens(rs.getInt(1), rs.getDouble(2));
            }
        }
    }

    public void insert(Connection c, UUID id, SessionKind kind, UUID walletId, UUID requestId, UUID userId,
                       byte[] sid, long deadline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into mpc_sessions (id, kind, wallet_id, request_id, "
                + "user_id, status, sid, last_seq, created_at, updated_at, deadline_at) "
                + "values (?, ?, ?, ?, ?, 'RUNNING', ?, 0, now(), now(), ?)")) {
            ps.setObject(1, id);
            ps.setString(2, kind.name());
            ps.setObject(3, walletId);
            ps.setObject(4, requestId);
            ps.setObject(5, userId);
            ps.setBytes(6, sid);
            ps.setTimestamp(7, new Timestamp(deadline));
            ps.executeUpdate();
        }
    }

    /**
     * Whether a live session of the wallet runs: a keygen or refresh ({@code requestId} null), or one for the sign
     * request {@code requestId}.
     */
    public boolean runningFor(Connection c, UUID walletId, UUID requestId, int stepTimeoutSeconds)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from mpc_sessions where status = 'RUNNING' and "
                + "wallet_id = ? and " + (requestId == null ? "kind in ('KEYGEN', 'REFRESH')" : "request_id = ?")
                + " and deadline_at > now() and updated_at > now() - make_interval(secs => ?)")) {
            ps.setObject(1, walletId);
            int i = 2;
            if (requestId != null) {
                ps.setObject(i++, requestId);
            }
            ps.setInt(i, stepTimeoutSeconds + STALE_MARGIN_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void updateSeq(Connection c, UUID id, int seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update mpc_sessions set last_seq = ?, updated_at = now() "
                + "where id = ? and status = 'RUNNING'")) {
            ps.setInt(1, seq);
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    /** When the session started (for the duration the metrics report), if it exists. */
    public java.util.Optional<java.time.Instant> startedAt(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select created_at from mpc_sessions where id = ?")) {
            ps.setObject(1, id);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getTimestamp(1).toInstant()) : java.util.Optional.empty();
            }
        }
    }

    /** Marks a RUNNING session COMPLETED; false when it is no longer RUNNING (the sweeper expired it). */
    public boolean complete(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update mpc_sessions set status = 'COMPLETED', "
                + "updated_at = now() where id = ? and status = 'RUNNING'")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** The sign request's co-signing sessions that failed or expired so far. */
    public int failedFor(Connection c, UUID signRequestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from mpc_sessions where request_id = ? and "
                + "status in ('FAILED', 'EXPIRED')")) {
            ps.setObject(1, signRequestId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Marks a RUNNING session {@code status} (FAILED, EXPIRED) with its failure. */
    public void fail(Connection c, UUID id, String status, String code, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update mpc_sessions set status = ?, failure_code = ?, "
                + "failure_detail = ?, updated_at = now() where id = ? and status = 'RUNNING'")) {
            ps.setString(1, status);
            ps.setString(2, code);
            ps.setString(3, detail);
            ps.setObject(4, id);
            ps.executeUpdate();
        }
    }

    /**
     * Expires the RUNNING sessions past their deadline (by more than 5 s: those of a process that died, or that lost
     * its connection record); returns the keygen sessions among them.
     */
    public List<ExpiredKeygen> expireOverdue(Connection c) throws SQLException {
        List<ExpiredKeygen> keygens = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("update mpc_sessions set status = 'EXPIRED', "
                + "failure_code = 'TIMEOUT', failure_detail = 'session not finished by its deadline', "
                + "updated_at = now() where status = 'RUNNING' and deadline_at < now() - interval '5 seconds' "
                + "returning id, kind, wallet_id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if ("KEYGEN".equals(rs.getString(2))) {
                        keygens.add(new ExpiredKeygen(rs.getObject(1, UUID.class), rs.getObject(3, UUID.class)));
                    }
                }
            }
        }
        return keygens;
    }
}
