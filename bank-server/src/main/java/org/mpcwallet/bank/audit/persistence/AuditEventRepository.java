package org.mpcwallet.bank.audit.persistence;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.mpcwallet.bank.audit.domain.AuditEvent;
import org.mpcwallet.bank.audit.domain.Hash;

/** SQL for {@code audit_event} and {@code audit_head}, on a connection (and transaction) owned by the caller. */
@Singleton
public class AuditEventRepository {

    /** The chain head as recorded in {@code audit_head}. */
    public record Head(long seq, Hash hash) {
    }

    /** Reads the head and locks its row until the transaction ends: the writers' serialisation point. */
    public Head lockHead(Connection c) throws SQLException {
        return head(c, "select seq, hash from audit_head where id = 1 for update");
    }

    /** Reads the head without locking. */
    public Head readHead(Connection c) throws SQLException {
        return head(c, "select seq, hash from audit_head where id = 1");
    }

    private static Head head(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_head row is missing");
            }
            return new Head(rs.getLong(1), Hash.of(rs.getBytes(2)));
        }
    }

    /** Inserts the event and moves the head onto it. */
    public void insertAndAdvance(Connection c, AuditEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into audit_event (seq, occurred_at, actor, type, payload, prev_hash, hash)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, e.seq());
            ps.setObject(2, OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC));
            ps.setString(3, e.actor());
            ps.setString(4, e.type());
            ps.setString(5, e.payload());
            ps.setBytes(6, e.prevHash().toBytes());
            ps.setBytes(7, e.hash().toBytes());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update audit_head set seq = ?, hash = ? where id = 1")) {
            ps.setLong(1, e.seq());
            ps.setBytes(2, e.hash().toBytes());
            if (ps.executeUpdate() != 1) {
                throw new SQLException("audit_head row is missing");
            }
        }
    }

    /**
     * Streams all events in seq order (the connection must not be in auto-commit mode, so the driver uses a
     * cursor). The visitor sees the events through an iterator; rows that no longer form a valid
     * {@link AuditEvent} (e.g. a bad hash length written by a superuser) end the walk with an exception.
     */
    public <T> T streamAll(Connection c, java.util.function.Function<Iterator<AuditEvent>, T> visitor)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select seq, occurred_at, actor, type, payload, prev_hash, hash from audit_event order by seq")) {
            ps.setFetchSize(500);
            try (ResultSet rs = ps.executeQuery()) {
                return visitor.apply(new RowIterator(rs));
            }
        }
    }

    /**
     * The events of one transaction request, in seq order: those whose payload names it as {@code txRequestId}, and
     * those naming one of its sign requests as {@code requestId} (permit, signing).
     */
    public java.util.List<AuditEvent> forTxRequest(Connection c, String txRequestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select seq, occurred_at, actor, type, payload, prev_hash, hash "
                + "from audit_event where payload::jsonb ->> 'txRequestId' = ? or payload::jsonb ->> 'requestId' in "
                + "(select id::text from sign_requests where tx_request_id::text = ?) order by seq")) {
            ps.setString(1, txRequestId);
            ps.setString(2, txRequestId);
            try (ResultSet rs = ps.executeQuery()) {
                java.util.List<AuditEvent> out = new java.util.ArrayList<>();
                RowIterator it = new RowIterator(rs);
                while (it.hasNext()) {
                    out.add(it.next());
                }
                return out;
            }
        }
    }

    /**
     * Events with seq above {@code afterSeq} in chain order, at most {@code limit}: of {@code type} and {@code actor},
     * recorded in [{@code from}, {@code to}) (a null filter: any).
     */
    public java.util.List<AuditEvent> page(Connection c, long afterSeq, String type, String actor,
                                           java.time.Instant from, java.time.Instant to, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select seq, occurred_at, actor, type, payload, prev_hash, hash "
                + "from audit_event where seq > ? and (?::text is null or type = ?::text) "
                + "and (?::text is null or actor = ?::text) and (?::timestamptz is null or occurred_at >= ?) "
                + "and (?::timestamptz is null or occurred_at < ?) order by seq limit ?")) {
            java.sql.Timestamp f = from == null ? null : java.sql.Timestamp.from(from);
            java.sql.Timestamp t = to == null ? null : java.sql.Timestamp.from(to);
            ps.setLong(1, afterSeq);
            ps.setString(2, type);
            ps.setString(3, type);
            ps.setString(4, actor);
            ps.setString(5, actor);
            ps.setTimestamp(6, f);
            ps.setTimestamp(7, f);
            ps.setTimestamp(8, t);
            ps.setTimestamp(9, t);
            ps.setInt(10, limit);
            try (ResultSet rs = ps.executeQuery()) {
                java.util.List<AuditEvent> out = new java.util.ArrayList<>();
                RowIterator it = new RowIterator(rs);
                while (it.hasNext()) {
                    out.add(it.next());
                }
                return out;
            }
        }
    }

    /** A stored row that is not a well-formed event (possible only after the schema's checks were bypassed). */
    public static final class MalformedEventException extends RuntimeException {
        private final long seq;

        MalformedEventException(long seq, String why) {
            super("event " + seq + " is malformed: " + why);
            this.seq = seq;
        }

        public long seq() {
            return seq;
        }
    }

    private static final class RowIterator implements Iterator<AuditEvent> {
        private final ResultSet rs;
        private Boolean hasNext;

        RowIterator(ResultSet rs) {
            this.rs = rs;
        }

        @Override
        public boolean hasNext() {
            if (hasNext == null) {
                try {
                    hasNext = rs.next();
                } catch (SQLException e) {
                    throw new IllegalStateException("reading audit_event failed", e);
                }
            }
            return hasNext;
        }

        @Override
        public AuditEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            hasNext = null;
            long seq;
            try {
                seq = rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException("reading audit_event failed", e);
            }
            try {
                return new AuditEvent(seq, rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3), rs.getString(4), rs.getString(5),
                        Hash.of(rs.getBytes(6)), Hash.of(rs.getBytes(7)));
            } catch (SQLException e) {
                throw new IllegalStateException("reading audit_event failed", e);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new MalformedEventException(seq, e.getMessage());
            }
        }
    }
}
