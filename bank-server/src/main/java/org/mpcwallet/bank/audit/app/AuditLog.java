package org.mpcwallet.bank.audit.app;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.mpcwallet.bank.audit.domain.AuditChain;
import org.mpcwallet.bank.audit.domain.AuditEvent;
import org.mpcwallet.bank.audit.domain.ChainVerification;
import org.mpcwallet.bank.audit.domain.Hash;
import org.mpcwallet.bank.audit.persistence.AuditEventRepository;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.db.Transactions;

/**
 * The append-only, hash-chained audit log. Blocking (JDBC): call it off the event loop.
 *
 * <p>An append is one transaction: lock the head row ({@code SELECT ... FOR UPDATE}), build the event at
 * head.seq + 1 chained to head.hash, insert it, move the head. Concurrent writers queue on the row lock, so seq has
 * no gaps and the chain no forks. The {@link AuditAppendHook}s run in the same transaction (the webhook outbox).
 * {@link #append} is a Micronaut transaction of its own; {@link #appendInTransaction} joins the caller's. The reads
 * ({@link #packageOf}, {@link #events}, {@link #headHash}) go through {@link AuditEventRepository} (in the current
 * transaction when there is one, else in auto-commit); {@link #verify} reads one repeatable-read snapshot on a
 * connection of its own from the plain pool.
 */
@Singleton
public class AuditLog {
    /** The plain pool ({@code db.PoolDataSource}), for the verification's snapshot only. */
    private final DataSource dataSource;
    private final TransactionRunner transactions;
    private final AuditEventRepository repository;
    private final JsonMapper json;
    private final Clock clock;
    private final java.util.List<AuditAppendHook> hooks;

    public AuditLog(DataSource dataSource, TransactionRunner transactions, AuditEventRepository repository,
                    JsonMapper json, java.util.List<AuditAppendHook> hooks) {
        this.hooks = java.util.List.copyOf(hooks);
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.repository = repository;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    /**
     * Appends an event in a transaction of its own (committed when this returns, also when the caller has a
     * transaction open, which later may roll back) and returns it as stored.
     *
     * @param payload JSON text (an object, typically); stored and hashed exactly as given
     * @throws IllegalArgumentException for a bad actor, type or payload
     * @throws AuditWriteException when the database refuses or fails (nothing was written)
     */
    public AuditEvent append(String actor, String type, String payload) {
        AuditEvent.checkActor(actor);
        AuditEvent.checkType(type);
        checkJson(payload);
        return transactions.inOwnTransaction(() -> appendIn(actor, type, payload),
                e -> new AuditWriteException("appending to the audit log failed", e));
    }

    /**
     * Appends an event inside the caller's open Micronaut transaction: the event exists exactly when the caller's
     * other writes commit. The head row stays locked until the caller commits or rolls back.
     *
     * @throws IllegalStateException when no transaction is open
     */
    public AuditEvent appendInTransaction(String actor, String type, String payload) throws SQLException {
        AuditEvent.checkActor(actor);
        AuditEvent.checkType(type);
        checkJson(payload);
        if (!transactions.active()) {
            throw new IllegalStateException("appendInTransaction needs the caller's open transaction");
        }
        return appendIn(actor, type, payload);
    }

    private AuditEvent appendIn(String actor, String type, String payload) throws SQLException {
        AuditEventRepository.Head head = repository.lockHead();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long seq = head.seq() + 1;
        Hash hash = AuditChain.hash(head.hash(), seq, at, actor, type, payload);
        AuditEvent event = new AuditEvent(seq, at, actor, type, payload, head.hash(), hash);
        repository.insertAndAdvance(event);
        for (AuditAppendHook h : hooks) {
            h.appended(event);
        }
        return event;
    }

    /** The audit package of one transaction request (docs/custody-pipeline.md "Audit package"). */
    public org.mpcwallet.bank.audit.domain.AuditPackage packageOf(String txRequestId) {
        try {
            return org.mpcwallet.bank.audit.domain.AuditPackage.of(txRequestId,
                    repository.forTxRequest(txRequestId));
        } catch (DataAccessException e) {
            throw Transactions.storeFailure(e, sql -> new AuditWriteException("reading the audit log failed", sql));
        }
    }

    /** What a page of the chain is filtered by; null fields do not filter. */
    public record EventFilter(Long fromSeq, String type, String actor, java.time.Instant from, java.time.Instant to) {
        public static EventFilter none() {
            return new EventFilter(null, null, null, null, null);
        }
    }

    /**
     * A page of the chain for export (docs/integration.md "Pagination"): events from {@code fromSeq} (or after the
     * cursor's), of {@code type} (null: any), in seq order.
     */
    public org.mpcwallet.bank.paging.Page<AuditEvent> events(Long fromSeq, String type, String cursor,
                                                             Integer limit) {
        return events(new EventFilter(fromSeq, type, null, null, null), cursor, limit);
    }

    /**
     * A page of the chain, filtered (docs/admin-console.md "Audit"): by sequence, type, actor (exact, e.g.
     * {@code user:alice}) and time of the event ({@code from} inclusive, {@code to} exclusive), in seq order.
     */
    public org.mpcwallet.bank.paging.Page<AuditEvent> events(EventFilter filter, String cursor, Integer limit) {
        Long fromSeq = filter.fromSeq();
        String type = filter.type();
        int n = org.mpcwallet.bank.paging.Cursors.limit(limit);
        long after = org.mpcwallet.bank.paging.Cursors.seqKey("audit-events", cursor,
                fromSeq == null ? 0 : Math.max(0, fromSeq - 1));
        if (type != null && !type.isBlank()) {
            AuditEvent.checkType(type);
        }
        String t = type == null || type.isBlank() ? null : type;
        try {
            return org.mpcwallet.bank.paging.Page.of(repository.page(after, t, filter.actor(), filter.from(),
                    filter.to(), n + 1), n, e ->
                    org.mpcwallet.bank.paging.Cursors.seqCursor("audit-events", e.seq()));
        } catch (DataAccessException e) {
            throw Transactions.storeFailure(e, sql -> new AuditWriteException("reading the audit log failed", sql));
        }
    }

    /**
     * The current head hash (32 bytes; all zero for an empty log), as bound into signing permits: read in the
     * caller's transaction (no second connection is taken), or in auto-commit outside one.
     */
    public byte[] headHash() throws SQLException {
        return repository.readHead().hash().toBytes();
    }

    /** Walks the whole chain in one consistent snapshot and reports the first broken link. */
    public ChainVerification verify() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                AuditEventRepository.Head head = repository.readHead(c);
                ChainVerification result;
                try {
                    result = repository.streamAll(c, it -> ChainVerification.walk(it, head.seq(), head.hash()));
                } catch (AuditEventRepository.MalformedEventException e) {
                    // a row that is not even a well-formed event (e.g. a hash of the wrong length)
                    result = new ChainVerification(false, e.seq() - 1, e.seq(), e.getMessage());
                }
                c.commit();
                return result;
            } finally {
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            throw new AuditWriteException("reading the audit log failed", e);
        }
    }

    private void checkJson(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new IllegalArgumentException("payload must be JSON");
        }
        try {
            json.readValue(payload, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("payload must be JSON");
        }
    }

    /** The database could not write or read the audit log. */
    public static final class AuditWriteException extends RuntimeException {
        public AuditWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
