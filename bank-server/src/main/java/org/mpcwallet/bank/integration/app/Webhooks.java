package org.mpcwallet.bank.integration.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.audit.domain.AuditEvent;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.integration.domain.WebhookEvents;
import org.mpcwallet.bank.integration.domain.WebhookUrl;
import org.mpcwallet.bank.integration.persistence.WebhookDeliveryLogRepository.Attempt;
import org.mpcwallet.bank.integration.persistence.WebhookDeliveryLogRepository.Delivery;
import org.mpcwallet.bank.integration.persistence.WebhookDeliveryLogRepository;
import org.mpcwallet.bank.integration.persistence.WebhookSubscriptionRepository.Subscription;
import org.mpcwallet.bank.integration.persistence.WebhookSubscriptionRepository;
import org.mpcwallet.bank.paging.Cursors;
import org.mpcwallet.bank.paging.Page;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;

/**
 * Webhook subscriptions, their delivery log and redelivery (docs/integration.md "Webhooks"). An API client manages
 * its own subscriptions; an ADMIN those of any client. Every change is audited.
 */
@Singleton
public class Webhooks {
    static final int MAX_SUBSCRIPTIONS_PER_CLIENT = 20;
    private static final int MAX_DESCRIPTION = 200;

    /** A delivery with every attempt. */
    public record DeliveryDetail(Delivery delivery, List<Attempt> attempts) {
    }

    private final TransactionRunner transactions;
    private final AuditLog audit;
    private final JsonMapper json;
    private final WebhookDispatcher dispatcher;
    private final WebhookSubscriptionRepository subscriptions;
    private final WebhookDeliveryLogRepository log;
    private final List<String> staffRoles = Caller.STAFF.stream().map(Role::name).sorted().toList();

    public Webhooks(TransactionRunner transactions, AuditLog audit, JsonMapper json, WebhookDispatcher dispatcher,
                    WebhookSubscriptionRepository subscriptions, WebhookDeliveryLogRepository log) {
        this.transactions = transactions;
        this.subscriptions = subscriptions;
        this.log = log;
        this.audit = audit;
        this.json = json;
        this.dispatcher = dispatcher;
    }

    public Subscription create(Caller caller, String clientId, String url, List<String> eventTypes,
                               String description) {
        Optional<String> bad = WebhookUrl.problem(url);
        if (bad.isPresent()) {
            throw invalid(bad.get());
        }
        if (eventTypes == null || eventTypes.isEmpty()) {
            throw invalid("eventTypes must name at least one of " + WebhookEvents.TYPES);
        }
        String unknown = WebhookEvents.firstUnknown(eventTypes);
        if (unknown != null) {
            throw invalid("eventTypes: " + unknown + " is none of " + WebhookEvents.TYPES);
        }
        List<String> types = List.copyOf(new LinkedHashSet<>(eventTypes));
        String d = description == null || description.isBlank() ? null : description.strip();
        if (d != null && d.length() > MAX_DESCRIPTION) {
            throw invalid("description must be at most " + MAX_DESCRIPTION + " characters");
        }
        return transactions.inTransaction(() -> {
            UUID client = clientFor(caller, clientId);
            if (subscriptions.countEnabled(client) >= MAX_SUBSCRIPTIONS_PER_CLIENT) {
                throw new WalletException(Kind.CONFLICT, "a client has at most " + MAX_SUBSCRIPTIONS_PER_CLIENT
                        + " enabled subscriptions; disable one first");
            }
            UUID id = UUID.randomUUID();
            AuditEvent e = audit.appendInTransaction(caller.actor(), "WEBHOOK_SUBSCRIBED", AuditPayload.of(json,
                    "subscriptionId", id.toString(), "clientId", client.toString(), "url", WebhookUrl.forLog(url),
                            "eventTypes", types,
                    "description", d));
            // it receives the events after its own creation (its audit event's seq)
            Subscription s = new Subscription(id, client, url, types, d, e.seq(), caller.userId(),
                    e.occurredAt(), null, null, null);
            subscriptions.insert(s);
            return s;
        });
    }

    public Page<Subscription> list(Caller caller, String clientId, String cursor, Integer limit) {
        int n = Cursors.limit(limit);
        Cursors.TimeKey after = Cursors.timeKey("webhooks", cursor);
        return transactions.inTransaction(() -> {
            UUID only;
            if (caller.isAdmin()) {
                only = clientId == null || clientId.isBlank() ? null : uuid(clientId, "clientId");
            } else {
                only = ownClient(caller);
            }
            List<Subscription> rows = subscriptions.page(only, after, n);
            return Page.of(rows, n, s -> Cursors.timeCursor("webhooks", s.createdAt(), s.id()));
        });
    }

    public Subscription get(Caller caller, String id) {
        return transactions.inTransaction(() -> visible(caller, id, false));
    }

    public Subscription disable(Caller caller, String id) {
        return transactions.inTransaction(() -> {
            Subscription s = visible(caller, id, true);
            if (s.disabledAt() == null) {
                subscriptions.setDisabled(s.id(), now(), "disabled by " + caller.actor());
                audit.appendInTransaction(caller.actor(), "WEBHOOK_DISABLED", AuditPayload.of(json, "subscriptionId",
                        s.id().toString(), "clientId", s.clientId().toString()));
            }
            return subscriptions.find(s.id()).orElseThrow();
        });
    }

