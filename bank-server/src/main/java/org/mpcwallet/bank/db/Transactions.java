package org.mpcwallet.bank.db;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.exceptions.TransactionException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * One Micronaut transaction around a piece of work: commit on success, roll back on any failure; Micronaut Data
 * repositories called inside join it, and the work gets its connection for the stores that still take one. The bank
 * calls it through {@link TransactionRunner} (database failures as {@link StoreException}).
 */
public final class Transactions {
    private Transactions() {
    }

    /** Work inside a transaction on {@code c} (auto-commit off). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }


    /**
     * Runs {@code work} in the current Micronaut transaction, or in a new one that commits when {@code work}
     * returns and rolls back when it throws. {@code work} gets the transaction's connection for the repositories that
     * still take one; Micronaut Data repositories called inside use the same connection, so all of it commits or
     * rolls back together. The work must not commit, roll back, close or change the auto-commit of that connection.
     * A failure of the database (an {@link SQLException}, also one wrapped by Micronaut Data or its transaction
     * manager) becomes {@code onSqlError}'s exception; other runtime exceptions pass through after the rollback.
     */
    public static <T> T inTransaction(TransactionOperations<Connection> transactions, Work<T> work,
                                      Function<SQLException, ? extends RuntimeException> onSqlError) {
        try {
            return transactions.executeWrite(status -> work.run(status.getConnection()));
        } catch (Exception e) { // the callback rethrows the work's SQLException as it is, undeclared
            throw storeFailure(e, onSqlError);
        }
    }

    /**
     * As {@link #inTransaction(TransactionOperations, Work, Function)} in a Micronaut transaction of its own
     * ({@code REQUIRES_NEW}): it commits when the work returns even when the caller is inside a transaction that
     * later rolls back (what a single-use token's spending needs: a refused answer must not give the token back).
     */
    public static <T> T inOwnTransaction(TransactionOperations<Connection> transactions, Work<T> work,
                                         Function<SQLException, ? extends RuntimeException> onSqlError) {
        try {
            return transactions.execute(io.micronaut.transaction.TransactionDefinition.of(
                    io.micronaut.transaction.TransactionDefinition.Propagation.REQUIRES_NEW),
                    status -> work.run(status.getConnection()));
        } catch (Exception e) { // the callback rethrows the work's SQLException as it is, undeclared
            throw storeFailure(e, onSqlError);
        }
    }

    /** {@code e} as a {@link StoreException} when it is a database failure, else as it is (to be thrown). */
    public static RuntimeException storeFailure(Exception e) {
        return storeFailure(e, StoreException::new);
    }

    /**
     * {@code e} as the caller's exception: a database failure ({@link SQLException}, or one that Micronaut Data, its
     * connection or transaction management wrapped) becomes {@code onSqlError}'s; any other runtime exception is
     * returned as it is (to be thrown).
     */
    public static RuntimeException storeFailure(Exception e,
                                                Function<SQLException, ? extends RuntimeException> onSqlError) {
        if (e instanceof SQLException sql) {
            return onSqlError.apply(sql);
        }
        if (e instanceof DataAccessException || e instanceof TransactionException || e instanceof ConnectionException) {
            for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
                if (t instanceof SQLException sql) {
                    return onSqlError.apply(sql);
                }
            }
        }
        if (e instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException("unexpected checked exception in a transaction", e);
    }
}
