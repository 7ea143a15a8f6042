package org.mpcwallet.bank.audit.app;

import java.sql.SQLException;
import org.mpcwallet.bank.audit.domain.AuditEvent;

/**
 * Runs inside every audit append's Micronaut transaction, after the event is inserted: what it writes through a
 * repository (which joins that transaction) commits or rolls back with the event (and with the change the event
 * records). The webhook outbox is one.
 */
public interface AuditAppendHook {
    void appended(AuditEvent event) throws SQLException;
}
