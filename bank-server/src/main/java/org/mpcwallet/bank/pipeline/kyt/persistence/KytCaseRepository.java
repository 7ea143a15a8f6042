package org.mpcwallet.bank.pipeline.kyt.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.paging.Cursors;
import org.mpcwallet.bank.pipeline.kyt.persistence.KytCase.Status;

/**
 * Table {@code kyt_cases} (docs/custody-pipeline.md "Controls"), Micronaut Data JDBC: in the caller's Micronaut
 * transaction when there is one, else each statement commits by itself; {@link #lock} refuses to run outside one (its
 * row lock is the point).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class KytCaseRepository implements GenericRepository<KytCase, UUID> {
    private static final String COLUMNS = "id, address, direction, tx_request_id, deposit_id, reason, provider, "
            + "status, created_at, resolved_at, resolved_by, resolution";

    @Inject
    JdbcOperations jdbc;

    /** Inserts an OPEN case (exactly one of txRequestId / depositId). */
    @Query("insert into kyt_cases (id, address, direction, tx_request_id, deposit_id, reason, provider, status, "
            + "created_at, resolved_at, resolved_by, resolution) values (:id, :address, :direction, :txRequestId, "
            + ":depositId, :reason, :provider, 'OPEN', :createdAt, null, null, null)")
    public abstract void insertOpen(UUID id, String address, String direction, @Nullable UUID txRequestId,
                                    @Nullable UUID depositId, String reason, String provider, Instant createdAt);

    /**
     * The oldest INBOUND case holding {@code walletId}'s outgoing transfers: OPEN or BLOCKED, on a deposit to that
     * wallet that is not REORGED (docs/custody-pipeline.md "Hold on tainted funds"); empty if none.
     */
    @Query("select k.id, k.address, k.direction, k.tx_request_id, k.deposit_id, k.reason, k.provider, k.status, "
            + "k.created_at, k.resolved_at, k.resolved_by, k.resolution from kyt_cases k join deposits d "
            + "on d.id = k.deposit_id where d.wallet_id = :walletId and k.direction = 'INBOUND' and k.status in "
            + "('OPEN', 'BLOCKED') and d.status <> 'REORGED' order by k.created_at, k.id limit 1")
    public abstract Optional<KytCase> inboundHold(UUID walletId);

    /** A page of cases, oldest first, in {@code status} (null: any); limit + 1 rows. */
    public List<KytCase> page(@Nullable Status status, @Nullable Instant from, @Nullable Instant to,
                              @Nullable Cursors.TimeKey after, int limit) {
        Keyset q = new Keyset("");
        if (status != null) {
            q.and("status = ?", status.name());
        }
        q.created(from, to);
        return jdbc.execute(c -> q.page(c, "select " + COLUMNS + " from kyt_cases", after, false, limit,
                KytCaseRepository::read));
    }

    /** The case. */
    @Query("select id, address, direction, tx_request_id, deposit_id, reason, provider, status, created_at, "
            + "resolved_at, resolved_by, resolution from kyt_cases where id = :id")
    public abstract Optional<KytCase> find(UUID id);

    /** The case, its row locked until the transaction ends. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select id, address, direction, tx_request_id, deposit_id, reason, provider, status, created_at, "
            + "resolved_at, resolved_by, resolution from kyt_cases where id = :id for update")
    public abstract Optional<KytCase> lock(UUID id);

    /** The status of a case that exists (a transfer's own case). */
    public Status status(UUID id) {
        return Status.valueOf(statusName(id).orElseThrow(() -> new IllegalStateException("no KYT case " + id)));
    }

    /** Records the resolution of a case: its final status, when, by whom and the comment. */
    public void resolve(UUID id, Status status, Instant at, UUID by, String resolution) {
        update(id, status.name(), at, by, resolution);
    }

    @Query("select status from kyt_cases where id = :id")
    protected abstract Optional<String> statusName(UUID id);

    @Query("update kyt_cases set status = :status, resolved_at = :at, resolved_by = :by, resolution = :resolution "
            + "where id = :id")
    protected abstract void update(UUID id, String status, Instant at, UUID by, String resolution);

    private static KytCase read(ResultSet rs) throws SQLException {
        Timestamp resolved = rs.getTimestamp("resolved_at");
        return new KytCase(rs.getObject("id", UUID.class), rs.getString("address"), rs.getString("direction"),
                rs.getObject("tx_request_id", UUID.class), rs.getObject("deposit_id", UUID.class),
                rs.getString("reason"), rs.getString("provider"), Status.valueOf(rs.getString("status")),
                rs.getTimestamp("created_at").toInstant(), resolved == null ? null : resolved.toInstant(),
                rs.getObject("resolved_by", UUID.class), rs.getString("resolution"));
    }
}
