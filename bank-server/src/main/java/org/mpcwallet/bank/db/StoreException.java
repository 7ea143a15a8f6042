package org.mpcwallet.bank.db;

import java.sql.SQLException;

/**
 * The database failed under a piece of work (a lost connection, a constraint the caller did not expect, a
 * serialization failure). The message names the SQLSTATE only, never SQL text or values; the API answers 500 without
 * detail.
 */
public final class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super("store failed (SQLSTATE " + cause.getSQLState() + ")", cause);
    }
}
