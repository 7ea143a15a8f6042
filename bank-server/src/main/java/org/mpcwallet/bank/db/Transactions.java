package org.mpcwallet.bank.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;

/** One database transaction around a piece of work: commit on success, roll back on any failure. */
public final class Transactions {
    private Transactions() {
    }

    /** Work inside a transaction on {@code c} (auto-commit off). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in a new transaction. Runtime exceptions pass through after the rollback; an
     * {@link SQLException} becomes {@code onSqlError}'s exception (which must not carry SQL text or values).
     */
    public static <T> T inTransaction(DataSource dataSource, Work<T> work,
                                      Function<SQLException, ? extends RuntimeException> onSqlError) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; closing it discards the transaction
                }
                throw e;
            }
        } catch (SQLException e) {
            throw onSqlError.apply(e);
        }
    }
}
