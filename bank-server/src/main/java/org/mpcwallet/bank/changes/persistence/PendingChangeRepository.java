package org.mpcwallet.bank.changes.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.changes.app.PendingChange;
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.paging.Cursors;

/**
 * Table {@code pending_changes} (V25), with the proposer's and decider's usernames, on Micronaut Data JDBC: in the
 * caller's transaction. The payload and outcome are stored as JSON text. The locking read refuses to run outside a
 * transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class PendingChangeRepository implements GenericRepository<PendingChangeRow, UUID> {
    private static final String SELECT = "select p.id, p.kind, p.payload, p.summary, p.status, p.proposed_by, "
            + "u1.username as proposed_by_name, p.created_at, p.decided_by, u2.username as decided_by_name, "
            + "p.decided_at, p.comment, p.outcome from pending_changes p join users u1 on u1.id = p.proposed_by "
            + "left join users u2 on u2.id = p.decided_by";

    @Inject
    JsonMapper json;

    @Inject
    JdbcOperations jdbc;

    /** A change as read with its people's names (the JSON still as text). */
    @Introspected
    public record Named(UUID id, String kind, String payload, String summary, String status, UUID proposedBy,
                        String proposedByName, Instant createdAt, @Nullable UUID decidedBy,
                        @Nullable String decidedByName, @Nullable Instant decidedAt, @Nullable String comment,
                        @Nullable String outcome) {
    }

    public void insert(UUID id, String kind, Map<String, Object> payload, String summary, UUID proposedBy,
                       Instant at) {
        insertRow(id, kind, write(payload), summary, proposedBy, at);
    }

    @Query("insert into pending_changes (id, kind, payload, summary, status, proposed_by, created_at) "
            + "values (:id, :kind, :payload, :summary, 'PENDING', :proposedBy, :at)")
    protected abstract void insertRow(UUID id, String kind, String payload, String summary, UUID proposedBy,
                                      Instant at);

    /** The change, or empty; {@code lock}: its row locked until the transaction ends (only inside one). */
    public Optional<PendingChange> find(UUID id, boolean lock) {
        return (lock ? lockNamed(id) : named(id)).map(this::change);
    }

    @Query(SELECT + " where p.id = :id")
    protected abstract Optional<Named> named(UUID id);

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query(SELECT + " where p.id = :id for update of p")
    protected abstract Optional<Named> lockNamed(UUID id);

    /** PENDING → {@code status}, decided by {@code by}; fails when the change was decided meanwhile. */
    public void decide(UUID id, PendingChange.Status status, UUID by, Instant at, String comment,
                       Map<String, Object> outcome) {
        if (updateDecided(id, status.name(), by, at, comment, outcome == null ? null : write(outcome)) != 1) {
            throw new IllegalStateException("the change was decided meanwhile");
        }
    }

    @Query("update pending_changes set status = :status, decided_by = :by, decided_at = :at, comment = :comment, "
            + "outcome = :outcome where id = :id and status = 'PENDING'")
    protected abstract int updateDecided(UUID id, String status, UUID by, Instant at, @Nullable String comment,
                                         @Nullable String outcome);

    /** One page, oldest first, optionally of one status. */
    public List<PendingChange> page(PendingChange.Status status, Cursors.TimeKey after, int limit) {
        Keyset k = new Keyset("p.");
        if (status != null) {
            k.and("p.status = ?", status.name());
        }
        return jdbc.execute(c -> k.page(c, SELECT, after, false, limit, rs -> change(named(rs))));
    }

    /** A row of {@link #SELECT} (the entity reader names columns by property, not by the naming strategy). */
    private static Named named(ResultSet rs) throws SQLException {
        Timestamp decided = rs.getTimestamp("decided_at");
        return new Named(rs.getObject("id", UUID.class), rs.getString("kind"), rs.getString("payload"),
                rs.getString("summary"), rs.getString("status"), rs.getObject("proposed_by", UUID.class),
                rs.getString("proposed_by_name"), rs.getTimestamp("created_at").toInstant(),
                rs.getObject("decided_by", UUID.class), rs.getString("decided_by_name"),
                decided == null ? null : decided.toInstant(), rs.getString("comment"), rs.getString("outcome"));
    }

    private PendingChange change(Named n) {
        return new PendingChange(n.id(), n.kind(), read(n.payload()), n.summary(),
                PendingChange.Status.valueOf(n.status()), n.proposedBy(), n.proposedByName(), n.createdAt(),
                n.decidedBy(), n.decidedByName(), n.decidedAt(), n.comment(), read(n.outcome()));
    }

    private String write(Map<String, Object> m) {
        try {
            return json.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException("a change's payload is not JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String s) {
        if (s == null) {
            return null;
        }
        try {
            return json.readValue(s, Map.class);
        } catch (IOException e) {
            throw new IllegalStateException("a stored change is not JSON", e);
        }
    }
}
