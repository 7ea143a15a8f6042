package org.mpcwallet.bank.mpc.persistence;

import io.micronaut.core.annotation.Introspected;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.mpc.channel.SessionKind;

/**
 * Table {@code mpc_sessions}, the channel's sessions (one row each, docs/mpc-channel.md), on Micronaut Data JDBC: in
 * the caller's transaction. A RUNNING row that made no progress for longer than a step may take plus
 * {@link #STALE_MARGIN_SECONDS} belongs to an instance that died (kill -9, power loss): it no longer counts.
 * {@link #lockStarts} holds a transaction-scoped lock and refuses to run outside a transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class MpcSessionRepository implements GenericRepository<MpcSessionRow, UUID> {
    @Inject
    JdbcOperations jdbc;

    /** Added to the step timeout before a RUNNING session without progress counts as left by a dead instance. */
    public static final int STALE_MARGIN_SECONDS = 15;
    /** The advisory lock that serializes session starts while their caps are counted ("mpc-caps" in ASCII). */
    private static final long SESSION_START_LOCK = 0x6d70632d63617073L;

    /** Sessions running now: the user's and everybody's. */
    @Introspected
    public record Running(int mine, int total) {
    }

    /** The user's key generations in the last hour, and seconds until the oldest of them leaves the hour. */
    @Introspected
    public record RecentKeygens(int count, double secondsUntilOneLeaves) {
    }

    /** A keygen session the sweeper expired, and its wallet. */
    public record ExpiredKeygen(UUID sessionId, UUID walletId) {
    }

    /** Serializes session starts until the transaction ends, so two starts cannot both pass a count. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void lockStarts() {
        advisoryXactLock(SESSION_START_LOCK);
    }

    @Query("select count(*) from (select pg_advisory_xact_lock(:key)) l")
    protected abstract long advisoryXactLock(long key);

    /** The user's and everybody's sessions running now (live: before the deadline, progressing). */
    public Running running(UUID userId, int stepTimeoutSeconds) {
        return running(userId, (double) stepTimeoutSeconds + STALE_MARGIN_SECONDS);
    }

    @Query("select count(*) filter (where user_id = :userId) as mine, count(*) as total from mpc_sessions "
            + "where status = 'RUNNING' and deadline_at > now() and updated_at > now() - make_interval(secs => :stale)")
    protected abstract Running running(UUID userId, double stale);

    /** The user's key generations started in the last hour. */
    public RecentKeygens keygensInLastHour(UUID userId) {
        return startedInLastHour(userId, SessionKind.KEYGEN.name());
    }

    /** The user's presign sessions started in the last hour (the same shape as the key generations'). */
    public RecentKeygens presignsInLastHour(UUID userId) {
        return startedInLastHour(userId, SessionKind.PRESIGN.name());
    }

    @Query("select count(*) as count, coalesce(extract(epoch from min(created_at) + interval '1 hour' - now()), 0) "
            + "as seconds_until_one_leaves from mpc_sessions where kind = :kind and user_id = :userId "
            + "and created_at > now() - interval '1 hour'")
    protected abstract RecentKeygens startedInLastHour(UUID userId, String kind);

    /** A new RUNNING session at {@code seq} 0 until {@code deadline} (epoch milliseconds). */
    public void insert(UUID id, SessionKind kind, UUID walletId, UUID requestId, UUID userId, byte[] sid,
                       long deadline) {
        insertRow(id, kind.name(), walletId, requestId, userId, sid, Instant.ofEpochMilli(deadline));
    }

    @Query("insert into mpc_sessions (id, kind, wallet_id, request_id, user_id, status, sid, last_seq, created_at, "
            + "updated_at, deadline_at) values (:id, :kind, :walletId, :requestId, :userId, 'RUNNING', :sid, 0, now(), "
            + "now(), :deadlineAt)")
    protected abstract void insertRow(UUID id, String kind, UUID walletId, @Nullable UUID requestId, UUID userId,
                                      byte[] sid, Instant deadlineAt);

    /**
     * Whether a live session of the wallet runs: a keygen or refresh ({@code requestId} null), or one for the sign
     * request {@code requestId}.
     */
    public boolean runningFor(UUID walletId, UUID requestId, int stepTimeoutSeconds) {
        double stale = (double) stepTimeoutSeconds + STALE_MARGIN_SECONDS;
        return requestId == null ? keyRunning(walletId, stale) : signRunning(walletId, requestId, stale);
    }

    @Query("select exists (select 1 from mpc_sessions where status = 'RUNNING' and wallet_id = :walletId and "
            + "kind in ('KEYGEN', 'REFRESH') and deadline_at > now() and updated_at > now() - make_interval(secs => "
            + ":stale))")
    protected abstract boolean keyRunning(UUID walletId, double stale);

    @Query("select exists (select 1 from mpc_sessions where status = 'RUNNING' and wallet_id = :walletId and "
            + "request_id = :requestId and deadline_at > now() and updated_at > now() - make_interval(secs => "
            + ":stale))")
    protected abstract boolean signRunning(UUID walletId, UUID requestId, double stale);

    @Query("update mpc_sessions set last_seq = :seq, updated_at = now() where id = :id and status = 'RUNNING'")
    public abstract void updateSeq(UUID id, int seq);

    /** When the session started (for the duration the metrics report), if it exists. */
    @Query("select created_at from mpc_sessions where id = :id")
    public abstract Optional<Instant> startedAt(UUID id);

    /** Marks a RUNNING session COMPLETED; false when it is no longer RUNNING (the sweeper expired it). */
    public boolean complete(UUID id) {
        return markCompleted(id) == 1;
    }

    @Query("update mpc_sessions set status = 'COMPLETED', updated_at = now() where id = :id and status = 'RUNNING'")
    protected abstract int markCompleted(UUID id);

    /**
     * The sign request's co-signing sessions that failed or expired so far; an online signing whose presignature the
     * signer did not hold is not counted (the pool's state, found before anything was computed; the device co-signs
     * with SIGN next).
     */
    @Query("select count(*) from mpc_sessions where request_id = :signRequestId and status in ('FAILED', 'EXPIRED') "
            + "and failure_code is distinct from 'PRESIGNATURE_UNAVAILABLE'")
    public abstract int failedFor(UUID signRequestId);

    /** Marks a RUNNING session {@code status} (FAILED, EXPIRED) with its failure. */
    @Query("update mpc_sessions set status = :status, failure_code = :code, failure_detail = :detail, "
            + "updated_at = now() where id = :id and status = 'RUNNING'")
    public abstract void fail(UUID id, String status, String code, String detail);

    /**
     * Expires the RUNNING sessions past their deadline (by more than 5 s: those of a process that died, or that lost
     * its connection record); returns the keygen sessions among them. Sent as written through the transaction's
     * connection: Micronaut Data maps a native {@code update ... returning} to the rows' ids, not to the columns.
     */
    public List<ExpiredKeygen> expireOverdue() {
        return jdbc.prepareStatement("update mpc_sessions set status = 'EXPIRED', failure_code = 'TIMEOUT', "
                + "failure_detail = 'session not finished by its deadline', updated_at = now() where status = "
                + "'RUNNING' and deadline_at < now() - interval '5 seconds' returning id, kind, wallet_id", ps -> {
                    List<ExpiredKeygen> keygens = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if ("KEYGEN".equals(rs.getString(2))) {
                                keygens.add(new ExpiredKeygen(rs.getObject(1, UUID.class),
                                        rs.getObject(3, UUID.class)));
                            }
                        }
                    }
                    return keygens;
                });
    }
}
