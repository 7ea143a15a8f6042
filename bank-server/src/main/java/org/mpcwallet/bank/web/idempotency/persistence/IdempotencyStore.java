package org.mpcwallet.bank.web.idempotency.persistence;

import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import org.mpcwallet.bank.db.TransactionRunner;

/**
 * Table {@code idempotency_key} (migration {@code V4__idempotency.sql}). Plain JDBC, one transaction per call,
 * blocking: call it off the event loop. SQL errors become {@link org.mpcwallet.bank.db.StoreException} naming the
 * SQLSTATE only (no SQL text or values), so the caller answers a 5xx with a fixed detail.
 */
@Singleton
public final class IdempotencyStore {
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

    private final TransactionRunner transactions;

    public IdempotencyStore(TransactionRunner transactions) {
        this.transactions = transactions;
    }

    /**
     * Deletes expired rows, then claims {@code (scopeHash, key)} atomically with {@code INSERT ... ON CONFLICT DO
     * NOTHING}; of concurrent claimers exactly one gets {@link Claim.Claimed}. Otherwise the existing row decides.
     */
    public Claim claim(byte[] scopeHash, String key, byte[] requestHash) {
        return transactions.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from idempotency_key where created_at < now() - interval '" + RETENTION + "'")) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into idempotency_key (scope_hash, key, request_hash, state) values (?, ?, ?, 'IN_PROGRESS')"
                            + " on conflict (scope_hash, key) do nothing")) {
                ps.setBytes(1, scopeHash);
                ps.setString(2, key);
                ps.setBytes(3, requestHash);
                if (ps.executeUpdate() == 1) {
                    return new Claim.Claimed();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select request_hash, state, response_status, response_content_type, response_body"
                            + " from idempotency_key where scope_hash = ? and key = ?")) {
                ps.setBytes(1, scopeHash);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        // released by a failed request between our insert and this read: its owner is still busy
                        return new Claim.InProgress();
                    }
                    if (!Arrays.equals(rs.getBytes(1), requestHash)) {
                        return new Claim.Mismatch();
                    }
                    if (!"DONE".equals(rs.getString(2))) {
                        return new Claim.InProgress();
                    }
                    return new Claim.Replay(rs.getInt(3), rs.getString(4), rs.getBytes(5));
                }
            }
        });
    }

    /** Stores the response of a claimed key. */
    public void complete(byte[] scopeHash, String key, int status, String contentType, byte[] body) {
        transactions.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update idempotency_key set state = 'DONE', response_status = ?, response_content_type = ?,"
                            + " response_body = ? where scope_hash = ? and key = ? and state = 'IN_PROGRESS'")) {
                ps.setInt(1, status);
                ps.setString(2, contentType);
                ps.setBytes(3, body);
                ps.setBytes(4, scopeHash);
                ps.setString(5, key);
                return ps.executeUpdate();
            }
        });
    }

    /** Forgets a claimed key whose request failed (5xx), so a retry executes again. */
    public void release(byte[] scopeHash, String key) {
        transactions.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from idempotency_key where scope_hash = ? and key = ? and state = 'IN_PROGRESS'")) {
                ps.setBytes(1, scopeHash);
                ps.setString(2, key);
                return ps.executeUpdate();
            }
        });
    }

}
