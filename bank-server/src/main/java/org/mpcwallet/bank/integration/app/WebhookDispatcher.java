package org.mpcwallet.bank.integration.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.integration.domain.RetrySchedule;
import org.mpcwallet.bank.integration.domain.WebhookEvents;
import org.mpcwallet.bank.integration.domain.WebhookUrl;
import org.mpcwallet.bank.integration.persistence.WebhookOutboxRepository;
import org.mpcwallet.bank.integration.persistence.WebhookSubscriptionRepository;
import org.mpcwallet.bank.sched.Periodic;
import org.mpcwallet.bank.wallet.app.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook events (docs/integration.md "Delivery"): each round fans new outbox rows out to the matching
 * subscriptions, claims due deliveries (the oldest pending one of each entity per subscription, under a lease),
 * POSTs them signed, with no transaction open during the call, and records each attempt: delivered on 2xx, else the
 * next try by the {@link RetrySchedule} or given up, and an endpoint failing for {@code disableAfter} disabled.
 */
@Context
public class WebhookDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final String ACTOR = "system:webhooks";
    private static final int FAN_OUT_BATCH = 500;
    private static final int MAX_ERROR = 200;

    private final TransactionRunner transactions;
    private final WebhookSubscriptionRepository subscriptions;
    private final WebhookOutboxRepository outbox;
    private final WebhookConfig config;
    private final WebhookSigningKey key;
    private final AuditLog audit;
    private final io.micronaut.json.JsonMapper json;
    private final RetrySchedule schedule;
    private final HttpClient http;
    private final ExecutorService senders;
    private final Periodic timer;
    private final SecureRandom random = new SecureRandom();
    private final List<String> staffRoles = Caller.STAFF.stream().map(Role::name).sorted().toList();
    private final Timer latency;
    private final MeterRegistry registry;
    private final java.util.concurrent.atomic.AtomicLong backlog = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong disabledEndpoints =
            new java.util.concurrent.atomic.AtomicLong();
    /** Deliveries sent and not yet answered (or timed out), across rounds. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** How long a round waits for its own deliveries before the next round may start. */
    static final long ROUND_WAIT_MILLIS = 1_000;
    private volatile long backlogAt = System.nanoTime() - BACKLOG_EVERY_NANOS;
    private static final long BACKLOG_EVERY_NANOS = 5_000_000_000L;

    public WebhookDispatcher(TransactionRunner transactions, WebhookConfig config, WebhookSigningKey key,
                             AuditLog audit, io.micronaut.json.JsonMapper json, MeterRegistry registry,
                             WebhookSubscriptionRepository subscriptions, WebhookOutboxRepository outbox) {
        this.transactions = transactions;
        this.subscriptions = subscriptions;
        this.outbox = outbox;
        this.config = config;
        this.key = key;
        this.audit = audit;
        this.json = json;
        this.registry = registry;
        this.schedule = new RetrySchedule(config.retryDelays(), 0.2);
        this.senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-send-", 0).factory());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1)
                .executor(senders).build();
        this.latency = Timer.builder("webhook.delivery.latency")
                .description("From the event's commit to the receiver's 2xx answer (first delivery of each)")
                .publishPercentileHistogram().register(registry);
        registry.gauge("webhook.deliveries.pending", backlog);
        registry.gauge("webhook.endpoints.disabled", disabledEndpoints);
        for (String outcome : List.of("delivered", "retry", "failed")) {
            registry.counter("webhook.delivery.attempts", "outcome", outcome); // present from the start, at 0
        }
        this.timer = Periodic.every("webhook-dispatcher", config.pollIntervalMillis(), this::runQuietly);
    }

    @PreDestroy
    void stop() {
        timer.close();
        senders.shutdownNow();
    }

    /** Wakes the dispatcher now (a redelivery was asked for). */
    public void wake() {
        timer.wake();
    }

    private void runQuietly() {
        try {
            if (runOnce() > 0) {
                timer.wake();
            }
        } catch (RuntimeException e) {
            LOG.warn("webhooks: a round failed ({}: {})", e.getClass().getSimpleName(), e.getMessage());
        }
    }

    /**
     * One round: fan out, then send what is due, at most {@code concurrency} deliveries in flight across rounds;
     * returns how much it did. The round waits for its deliveries at most {@link #ROUND_WAIT_MILLIS}: a receiver that
     * takes its time (up to the request timeout) goes on answering in the background, its delivery leased, while the
     * next rounds serve the others. A finished delivery wakes the dispatcher for what was waiting for room.
     */
    public int runOnce() {
        Instant now = now();
        if (System.nanoTime() - backlogAt >= BACKLOG_EVERY_NANOS) {
            backlogAt = System.nanoTime();
            backlog.set(backlog());
            disabledEndpoints.set(endpointsDisabled());
        }
        int fanned = transactions.inTransaction(() -> outbox.fanOut(FAN_OUT_BATCH, WebhookEvents.CASE_ROLES,
                staffRoles, now));
        int room = config.concurrency() - inFlight.get();
        if (room <= 0) {
            return fanned;
        }
        List<WebhookOutboxRepository.Claimed> claimed = transactions.inTransaction(() -> outbox.claim(now,
                now.plus(config.lease()), room, Math.min(config.perSubscription(), config.concurrency())));
        if (claimed.isEmpty()) {
            return fanned;
        }
        List<Future<?>> running = new ArrayList<>();
        for (WebhookOutboxRepository.Claimed d : claimed) {
            inFlight.incrementAndGet();
            try {
                running.add(senders.submit(() -> {
                    try {
                        deliver(d);
                    } catch (RuntimeException e) { // recording failed (the database): the lease runs out, it is retried
                        LOG.warn("webhooks: a delivery failed to record ({})", e.getClass().getSimpleName());
                    } finally {
                        inFlight.decrementAndGet();
                        timer.wake();
                    }
                }));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                inFlight.decrementAndGet(); // the bank stops: the lease runs out and it is claimed again after
                break;
            }
        }
        long deadline = System.nanoTime() + ROUND_WAIT_MILLIS * 1_000_000L;
        for (Future<?> f : running) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException slow) {
                // still answering: it finishes in the background
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fanned + claimed.size();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("webhooks: a delivery failed to record ({})", e.getCause().getClass().getSimpleName());
            }
        }
        return fanned + claimed.size();
    }

    private void deliver(WebhookOutboxRepository.Claimed d) {
        Instant started = now();
        long timestamp = started.getEpochSecond();
        String id = d.eventId().toString();
        byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
        Integer status = null;
        String error = null;
        long t0 = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(d.url())).timeout(config.requestTimeout())
                    .header("content-type", "application/json").header("user-agent", "mpc-wallet-bank-webhooks/1")
                    .header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", key.sign(id, timestamp, body)).header("webhook-key-id", key.kid())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            // the request's own timeout stops at the answer's headers; a receiver that then drips its body is cut
            // off here, so no attempt outlives the request timeout (and so its lease, at least twice as long)
            java.util.concurrent.CompletableFuture<HttpResponse<Void>> pending = http.sendAsync(request,
                    HttpResponse.BodyHandlers.discarding());
            try {
                status = pending.get(config.requestTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .statusCode();
            } catch (java.util.concurrent.TimeoutException e) {
                pending.cancel(true);
                error = noAnswer();
            } catch (java.util.concurrent.ExecutionException e) {
                error = e.getCause() instanceof java.net.http.HttpTimeoutException ? noAnswer()
                        : e.getCause() instanceof java.net.ConnectException ? "connection refused or unreachable"
                        : "connection failed: " + e.getCause().getClass().getSimpleName();
            } catch (InterruptedException e) {
                pending.cancel(true);
                Thread.currentThread().interrupt();
                return; // stopping: the lease runs out and the delivery is claimed again
            }
        } catch (IllegalArgumentException e) {
            error = "the URL cannot be requested";
        }
        int ms = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - t0) / 1_000_000);
        record(d, started, status, error == null && status != null && !RetrySchedule.delivered(status)
                ? "answered " + status : error, ms);
    }

    private String noAnswer() {
        return "no answer within " + config.requestTimeout().toSeconds() + " s";
    }

    private void record(WebhookOutboxRepository.Claimed d, Instant started, Integer status, String error, int ms) {
        Instant now = now();
        boolean ok = RetrySchedule.delivered(status);
        Optional<Duration> next = ok ? Optional.empty() : schedule.next(d.scheduled(), status, random.nextDouble());
        String state = ok ? "DELIVERED" : next.isPresent() ? "PENDING" : "FAILED";
        String err = error == null ? null : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        boolean disabled = transactions.inTransaction(() -> {
            if (!outbox.record(d.deliveryId(), d.attempt(), d.retryBase(), started, status, err, ms, state,
                    next.map(now::plus).orElse(null), ok ? now : null)) {
                return false;
            }
            if (ok) {
                subscriptions.succeeded(d.subscriptionId());
                return false;
            }
            Instant since = subscriptions.failing(d.subscriptionId(), now);
            if (Duration.between(since, now).compareTo(config.disableAfter()) >= 0) {
                Optional<WebhookSubscriptionRepository.Subscription> s = subscriptions.lock(d.subscriptionId());
                if (s.isPresent() && s.get().disabledAt() == null) {
                    String reason = WebhookOutboxRepository.FAILING_REASON + since + " (last: "
                            + (err == null ? "answered " + status : err) + ")";
                    subscriptions.setDisabled(d.subscriptionId(), now, reason);
                    audit.appendInTransaction(ACTOR, "WEBHOOK_ENDPOINT_DISABLED", AuditPayload.of(json,
                            "subscriptionId", d.subscriptionId().toString(), "clientId", s.get().clientId().toString(),
                            "url", WebhookUrl.forLog(s.get().url()), "failingSince", since.toString(), "reason",
                            reason));
                    return true;
                }
            }
            return false;
        });
        registry.counter("webhook.delivery.attempts", "outcome", ok ? "delivered" : state.equals("PENDING")
                ? "retry" : "failed").increment();
        if (ok && d.attempt() == 1) {
            latency.record(Duration.between(d.occurredAt(), now));
        }
        if (disabled) {
            disabledEndpoints.incrementAndGet();
            LOG.warn("webhooks: subscription {} disabled after failing for {}; an ADMIN re-enables it with "
                    + "POST /v1/webhooks/{}/enable", d.subscriptionId(), config.disableAfter(), d.subscriptionId());
        } else if (state.equals("FAILED")) {
            LOG.warn("webhooks: event {} to subscription {} given up after {} attempts", d.eventId(),
                    d.subscriptionId(), d.attempt());
        }
    }

    /** Deliveries waiting (PENDING): the backlog gauge, refreshed every 5 s by the rounds. */
    public long backlog() {
        return transactions.inTransaction(() -> outbox.pending());
    }

    /** Endpoints disabled for failing (an ADMIN is to look at them), read now. */
    public long endpointsDisabled() {
        return transactions.inTransaction(() -> outbox.endpointsDisabled());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
