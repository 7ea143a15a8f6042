package org.mpcwallet.bank.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A transaction on a connection of its own, for tests of stores on a plain pool outside a Micronaut context (the bank
 * itself runs every transaction through {@link TransactionRunner}).
 */
public final class PoolTransactions {
    private PoolTransactions() {
    }

    /** Runs {@code work} in a new transaction on a pooled connection; commits on return, rolls back on a throw. */
    public static <T> T inTransaction(DataSource dataSource, Transactions.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test store failed (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }
}