    /** Enables again, by the client or an ADMIN: the deliveries that waited resume, the failure streak restarts. */
    public Subscription enable(Caller caller, String id) {
        Subscription out = transactions.inTransaction(() -> {
            Subscription s = visible(caller, id, true);
            if (s.disabledAt() != null) {
                subscriptions.enable(s.id());
                audit.appendInTransaction(caller.actor(), "WEBHOOK_ENABLED", AuditPayload.of(json, "subscriptionId",
                        s.id().toString(), "clientId", s.clientId().toString(), "wasDisabledFor",
                        s.disabledReason()));
            }
            return subscriptions.find(s.id()).orElseThrow();
        });
        dispatcher.wake();
        return out;
    }

    /** A page of the subscription's deliveries in event order; filters: state, the event's time in [from, to). */
    public Page<Delivery> deliveries(Caller caller, String id, String state, String createdFrom, String createdTo,
                                     String cursor, Integer limit) {
        java.time.Instant from = Cursors.instant("createdFrom", createdFrom);
        java.time.Instant to = Cursors.instant("createdTo", createdTo);
        int n = Cursors.limit(limit);
        long afterSeq = Cursors.seqKey("deliveries", cursor, 0);
        if (state != null && !List.of("PENDING", "DELIVERED", "FAILED").contains(state)) {
            throw invalid("state must be PENDING, DELIVERED or FAILED");
        }
        return transactions.inTransaction(() -> {
            Subscription s = visible(caller, id, false);
            List<Delivery> rows = log.deliveries(s.id(), state, from, to, afterSeq, n + 1);
            return Page.of(rows, n, d -> Cursors.seqCursor("deliveries", d.auditSeq()));
        });
    }

    public DeliveryDetail delivery(Caller caller, String id, String eventId) {
        return transactions.inTransaction(() -> {
            Subscription s = visible(caller, id, false);
            Delivery d = log.delivery(s.id(), uuidOr404(eventId)).orElseThrow(() ->
                    new WalletException(Kind.NOT_FOUND, "This subscription has no delivery of that event."));
            return new DeliveryDetail(d, log.attempts(d.id()));
        });
    }

    public DeliveryDetail redeliver(Caller caller, String id, String eventId) {
        transactions.inTransaction(() -> {
            Subscription s = visible(caller, id, false);
            UUID event = uuidOr404(eventId);
            if (!log.redeliver(s.id(), event, now())) {
                throw new WalletException(Kind.NOT_FOUND, "This subscription has no delivery of that event.");
            }
            audit.appendInTransaction(caller.actor(), "WEBHOOK_REDELIVERY_REQUESTED", AuditPayload.of(json,
                    "subscriptionId", s.id().toString(), "eventId", event.toString()));
            return null;
        });
        dispatcher.wake();
        return delivery(caller, id, eventId);
    }

    /** Every event since {@code since} again; returns how many deliveries were made due. */
    public int redeliverSince(Caller caller, String id, String since) {
        Instant from;
        try {
            from = Instant.parse(since == null ? "" : since);
        } catch (DateTimeParseException e) {
            throw invalid("since must be an ISO-8601 instant like 2026-12-07T00:00:00Z");
        }
        int n = transactions.inTransaction(() -> {
            Subscription s = visible(caller, id, false);
            int count = log.redeliverSince(s.id(), from, now(), WebhookEvents.CASE_ROLES,
                    staffRoles);
            audit.appendInTransaction(caller.actor(), "WEBHOOK_REDELIVERY_REQUESTED", AuditPayload.of(json,
                    "subscriptionId", s.id().toString(), "since", from.toString(), "deliveries", count));
            return count;
        });
        dispatcher.wake();
        return n;
    }

    // ---- access

    /** The client a new subscription is for: the calling client itself, or the one an ADMIN names. */
    private UUID clientFor(Caller caller, String clientId) {
        Optional<UUID> own = subscriptions.clientOfUser(caller.userId());
        if (own.isPresent()) {
            if (clientId != null && !clientId.isBlank() && !clientId.equals(own.get().toString())) {
                throw new WalletException(Kind.FORBIDDEN, "An API client subscribes only for itself.");
            }
            return own.get();
        }
        if (!caller.isAdmin()) {
            throw forbidden();
        }
        if (clientId == null || clientId.isBlank()) {
            throw invalid("clientId is required: the API client the subscription is for");
        }
        UUID id = uuid(clientId, "clientId");
        if (!subscriptions.clientExists(id)) {
            throw invalid("clientId names no API client");
        }
        return id;
    }

    private UUID ownClient(Caller caller) {
        return subscriptions.clientOfUser(caller.userId()).orElseThrow(Webhooks::forbidden);
    }

    private Subscription visible(Caller caller, String id, boolean lock) {
        UUID key = uuidOr404(id);
        Subscription s = (lock ? subscriptions.lock(key) : subscriptions.find(key)).orElseThrow(Webhooks::notFound);
        if (caller.isAdmin()) {
            return s;
        }
        Optional<UUID> own = subscriptions.clientOfUser(caller.userId());
        if (own.isEmpty()) {
            throw forbidden();
        }
        if (!own.get().equals(s.clientId())) {
            throw notFound();
        }
        return s;
    }

    private static WalletException forbidden() {
        return new WalletException(Kind.FORBIDDEN, "Webhooks are managed by API clients (their own) and ADMINs.");
    }

    private static WalletException notFound() {
        return new WalletException(Kind.NOT_FOUND, "No such webhook subscription.");
    }

    private static UUID uuidOr404(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WalletException(Kind.NOT_FOUND, "No such webhook subscription or event.");
        }
    }

    private static UUID uuid(String v, String field) {
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException e) {
            throw invalid(field + " must be a UUID");
        }
    }

    private static WalletException invalid(String message) {
        return new WalletException(Kind.INVALID_REQUEST, message);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

}
