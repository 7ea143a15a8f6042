package org.mpcwallet.bank.changes.app;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.changes.persistence.PendingChangeRepository;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;

/**
 * Proposing a change that needs a second ADMIN (docs/admin-console.md "Four eyes"). The features call it instead of
 * applying such a change while four eyes are required ({@code BANK_FOUR_EYES}, {@code required} by default; tests
 * that are not about it turn it off). The proposal is audited {@code CHANGE_PROPOSED}; nothing else changes yet.
 */
@Singleton
public class ChangeProposals {
    private final TransactionRunner transactions;
    private final PendingChangeRepository store;
    private final AuditLog audit;
    private final JsonMapper json;
    private final boolean required;
    private final Clock clock = Clock.systemUTC();

    public ChangeProposals(TransactionRunner transactions,
                           PendingChangeRepository store, AuditLog audit, JsonMapper json,
                           @Value("${bank.four-eyes:required}") String mode) {
        this.transactions = transactions;
        this.store = store;
        this.audit = audit;
        this.json = json;
        String m = mode == null ? "required" : mode.strip().toLowerCase(Locale.ROOT);
        if (!m.equals("required") && !m.equals("off")) {
            throw new IllegalArgumentException("BANK_FOUR_EYES must be 'required' or 'off'");
        }
        this.required = m.equals("required");
    }

    /** Whether changes of the four-eyes kinds wait for a second ADMIN. */
    public boolean required() {
        return required;
    }

    /** Records the proposal of an ADMIN; the change applies when another ADMIN approves it. */
    public PendingChange propose(Caller proposer, String kind, Map<String, Object> payload, String summary,
                                 String correlationId) {
        if (!proposer.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only an ADMIN proposes a change to the controls.");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return transactions.inTransaction(() -> {
            store.insert(id, kind, payload, summary, proposer.userId(), now);
            audit.appendInTransaction(proposer.actor(), "CHANGE_PROPOSED", AuditPayload.of(json, "changeId",
                    id.toString(), "kind", kind, "summary", summary, "payload", payload, "correlationId",
                    correlationId));
            return store.find(id, false).orElseThrow();
        });
    }
}
