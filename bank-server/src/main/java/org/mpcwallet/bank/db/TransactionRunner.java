package org.mpcwallet.bank.db;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The bank's one way into a database transaction: a Micronaut transaction (joined when one is already open on this
 * thread, else a new one that commits when the work returns and rolls back when it throws), with a database failure
 * reported as a {@link StoreException}. Micronaut Data repositories called inside join it by themselves, so the
 * work usually needs nothing but itself ({@link Task}, {@link VoidTask}); work that still sends SQL through the
 * transaction's connection gets it ({@link Transactions.Work}, {@link VoidWork}). Either way all of it commits or
 * rolls back together.
 *
 * <p>Rules for the work (docs/redesign.md "Transactions"): it must not commit, roll back or close the connection; no
 * network call inside it (the signer, the node, a webhook receiver); and it must not catch an exception of a nested
 * transaction and carry on — the joined transaction is already marked to roll back.
 */
@Singleton
public final class TransactionRunner {
    private final TransactionOperations<Connection> transactions;

    public TransactionRunner(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** {@code work} in the current transaction or a new one. */
    public <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.inTransaction(transactions, work, StoreException::new);
    }

    /** {@code work}, which needs no connection, in the current transaction or a new one. */
    public <T> T inTransaction(Task<T> work) {
        return inTransaction(c -> work.run());
    }

    /** {@code work} in a transaction of its own that commits even when the caller's later rolls back. */
    public <T> T inOwnTransaction(Transactions.Work<T> work) {
        return Transactions.inOwnTransaction(transactions, work, StoreException::new);
    }

    /**
     * {@code work}, which needs no connection, in a transaction of its own (as
     * {@link #inOwnTransaction(Transactions.Work)}).
     */
    public <T> T inOwnTransaction(Task<T> work) {
        return inOwnTransaction(c -> work.run());
    }

    /**
     * As {@link #inOwnTransaction(Transactions.Work)}, with a database failure reported as {@code onSqlError}'s
     * exception (the audit log's {@code AuditWriteException}).
     */
    public <T> T inOwnTransaction(Transactions.Work<T> work,
                                  Function<SQLException, ? extends RuntimeException> onSqlError) {
        return Transactions.inOwnTransaction(transactions, work, onSqlError);
    }

    /** As {@link #inOwnTransaction(Task)}, with a database failure reported as {@code onSqlError}'s exception. */
    public <T> T inOwnTransaction(Task<T> work, Function<SQLException, ? extends RuntimeException> onSqlError) {
        return inOwnTransaction(c -> work.run(), onSqlError);
    }

    /** Whether a Micronaut transaction is open on this thread. */
    public boolean active() {
        return transactions.findTransactionStatus().isPresent();
    }

    /** {@code work} with no result, in the current transaction or a new one. */
    public void run(VoidWork work) {
        inTransaction(c -> {
            work.run(c);
            return null;
        });
    }

    /** {@code work} with no result and no need of the connection, in the current transaction or a new one. */
    public void run(VoidTask work) {
        inTransaction(c -> {
            work.run();
            return null;
        });
    }

    /** Work with no result, on the transaction's connection. */
    @FunctionalInterface
    public interface VoidWork {
        void run(Connection c) throws java.sql.SQLException;
    }

    /**
     * Work inside a transaction that needs no connection: the repositories it calls join the transaction. It may
     * throw the {@link SQLException} of an audit append, reported as the transaction's failure.
     */
    @FunctionalInterface
    public interface Task<T> {
        T run() throws SQLException;
    }

    /** A {@link Task} with no result. */
    @FunctionalInterface
    public interface VoidTask {
        void run() throws SQLException;
    }
}
