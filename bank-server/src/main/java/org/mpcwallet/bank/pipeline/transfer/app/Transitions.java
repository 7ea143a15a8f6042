package org.mpcwallet.bank.pipeline.transfer.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Instant;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequestMachine;
import org.mpcwallet.bank.pipeline.transfer.domain.TxTransition;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one event to a request: asks the pure {@link TxRequestMachine}, persists a move under the version check
 * together with the field changes and, when the status changes, a TX_STATUS_CHANGED audit event — all in the caller's
 * transaction.
 */
@Singleton
public class Transitions {
    private static final Logger LOG = LoggerFactory.getLogger(Transitions.class);

    private final AuditLog audit;
    private final JsonMapper json;
    private final TxRequestRepository requests;

    public Transitions(AuditLog audit, JsonMapper json, TxRequestRepository requests) {
        this.audit = audit;
        this.json = json;
        this.requests = requests;
    }

    /** True when the event moved the request (false: refused by the machine, or the row changed meanwhile). */
    public boolean apply(TxRequest r, TxEvent event, Instant nextAttemptAt, String actor,
                         TxRequestRepository.Change... changes) throws SQLException {
        TxTransition t = TxRequestMachine.next(r.status(), event);
        if (t instanceof TxTransition.Refused refused) {
            LOG.debug("tx request {}: {}", r.id(), refused.reason());
            return false;
        }
        TxTransition.Move move = (TxTransition.Move) t;
        if (!requests.update(r, move.to(), nextAttemptAt, changes)) {
            LOG.info("tx request {} changed while a step ran; the step is void", r.id());
            return false;
        }
        if (move.to() != r.status()) {
            audit.appendInTransaction(actor, "TX_STATUS_CHANGED", AuditPayload.of(json, "txRequestId",
                    r.id().toString(), "walletId", r.walletId().toString(), "from", r.status().name(), "to",
                    move.to().name(), "event", event.getClass().getSimpleName(), "reason", move.reason()));
        }
        return true;
    }
}
