package org.mpcwallet.bank.auth.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import java.time.Instant;
import java.util.UUID;
import org.mpcwallet.bank.limits.Throttle;

/**
 * Table {@code login_throttle} (V17): one account's failed sign-ins, as {@link Throttle.State}; Micronaut Data JDBC,
 * in the caller's Micronaut transaction ({@link #lock} refuses to run outside one: its row lock is the point).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class LoginThrottleRepository implements GenericRepository<LoginThrottle, UUID> {

    /** The account's state, its row locked until the transaction ends; CLEAR when there is none. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Throttle.State lock(UUID userId) {
        insertIfAbsent(userId);
        LoginThrottle row = lockRow(userId);
        return new Throttle.State(row.failures(), row.lastFailureAt(), row.nextAttemptAt(), row.lockedUntil());
    }

    /** Stores {@code s} for the account (CLEAR deletes the row). */
    public void save(UUID userId, Throttle.State s) {
        if (s.equals(Throttle.State.CLEAR)) {
            clear(userId);
            return;
        }
        update(userId, s.failures(), s.lastFailureAt(), s.nextAttemptAt(), s.lockedUntil());
    }

    /** Forgets the account's failures; true when there was a row. */
    public boolean clear(UUID userId) {
        return deleteByUserId(userId) == 1;
    }

    @Query("insert into login_throttle (user_id, failures, updated_at) values (:userId, 0, now()) "
            + "on conflict do nothing")
    protected abstract void insertIfAbsent(UUID userId);

    @Query("select user_id, failures, last_failure_at, next_attempt_at, locked_until, updated_at "
            + "from login_throttle where user_id = :userId for update")
    protected abstract LoginThrottle lockRow(UUID userId);

    @Query("update login_throttle set failures = :failures, last_failure_at = :lastFailureAt, "
            + "next_attempt_at = :nextAttemptAt, locked_until = :lockedUntil, updated_at = now() where user_id = :userId")
    protected abstract void update(UUID userId, int failures, @Nullable Instant lastFailureAt,
                                   @Nullable Instant nextAttemptAt, @Nullable Instant lockedUntil);

    protected abstract int deleteByUserId(UUID userId);
}
