package org.mpcwallet.signer.pg;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.mpcwallet.signer.spi.PersistenceException;

/**
 * One transaction per repository call: a connection from the pool, auto-commit off, commit before returning (so a
 * write is durable when the port method returns), rollback on any failure. SQL errors become
 * {@link PersistenceException} naming the operation and the SQLSTATE only: no SQL text, parameters or blobs.
 */
final class Jdbc {
    private Jdbc() {
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    static <T> T inTransaction(DataSource dataSource, String operation, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new PersistenceException(operation + " failed (SQLSTATE " + e.getSQLState() + ")", safeCause(e));
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it discards the transaction anyway
        }
    }

    /**
     * The driver's message may quote parameter values (e.g. a duplicate key's value); keep only the SQLSTATE and the
     * exception type as the cause, so a logged stack trace cannot leak them either.
     */
    private static Throwable safeCause(SQLException e) {
        return new SQLException(e.getClass().getSimpleName(), e.getSQLState(), e.getErrorCode());
    }

    static long epochToColumn(int epoch) {
        return Integer.toUnsignedLong(epoch);
    }

    static int epochFromColumn(long column) {
        return (int) column;
    }
}
