package org.mpcwallet.bank.mpc.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.mpc.domain.Incident;
import org.mpcwallet.bank.paging.Cursors;

/**
 * The channel's side of {@code incidents} (a key locked by a failed signature) and {@code refresh_authorizations}
 * (an ADMIN's permission for one refresh), on Micronaut Data JDBC: in the caller's transaction.
 * {@link #openRefreshAuthorization} locks its row and refuses to run outside a transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class KeyIncidentRepository implements GenericRepository<IncidentRow, UUID> {
    @Inject
    JdbcOperations jdbc;

    /**
     * A page of incidents, oldest first, in {@code status} and of {@code walletId} (null: any), created in [from, to)
     * (null: unbounded), after {@code after}; limit + 1 rows.
     */
    public List<Incident> page(String status, UUID walletId, Instant from, Instant to, Cursors.TimeKey after,
                               int limit) {
        Keyset q = new Keyset("");
        if (status != null) {
            q.and("status = ?", status);
        }
        if (walletId != null) {
            q.and("wallet_id = ?", walletId);
        }
        q.created(from, to);
        return jdbc.execute(c -> q.page(c, "select id, kind, wallet_id, keyset_id, session_id, detail, status, "
                + "created_at, resolved_at from incidents", after, false, limit, rs -> {
                    Timestamp resolved = rs.getTimestamp(9);
                    return new Incident(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                            rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7),
                            rs.getTimestamp(8).toInstant(), resolved == null ? null : resolved.toInstant());
                }));
    }

    /** Whether the wallet has an open KEY_LOCKED incident. */
    @Query("select exists (select 1 from incidents where wallet_id = :walletId and kind = 'KEY_LOCKED' "
            + "and status = 'OPEN')")
    public abstract boolean keyLockOpen(UUID walletId);

    /** Opens a KEY_LOCKED incident for the wallet's keyset, caused by session {@code sessionId}. */
    public void openKeyLock(UUID incidentId, UUID walletId, String keysetId, UUID sessionId, String detail) {
        insertKeyLock(incidentId, walletId, keysetId, sessionId, detail, Instant.now());
    }

    @Query("insert into incidents (id, kind, wallet_id, keyset_id, session_id, detail, status, created_at) "
            + "values (:id, 'KEY_LOCKED', :walletId, :keysetId, :sessionId, :detail, 'OPEN', :at)")
    protected abstract void insertKeyLock(UUID id, UUID walletId, String keysetId, UUID sessionId, String detail,
                                          Instant at);

    /** Resolves the wallet's open KEY_LOCKED incidents (a refresh replaced the shares); returns how many. */
    @Query("update incidents set status = 'RESOLVED', resolved_at = now() where wallet_id = :walletId "
            + "and kind = 'KEY_LOCKED' and status = 'OPEN'")
    public abstract int resolveKeyLocks(UUID walletId);

    /** Resolves the wallet's open KEY_LOCKED incidents at {@code at} (the key was rotated and swept). */
    @Query("update incidents set status = 'RESOLVED', resolved_at = :at where wallet_id = :walletId "
            + "and kind = 'KEY_LOCKED' and status = 'OPEN'")
    public abstract void resolveKeyLocks(UUID walletId, Instant at);

    /** Until when the wallet's open refresh authorization (unused, valid at {@code now}) runs, if it has one. */
    @Query("select expires_at from refresh_authorizations where wallet_id = :walletId and used_at is null "
            + "and expires_at > :now limit 1")
    public abstract Optional<Instant> openRefreshAuthorizationUntil(UUID walletId, Instant now);

    /** Records an ADMIN's refresh authorization. */
    @Query("insert into refresh_authorizations (id, wallet_id, authorized_by, reason, created_at, expires_at) "
            + "values (:id, :walletId, :authorizedBy, :reason, :createdAt, :expiresAt)")
    public abstract void insertRefreshAuthorization(UUID id, UUID walletId, UUID authorizedBy, String reason,
                                                    Instant createdAt, Instant expiresAt);

    /** The wallet's oldest unused, unexpired refresh authorization, locked until the transaction ends. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select id from refresh_authorizations where wallet_id = :walletId and used_at is null "
            + "and expires_at > now() order by created_at limit 1 for update")
    public abstract Optional<UUID> openRefreshAuthorization(UUID walletId);

    /** Marks the wallet's oldest open refresh authorization used by {@code sessionId}. */
    @Query("update refresh_authorizations set used_at = now(), session_id = :sessionId where id = (select id from "
            + "refresh_authorizations where wallet_id = :walletId and used_at is null and expires_at > now() "
            + "order by created_at limit 1)")
    public abstract void useRefreshAuthorization(UUID walletId, UUID sessionId);
}
