package org.mpcwallet.bank.audit.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import org.mpcwallet.bank.audit.domain.AuditEvent;
import org.mpcwallet.bank.audit.domain.Hash;

/**
 * Tables {@code audit_event} (rows {@link AuditEventRow}) and {@code audit_head} ({@link AuditHeadRow}) on Micronaut
 * Data JDBC: in the caller's Micronaut transaction when there is one, else each statement on a connection of its own
 * in auto-commit. The head lock refuses to run outside a transaction. The chain's verification reads on a connection
 * of its own from the plain pool, in one repeatable-read snapshot streamed with a cursor
 * ({@link #readHead(Connection)}, {@link #streamAll}): plain JDBC on the connection it is given.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class AuditEventRepository implements GenericRepository<AuditEventRow, Long> {
    private static final String COLUMNS = "seq, occurred_at, actor, type, payload, prev_hash, hash";

    /** The chain head as recorded in {@code audit_head}. */
    public record Head(long seq, Hash hash) {
    }

    /**
     * Reads the head and locks its row until the transaction ends: the writers' serialisation point. Only inside a
     * transaction.
     */
    public Head lockHead() throws SQLException {
        return head(lockedHeadRow());
    }

    /** Reads the head without locking (in the current transaction when there is one). */
    public Head readHead() throws SQLException {
        return head(headRow());
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select id, seq, hash from audit_head where id = 1 for update")
    protected abstract Optional<AuditHeadRow> lockedHeadRow();

    @Query("select id, seq, hash from audit_head where id = 1")
    protected abstract Optional<AuditHeadRow> headRow();

    private static Head head(Optional<AuditHeadRow> row) throws SQLException {
        if (row.isEmpty()) {
            throw new SQLException("audit_head row is missing");
        }
        return new Head(row.get().seq(), Hash.of(row.get().hash()));
    }

    /** Inserts the event and moves the head onto it (in the caller's transaction, under the head lock). */
    public void insertAndAdvance(AuditEvent e) throws SQLException {
        insertEvent(e.seq(), e.occurredAt(), e.actor(), e.type(), e.payload(), e.prevHash().toBytes(),
                e.hash().toBytes());
        if (moveHead(e.seq(), e.hash().toBytes()) != 1) {
            throw new SQLException("audit_head row is missing");
        }
    }

    @Query("insert into audit_event (seq, occurred_at, actor, type, payload, prev_hash, hash) "
            + "values (:seq, :occurredAt, :actor, :type, :payload, :prevHash, :hash)")
    protected abstract void insertEvent(long seq, Instant occurredAt, String actor, String type, String payload,
                                        byte[] prevHash, byte[] hash);

    @Query("update audit_head set seq = :seq, hash = :hash where id = 1")
    protected abstract int moveHead(long seq, byte[] hash);

    /**
     * The events of one transaction request, in seq order: those whose payload names it as {@code txRequestId}, and
     * those naming one of its sign requests as {@code requestId} (permit, signing).
     *
     * @throws MalformedEventException for a row that is no well-formed event
     */
    public List<AuditEvent> forTxRequest(String txRequestId) {
        return forTxRequestRows(txRequestId).stream().map(AuditEventRow::toEvent).toList();
    }

    @Query("select " + COLUMNS + " from audit_event where payload::jsonb ->> 'txRequestId' = :txRequestId "
            + "or payload::jsonb ->> 'requestId' in (select id::text from sign_requests "
            + "where tx_request_id::text = :txRequestId) order by seq")
    protected abstract List<AuditEventRow> forTxRequestRows(String txRequestId);

    /**
     * Events with seq above {@code afterSeq} in chain order, at most {@code limit}: of {@code type} and {@code actor},
     * recorded in [{@code from}, {@code to}) (a null filter: any).
     *
     * @throws MalformedEventException for a row that is no well-formed event
     */
    public List<AuditEvent> page(long afterSeq, @Nullable String type, @Nullable String actor, @Nullable Instant from,
                                 @Nullable Instant to, int limit) {
        return pageRows(afterSeq, type, actor, from, to, limit).stream().map(AuditEventRow::toEvent).toList();
    }

    @Query("select " + COLUMNS + " from audit_event where seq > :afterSeq "
            + "and (:type::text is null or type = :type::text) and (:actor::text is null or actor = :actor::text) "
            + "and (:from::timestamptz is null or occurred_at >= :from) "
            + "and (:to::timestamptz is null or occurred_at < :to) order by seq limit :limit")
    protected abstract List<AuditEventRow> pageRows(long afterSeq, @Nullable String type, @Nullable String actor,
                                                    @Nullable Instant from, @Nullable Instant to, int limit);

    // ---- the verification's snapshot, on a plain-pool connection of its own

    /** Reads the head without locking on {@code c} (the verification's snapshot). */
    public Head readHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select seq, hash from audit_head where id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_head row is missing");
            }
            return new Head(rs.getLong(1), Hash.of(rs.getBytes(2)));
        }
    }

    /**
     * Streams all events in seq order on {@code c} (not in auto-commit mode, so the driver uses a cursor). The visitor
     * sees the events through an iterator; rows that no longer form a valid {@link AuditEvent} (e.g. a bad hash length
     * written by a superuser) end the walk with an exception.
     */
    public <T> T streamAll(Connection c, Function<Iterator<AuditEvent>, T> visitor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from audit_event order by seq")) {
            ps.setFetchSize(500);
            try (ResultSet rs = ps.executeQuery()) {
                return visitor.apply(new RowIterator(rs));
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
