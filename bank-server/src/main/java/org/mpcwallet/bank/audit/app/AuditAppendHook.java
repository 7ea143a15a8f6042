package org.mpcwallet.bank.audit.app;

import java.sql.Connection;
import java.sql.SQLException;
import org.mpcwallet.bank.audit.domain.AuditEvent;

/**
 * Runs inside every audit append's transaction, after the event is inserted: what it writes on {@code c} commits or
 * rolls back with the event (and with the change the event records). The webhook outbox is one.
 */
public interface AuditAppendHook {
    void appended(Connection c, AuditEvent event) throws SQLException;
}
