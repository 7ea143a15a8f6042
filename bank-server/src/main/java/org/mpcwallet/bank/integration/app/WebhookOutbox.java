package org.mpcwallet.bank.integration.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditAppendHook;
import org.mpcwallet.bank.audit.domain.AuditEvent;
import org.mpcwallet.bank.integration.domain.WebhookEvents;
import org.mpcwallet.bank.integration.persistence.WebhookOutboxRepository;

/**
 * The webhook outbox (docs/integration.md "Delivery"): every audit event that is a webhook event
 * ({@link WebhookEvents}) gets its outbox row in the audit append's own transaction, with the exact body that will
 * be delivered: the event id and type, the time, the audited facts as {@code data}, and the audit event's sequence
 * and hash.
 */
@Singleton
public class WebhookOutbox implements AuditAppendHook {
    private final JsonMapper json;
    private final WebhookOutboxRepository outbox;

    public WebhookOutbox(JsonMapper json, WebhookOutboxRepository outbox) {
        this.json = json;
        this.outbox = outbox;
    }

    @Override
    public void appended(AuditEvent event) throws SQLException {
        if (!WebhookEvents.AUDIT_TYPES.contains(event.type())) {
            return; // most appends (sign-ins, sessions, votes…) are no webhook event: not even parsed
        }
        Map<String, Object> payload;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = json.readValue(event.payload(), Map.class);
            payload = m;
        } catch (IOException | RuntimeException e) {
            return; // not an object (the audit log takes any JSON): no webhook event is an array or a number
        }
        if (payload == null) {
            return;
        }
        Optional<WebhookEvents.Outgoing> out = WebhookEvents.of(event.type(), payload);
        if (out.isEmpty()) {
            return;
        }
        WebhookEvents.Outgoing o = out.get();
        UUID id = UUID.randomUUID();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id.toString());
        body.put("type", o.type());
        body.put("timestamp", event.occurredAt().toString());
        body.put("data", o.data());
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("seq", event.seq());
        audit.put("hash", event.hash().hex());
        audit.put("type", event.type());
        body.put("audit", audit);
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (IOException e) {
            throw new SQLException("the webhook event could not be written as JSON", e);
        }
        outbox.insertOutbox(id, event.seq(), o.type(), o.entity(), o.walletId(), event.occurredAt(), text);
    }
}
