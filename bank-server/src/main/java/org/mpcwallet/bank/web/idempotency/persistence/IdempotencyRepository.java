package org.mpcwallet.bank.web.idempotency.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.db.TransactionRunner;

/**
 * Table {@code idempotency_key} (migration {@code V4__idempotency.sql}, rows {@link IdempotencyKeyRow}) on Micronaut
 * Data JDBC. Each call is one transaction ({@link TransactionRunner}; joined when the caller has one open), blocking:
 * call it off the event loop. Database errors become {@link org.mpcwallet.bank.db.StoreException} naming the SQLSTATE
 * only (no SQL text or values), so the caller answers a 5xx with a fixed detail. The table's key is composite: no
 * generated method needs it, every statement is a native query.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class IdempotencyRepository implements GenericRepository<IdempotencyKeyRow, UUID> {
    /** How long a key is remembered; older rows are deleted on every claim. */
    public static final String RETENTION = "24 hours";

    /** The outcome of {@link #claim}. */
    public sealed interface Claim {
        /** This request owns the key now and must execute. */
        record Claimed() implements Claim {
        }

        /** Another request with the same key has not completed yet. */
        record InProgress() implements Claim {
        }

        /** The key was used with a different request body. */
        record Mismatch() implements Claim {
        }

        /** The key completed with this request body: replay the stored response. */
        record Replay(int status, String contentType, byte[] body) implements Claim {
        }
    }

    @Inject
    TransactionRunner transactions;

    /**
     * Deletes expired rows, then claims {@code (scopeHash, key)} atomically with {@code INSERT ... ON CONFLICT DO
     * NOTHING}; of concurrent claimers exactly one gets {@link Claim.Claimed}. Otherwise the existing row decides.
     */
    public Claim claim(byte[] scopeHash, String key, byte[] requestHash) {
        return transactions.inTransaction(() -> {
            deleteExpired();
            if (insertIfNew(scopeHash, key, requestHash) == 1) {
                return new Claim.Claimed();
            }
            Optional<IdempotencyKeyRow> found = row(scopeHash, key);
            if (found.isEmpty()) {
                // released by a failed request between our insert and this read: its owner is still busy
                return new Claim.InProgress();
            }
            IdempotencyKeyRow r = found.get();
            if (!Arrays.equals(r.requestHash(), requestHash)) {
                return new Claim.Mismatch();
            }
            if (!"DONE".equals(r.state())) {
                return new Claim.InProgress();
            }
            return new Claim.Replay(r.responseStatus(), r.responseContentType(), r.responseBody());
        });
    }

    @Query("delete from idempotency_key where created_at < now() - interval '" + RETENTION + "'")
    protected abstract void deleteExpired();

    @Query("insert into idempotency_key (scope_hash, key, request_hash, state) "
            + "values (:scopeHash, :key, :requestHash, 'IN_PROGRESS') on conflict (scope_hash, key) do nothing")
    protected abstract int insertIfNew(byte[] scopeHash, String key, byte[] requestHash);

    @Query("select scope_hash, key, request_hash, state, response_status, response_content_type, response_body, "
            + "created_at from idempotency_key where scope_hash = :scopeHash and key = :key")
    protected abstract Optional<IdempotencyKeyRow> row(byte[] scopeHash, String key);

    /** Stores the response of a claimed key. */
    public void complete(byte[] scopeHash, String key, int status, @Nullable String contentType, byte[] body) {
        transactions.inTransaction(() -> done(status, contentType, body, scopeHash, key));
    }

    @Query("update idempotency_key set state = 'DONE', response_status = :status, "
            + "response_content_type = :contentType, response_body = :body "
            + "where scope_hash = :scopeHash and key = :key and state = 'IN_PROGRESS'")
    protected abstract int done(int status, @Nullable String contentType, byte[] body, byte[] scopeHash,
                                String key);

    /** Forgets a claimed key whose request failed (5xx), so a retry executes again. */
    public void release(byte[] scopeHash, String key) {
        transactions.inTransaction(() -> forget(scopeHash, key));
    }

    @Query("delete from idempotency_key where scope_hash = :scopeHash and key = :key and state = 'IN_PROGRESS'")
    protected abstract int forget(byte[] scopeHash, String key);
}
