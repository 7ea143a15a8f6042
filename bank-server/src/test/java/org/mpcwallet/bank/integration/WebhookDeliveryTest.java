package org.mpcwallet.bank.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.integration.app.WebhookDispatcher;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * Webhooks on the real bank with receivers as real HTTP servers on loopback (issue 14 item 2, docs/integration.md
 * "Webhooks"): signed events in order with their audit link, visibility, a receiver that fails five times then
 * recovers gets each event exactly once, 4xx is final but 429 retried, a change that rolls back emits nothing, an
 * endpoint failing for the disable period is disabled and resumes when enabled, redelivery since a time, and who may
 * manage what. The dispatcher is stepped by the test ({@code poll-interval-millis=0}); retries wait 50 ms here.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookDeliveryTest implements TestPropertyProvider {
    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    AuditLog audit;

    @Inject
    org.mpcwallet.bank.db.TransactionRunner transactions;

    private final java.net.http.HttpClient raw = java.net.http.HttpClient.newHttpClient();
    private User admin;
    private User owner;
    private ApiClientSigner viewer;
    private ApiClientSigner outsider;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new java.util.HashMap<>(TestDataDir.embeddedPropsAsStrings("webhooks-"));
        p.put("bank.webhooks.poll-interval-millis", "0");
        p.put("bank.webhooks.retry-delays", "50ms,50ms,50ms,50ms,50ms,50ms,50ms,50ms");
        p.put("bank.webhooks.disable-after", "3s");
        p.put("bank.webhooks.request-timeout", "5s");
        p.put("bank.webhooks.per-subscription", "2");
        return p;
    }

    @BeforeAll
    void clients() {
        admin = new ApiUsers(http, dataSource).register("ADMIN");
        owner = new ApiUsers(http, dataSource).register();
        viewer = client("hooks-viewer-", List.of("VIEWER"));   // staff: sees every wallet
        outsider = client("hooks-outsider-", List.of("CUSTOMER")); // no wallet role anywhere: sees none
    }

    private ApiClientSigner client(String prefix, List<String> roles) {
        ApiClientSigner s = new ApiClientSigner();
        Map<?, ?> c = http.toBlocking().exchange(HttpRequest.POST("/v1/api-clients", Map.of("name",
                prefix + UUID.randomUUID().toString().substring(0, 6), "publicKey", s.publicKeyPem(), "roles", roles))
                .header("Authorization", admin.bearer()), Map.class).body();
        return s.as((String) c.get("id"));
    }

    // ---- helpers

    private HttpResponse<String> signed(ApiClientSigner s, String method, String target, String body)
            throws Exception {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return call(method, target, body, s.authorization(method, target, b));
    }

    private HttpResponse<String> call(String method, String target, String body, String authorization)
            throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:"
                + server.getPort() + target)).header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b.method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<?, ?> ok(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r::body);
        return json.readValue(r.body(), Map.class);
    }

    private String subscribe(ApiClientSigner s, WebhookReceiver receiver, String... types) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", receiver.url());
        body.put("eventTypes", List.of(types));
        body.put("description", "test receiver");
        Map<?, ?> sub = ok(signed(s, "POST", "/v1/webhooks", json.writeValueAsString(body)), 201);
        receiver.trust(signingKeyPems());
        return (String) sub.get("id");
    }

    private List<String> signingKeyPems() throws Exception {
        Map<?, ?> keys = ok(call("GET", "/v1/webhooks/signing-keys", null, null), 200);
        return ((List<?>) keys.get("keys")).stream().map(k -> (String) ((Map<?, ?>) k).get("publicKey")).toList();
    }

    /** A new wallet of a new customer (a customer may have only 3 waiting for key generation). */
    private String wallet(String name) {
        return wallet(new ApiUsers(http, dataSource).register(), name);
    }

    private String wallet(User u, String name) {
        return (String) http.toBlocking().exchange(HttpRequest.POST("/v1/wallets", Map.of("name", name, "type",
                "RETAIL", "riskProfile", "LOW")).header("Authorization", u.bearer()), Map.class).body().get("id");
    }

    /** Steps the dispatcher until {@code done} (at most 20 s). */
    private void pump(BooleanSupplier done, String what) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            dispatcher.runOnce();
            Thread.sleep(20);
        }
    }

    /** Rounds for a while, for what must NOT happen. */
    private void idle(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            dispatcher.runOnce();
            Thread.sleep(20);
        }
    }

    private Map<?, ?> body(WebhookReceiver.Received r) {
        try {
            return json.readValue(r.body(), Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Object data(Map<?, ?> body, String field) {
        return ((Map<?, ?>) body.get("data")).get(field);
    }

    private List<WebhookReceiver.Received> about(WebhookReceiver receiver, String walletId) {
        return receiver.accepted().stream().filter(r -> walletId.equals(data(body(r), "walletId"))).toList();
    }

    /** docs/examples/verify-webhook.sh (OpenSSL only) accepts a real delivery and refuses it altered. */
    private void verifiesWithTheShellExample(WebhookReceiver.Received r) throws Exception {
        java.nio.file.Path dir = TestDataDir.create("verify-webhook-");
        java.nio.file.Path key = dir.resolve("bank-webhooks.pem");
        java.nio.file.Files.writeString(key, signingKeyPems().get(0));
        java.nio.file.Path body = dir.resolve("body.json");
        java.nio.file.Files.writeString(body, r.body());
        String header = r.signature();
        assertEquals("verified", script(dir, key, r.id(), r.timestamp(), header, body).strip());
        java.nio.file.Files.writeString(body, r.body().replace("wallet.", "wallet_"));
        assertTrue(script(dir, key, r.id(), r.timestamp(), header, body).contains("refused: no v1a signature"));
        java.nio.file.Files.writeString(body, r.body());
        assertTrue(script(dir, key, r.id(), r.timestamp() - 600, header, body).contains("refused: the timestamp"));
    }

    private static String script(java.nio.file.Path dir, java.nio.file.Path key, String id, long timestamp,
                                 String header, java.nio.file.Path body) throws Exception {
        java.nio.file.Path script = org.mpcwallet.web.BrowserHarness.repoRootForTests()
                .resolve("docs/examples/verify-webhook.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), id, Long.toString(timestamp), header,
                body.toString()).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("KEY", key.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    // ---- the tests

    @Test
    void eventsArriveSignedInOrderWithTheirAuditLinkAndOnlyToWhoMaySeeThem() throws Exception {
        try (WebhookReceiver seen = new WebhookReceiver(); WebhookReceiver blind = new WebhookReceiver()) {
            subscribe(viewer, seen, "wallet.created", "wallet.active");
            subscribe(outsider, blind, "wallet.created", "wallet.active");
            String w = wallet(owner, "hooked");
            try (TestDevice d = TestDevice.connect(json, server.getPort(), owner.bearer())) {
                d.keygen(w);
            }
            pump(() -> about(seen, w).size() == 2, "wallet.created and wallet.active");
            List<WebhookReceiver.Received> got = about(seen, w);
            assertEquals(List.of("wallet.created", "wallet.active"), got.stream().map(r -> body(r).get("type"))
                    .toList(), "in the order they happened");
            for (WebhookReceiver.Received r : got) {
                assertTrue(r.verified(), "the signature verifies with the published key: " + r);
                Map<?, ?> b = body(r);
                assertEquals(r.id(), b.get("id"), "webhook-id is the event id");
                assertTrue(Math.abs(r.timestamp() - Instant.now().getEpochSecond()) < 60);
                Map<?, ?> link = (Map<?, ?>) b.get("audit");
                long seq = ((Number) link.get("seq")).longValue();
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                        "select type, hash, payload from audit_event where seq = ?")) {
                    ps.setLong(1, seq);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(link.get("type"), rs.getString(1));
                        assertEquals(link.get("hash"), HexFormat.of().formatHex(rs.getBytes(2)),
                                "the payload carries the audit event's hash");
                        assertTrue(rs.getString(3).contains(w));
                    }
                }
            }
            assertTrue(got.get(0).keyId().startsWith("whk_"));
            verifiesWithTheShellExample(got.get(0));
            idle(300);
            assertTrue(about(blind, w).isEmpty(), "a client without a role on the wallet hears nothing of it");
            assertEquals(2, about(seen, w).size(), "and nothing twice");

            // the metrics an operator watches: attempts by outcome, latency from commit to receiver, backlog
            String metrics = call("GET", "/prometheus", null, admin.bearer()).body();
            assertTrue(metrics.matches("(?s).*webhook_delivery_attempts_total\\{[^}]*outcome=\"delivered\"[^}]*} "
                    + "[1-9].*"), "delivered attempts are counted");
            assertTrue(metrics.matches("(?s).*webhook_delivery_latency_seconds_count(\\{[^}]*})? [1-9].*"),
                    "delivery latency is measured");
            assertTrue(metrics.contains("webhook_deliveries_pending"), "the backlog gauge exists");
            assertTrue(metrics.contains("webhook_endpoints_disabled"), "the disabled endpoints gauge exists");
        }
    }

    /**
     * A receiver that takes seconds to answer does not hold up the others: the dispatcher's rounds do not wait for it
     * (its delivery stays leased while it answers), so the next event reaches a quick receiver at once.
     */
    @Test
    void aSlowReceiverDoesNotHoldUpTheOthers() throws Exception {
        try (WebhookReceiver slow = new WebhookReceiver(); WebhookReceiver quick = new WebhookReceiver()) {
            slow.holdMillis = 8_000;
            subscribe(viewer, slow, "wallet.created");
            subscribe(viewer, quick, "wallet.created");
            User someone = new ApiUsers(http, dataSource).register(); // wallets of their own: the owner's are capped
            String first = wallet(someone, "first");
            pump(() -> about(quick, first).size() == 1, "the quick receiver's first event");
            String second = wallet(someone, "second");
            long t0 = System.nanoTime();
            pump(() -> about(quick, second).size() == 1, "the quick receiver's second event");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(slow.requests.isEmpty(), () -> "the slow receiver is still answering the first event when "
                    + "the second reaches the quick one (" + ms + " ms after it happened)");
            slow.holdMillis = 0;
            pump(() -> about(slow, first).size() == 1 && about(slow, second).size() == 1,
                    "the slow receiver gets both in the end");
        }
    }

    /**
     * A slow receiver with several events due keeps to its share of the senders ({@code per-subscription}, 2 here):
     * never more than that many of its requests at once, while another subscription's events all go through.
     */
    @Test
    void aSlowReceiverKeepsToItsShareOfTheSenders() throws Exception {
        try (WebhookReceiver slow = new WebhookReceiver(); WebhookReceiver quick = new WebhookReceiver()) {
            slow.holdMillis = 2_500;
            subscribe(viewer, slow, "wallet.created");
            subscribe(viewer, quick, "wallet.created");
            List<String> wallets = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                wallets.add(wallet(new ApiUsers(http, dataSource).register(), "share-" + i));
            }
            pump(() -> wallets.stream().allMatch(w -> about(quick, w).size() == 1), "the quick receiver's events");
            pump(() -> wallets.stream().allMatch(w -> about(slow, w).size() == 1), "the slow receiver's events");
            assertEquals(2, slow.maxActive.get(), "the slow receiver had its share (2) at once, never more");
        }
    }

    /**
     * A receiver that answers its headers at once and then never finishes the body is cut off at the request timeout
     * (5 s here): the attempt is recorded as unanswered and retried, it does not hold a sender for good.
     */
    @Test
    void aReceiverThatDripsItsAnswerIsCutOffAtTheTimeout() throws Exception {
        try (WebhookReceiver dripping = new WebhookReceiver()) {
            dripping.dripMillis = 60_000;
            String sub = subscribe(viewer, dripping, "wallet.created");
            wallet(new ApiUsers(http, dataSource).register(), "dripped");
            pump(() -> lastError(sub) != null, "the dripped attempt recorded as failed");
            assertEquals("no answer within 5 s", lastError(sub));
            assertFalse(dripping.requests.isEmpty(), "the request did reach the receiver");
        }
    }

    private String lastError(String subscriptionId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select last_error from webhook_deliveries where subscription_id = ?::uuid and last_error is not null "
                        + "limit 1")) {
            ps.setString(1, subscriptionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReceiverThatFailsFiveTimesThenRecoversGetsEveryEventExactlyOnce() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            AtomicInteger calls = new AtomicInteger();
            receiver.answer = () -> calls.incrementAndGet() <= 5 ? 503 : 200;
            String sub = subscribe(viewer, receiver, "wallet.created");
            List<String> wallets = List.of(wallet("r1"), wallet("r2"), wallet("r3"));
            pump(() -> wallets.stream().allMatch(w -> !about(receiver, w).isEmpty()), "all three delivered");
            idle(500);
            List<String> ids = wallets.stream().flatMap(w -> about(receiver, w).stream())
                    .map(WebhookReceiver.Received::id).toList();
            assertEquals(3, ids.size(), "each event accepted once: " + ids);
            assertEquals(3, Set.copyOf(ids).size());
            assertEquals(5, receiver.requests.stream().filter(r -> r.answered() == 503).count());
            Map<?, ?> log = ok(signed(viewer, "GET", "/v1/webhooks/" + sub + "/deliveries", null), 200);
            List<?> items = (List<?>) log.get("items");
            assertEquals(3, items.size(), log::toString);
            int attempts = 0;
            for (Object o : items) {
                Map<?, ?> d = (Map<?, ?>) o;
                assertEquals("DELIVERED", d.get("state"), d::toString);
                assertEquals(200, d.get("lastStatus"));
                attempts += ((Number) d.get("attempts")).intValue();
            }
            assertEquals(8, attempts, "5 failures and 3 successes in the log");
            // the log's filters: the events' time window, checked
            String deliveries = "/v1/webhooks/" + sub + "/deliveries";
            assertTrue(((List<?>) ok(signed(viewer, "GET", deliveries + "?createdTo=1970-01-01T00:00:00Z", null),
                    200).get("items")).isEmpty(), "no event before 1970");
            Instant lastAt = Instant.parse((String) ((Map<?, ?>) items.get(2)).get("occurredAt"));
            List<?> fromLast = (List<?>) ok(signed(viewer, "GET", deliveries + "?state=DELIVERED&createdFrom="
                    + lastAt, null), 200).get("items");
            assertEquals(List.of(((Map<?, ?>) items.get(2)).get("eventId")), fromLast.stream()
                    .map(o -> ((Map<?, ?>) o).get("eventId")).toList(), "from the last event's time: only it");
            List<?> beforeLast = (List<?>) ok(signed(viewer, "GET", deliveries + "?createdTo=" + lastAt, null), 200)
                    .get("items");
            assertEquals(2, beforeLast.size(), "up to the last event's time, exclusive: the other two");
            assertEquals(400, signed(viewer, "GET", deliveries + "?createdFrom=yesterday", null).statusCode());
            String first = (String) ((Map<?, ?>) items.get(0)).get("eventId");
            Map<?, ?> detail = ok(signed(viewer, "GET", "/v1/webhooks/" + sub + "/deliveries/" + first, null), 200);
            List<?> tries = (List<?>) detail.get("attempts");
            assertEquals(200, ((Map<?, ?>) tries.get(tries.size() - 1)).get("status"), detail::toString);
        }
    }

    @Test
    void anEventGivenUpIsRedeliveredWithTheWholeScheduleAhead() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            AtomicInteger calls = new AtomicInteger();
            receiver.answer = () -> 500; // 9 attempts: the first and the schedule's 8 retries, then given up
            String sub = subscribe(viewer, receiver, "wallet.created");
            String w = wallet("given-up");
            pump(() -> {
                try {
                    forgetFailingStreak(sub); // (a slow machine must not reach the 3 s disable period meanwhile)
                    return !((List<?>) ok(signed(viewer, "GET", "/v1/webhooks/" + sub + "/deliveries?state=FAILED",
                            null), 200).get("items")).isEmpty();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "the event given up");
            assertEquals(9, receiver.requests.stream().filter(r -> r.body().contains(w)).count());
            Map<?, ?> failed = (Map<?, ?>) ((List<?>) ok(signed(viewer, "GET", "/v1/webhooks/" + sub
                    + "/deliveries?state=FAILED", null), 200).get("items")).get(0);
            String eventId = (String) failed.get("eventId");

            // redelivered on its own: the receiver fails twice more, then accepts — retried, not given up at once
            forgetFailingStreak(sub);
            receiver.answer = () -> calls.incrementAndGet() <= 2 ? 500 : 200;
            Map<?, ?> again = ok(signed(viewer, "POST", "/v1/webhooks/" + sub + "/deliveries/" + eventId
                    + "/redeliver", null), 200);
            assertEquals("PENDING", ((Map<?, ?>) again.get("delivery")).get("state"), again::toString);
            pump(() -> !about(receiver, w).isEmpty(), "the redelivered event accepted");
            Map<?, ?> detail = ok(signed(viewer, "GET", "/v1/webhooks/" + sub + "/deliveries/" + eventId, null),
                    200);
            assertEquals("DELIVERED", ((Map<?, ?>) detail.get("delivery")).get("state"), detail::toString);
            assertTrue(((Number) ((Map<?, ?>) detail.get("delivery")).get("lastLatencyMs")).intValue() >= 0);
            List<?> tries = (List<?>) detail.get("attempts");
            assertEquals(12, tries.size(), "9 before, 3 after the redelivery, each in the log: " + detail);
            assertEquals(12, ((Map<?, ?>) tries.get(11)).get("n"));
            assertEquals(200, ((Map<?, ?>) tries.get(11)).get("status"));
            assertEquals(1, about(receiver, w).size(), "accepted once");
        }
    }

    @Test
    void aRefusalIsFinalButTooManyRequestsIsRetried() throws Exception {
        try (WebhookReceiver refusing = new WebhookReceiver(); WebhookReceiver busy = new WebhookReceiver()) {
            refusing.answer = () -> 400;
            AtomicInteger calls = new AtomicInteger();
            busy.answer = () -> calls.incrementAndGet() <= 2 ? 429 : 200;
            String refused = subscribe(viewer, refusing, "wallet.created");
            subscribe(viewer, busy, "wallet.created");
            String w = wallet("refused");
            pump(() -> !about(busy, w).isEmpty(), "the busy receiver accepts on the third attempt");
            idle(400);
            assertEquals(1, refusing.requests.stream().filter(r -> r.body().contains(w)).count(),
                    "a 400 is not retried");
            Map<?, ?> log = ok(signed(viewer, "GET", "/v1/webhooks/" + refused + "/deliveries?state=FAILED", null),
                    200);
            Map<?, ?> d = (Map<?, ?>) ((List<?>) log.get("items")).get(0);
            assertEquals(1, d.get("attempts"));
            assertEquals(400, d.get("lastStatus"));
            assertEquals(3, busy.requests.stream().filter(r -> r.body().contains(w)).count(), "429, 429, 200");
        }
    }

    @Test
    void aChangeThatRollsBackEmitsNothing() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            subscribe(viewer, receiver, "wallet.created");
            String ghost = UUID.randomUUID().toString();
            class RolledBack extends RuntimeException {
            }
            try {
                transactions.run(c -> {
                    audit.appendInTransaction("user:" + owner.name(), "WALLET_CREATED",
                            "{\"walletId\":\"" + ghost + "\"}");
                    try (PreparedStatement ps = c.prepareStatement(
                            "select count(*) from webhook_outbox where body like ?")) {
                        ps.setString(1, "%" + ghost + "%");
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertEquals(1, rs.getInt(1), "inside the transaction the outbox row is there");
                        }
                    }
                    throw new RolledBack();
                });
            } catch (RolledBack expected) {
                // the transaction rolled back
            }
            String real = wallet("after-rollback");
            pump(() -> !about(receiver, real).isEmpty(), "the real event");
            idle(200);
            assertTrue(receiver.requests.stream().noneMatch(r -> r.body().contains(ghost)), "the rolled-back one "
                    + "never left");
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "select count(*) from webhook_outbox where body like ?")) {
                ps.setString(1, "%" + ghost + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(0, rs.getInt(1));
                }
            }
        }
    }

    @Test
    void anEndpointFailingForTheDisablePeriodIsDisabledAndResumesWhenEnabled() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer = () -> 500;
            Instant start = Instant.now();
            String sub = subscribe(viewer, receiver, "wallet.created");
            String w1 = wallet("down-1");
            pump(() -> state(sub, "FAILED") == 1, "the first event given up after its retries");
            Thread.sleep(3_100); // the disable period (3 s here) passes with nothing but failures
            String w2 = wallet("down-2");
            pump(() -> !(Boolean) subscription(sub).get("enabled"), "the endpoint disabled");
            Map<?, ?> s = subscription(sub);
            assertTrue(((String) s.get("disabledReason")).startsWith("failing since"), s::toString);
            assertTrue(auditTypes().contains("WEBHOOK_ENDPOINT_DISABLED"));
            // the ADMINs are told on the console's overview (and in the webhook_endpoints_disabled gauge): it counts
            // the endpoints disabled for failing (the dispatcher runs only when pumped here, so the count holds still)
            assertTrue(disabledForFailing().contains(sub));
            assertEquals(disabledForFailing().size(), endpointsDisabledOnTheOverview());
            String w3 = wallet("down-3"); // while disabled: not fanned out to it
            int before = receiver.requests.size();
            idle(300);
            assertEquals(before, receiver.requests.size(), "nothing is sent to a disabled endpoint");

            receiver.answer = () -> 200;
            ok(signed(viewer, "POST", "/v1/webhooks/" + sub + "/enable", null), 200);
            pump(() -> !about(receiver, w2).isEmpty(), "the waiting delivery resumes");
            assertFalse(disabledForFailing().contains(sub));
            assertEquals(disabledForFailing().size(), endpointsDisabledOnTheOverview());
            assertTrue(about(receiver, w1).isEmpty() && about(receiver, w3).isEmpty());
            Map<?, ?> n = ok(signed(viewer, "POST", "/v1/webhooks/" + sub + "/redeliver",
                    "{\"since\":\"" + start + "\"}"), 200);
            assertEquals(3, ((Number) n.get("deliveries")).intValue(), n::toString);
            pump(() -> !about(receiver, w1).isEmpty() && !about(receiver, w3).isEmpty(), "redelivered since");
            assertFalse((Boolean) subscription(sub).get("failingSince") != null, "a success ends the streak");
        }
    }

    /**
     * Sets the endpoint's failing streak back, so that a slow machine does not reach this class's 3 s disable period
     * in a test about something else (the disabling has a test of its own).
     */
    private void forgetFailingStreak(String subscriptionId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update webhook_subscriptions set failing_since = null where id = ?::uuid")) {
            ps.setString(1, subscriptionId);
            ps.executeUpdate();
        }
    }

    private long endpointsDisabledOnTheOverview() {
        return ((Number) http.toBlocking().exchange(HttpRequest.GET("/v1/admin/overview")
                .header("Authorization", admin.bearer()), Map.class).body().get("webhookEndpointsDisabled")).longValue();
    }

    @Test
    void subscriptionsBelongToTheirClientAndBadOnesAreRefused() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String sub = subscribe(viewer, receiver, "transfer.state_changed");
            assertEquals(404, signed(outsider, "GET", "/v1/webhooks/" + sub, null).statusCode(),
                    "another client does not see it");
            assertEquals(404, signed(outsider, "POST", "/v1/webhooks/" + sub + "/disable", null).statusCode());
            User customer = new ApiUsers(http, dataSource).register();
            assertEquals(403, call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url()
                    + "\",\"eventTypes\":[\"wallet.created\"]}", customer.bearer()).statusCode());
            assertEquals(200, call("GET", "/v1/webhooks/" + sub, null, admin.bearer()).statusCode(),
                    "an ADMIN sees every client's");
            for (String[] bad : List.of(
                    new String[] {"http://example.com/hook", "https"},
                    new String[] {"https://user:pw@example.com/hook", "user name"},
                    new String[] {"ftp://example.com/hook", "https"},
                    new String[] {"not a url", "URL"})) {
                HttpResponse<String> r = signed(viewer, "POST", "/v1/webhooks", "{\"url\":\"" + bad[0]
                        + "\",\"eventTypes\":[\"wallet.created\"]}");
                assertEquals(400, r.statusCode(), r::body);
                assertTrue(r.body().contains(bad[1]), r.body());
            }
            HttpResponse<String> unknown = signed(viewer, "POST", "/v1/webhooks", "{\"url\":\"" + receiver.url()
                    + "\",\"eventTypes\":[\"wallet.exploded\"]}");
            assertEquals(400, unknown.statusCode());
            assertTrue(unknown.body().contains("wallet.exploded"), unknown.body());
            HttpResponse<String> forOther = signed(viewer, "POST", "/v1/webhooks", "{\"clientId\":\""
                    + outsider.clientId() + "\",\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"wallet.created\"]}");
            assertEquals(403, forOther.statusCode(), "a client subscribes only for itself");
            HttpResponse<String> byAdmin = call("POST", "/v1/webhooks", "{\"clientId\":\"" + outsider.clientId()
                    + "\",\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"wallet.created\"]}", admin.bearer());
            assertEquals(201, byAdmin.statusCode(), byAdmin::body);
            // a receiver's token in the URL's query stays out of the audit chain (which is exported)
            HttpResponse<String> withToken = call("POST", "/v1/webhooks", "{\"clientId\":\"" + outsider.clientId()
                    + "\",\"url\":\"" + receiver.url() + "?token=s3cr3t-4711\",\"eventTypes\":[\"wallet.created\"]}",
                    admin.bearer());
            assertEquals(201, withToken.statusCode(), withToken::body);
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("select count(*) filter (where payload like '%s3cr3t-4711%'),"
                         + " count(*) filter (where payload like '%token=…%') from audit_event")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "no token in the audit chain");
                assertEquals(1, rs.getInt(2), "the parameter's name is kept");
            }
            Map<?, ?> keys = ok(call("GET", "/v1/webhooks/signing-keys", null, null), 200);
            Map<?, ?> current = (Map<?, ?>) ((List<?>) keys.get("keys")).get(0);
            assertEquals("current", current.get("status"));
            assertTrue(((String) current.get("whpk")).startsWith("whpk_"));
            HttpResponse<String> badCursor = signed(viewer, "GET", "/v1/webhooks?cursor=bm9wZQ", null);
            assertEquals(400, badCursor.statusCode(), badCursor::body);
        }
    }

    private Map<?, ?> subscription(String id) {
        try {
            return ok(signed(viewer, "GET", "/v1/webhooks/" + id, null), 200);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long state(String sub, String state) {
        try {
            Map<?, ?> log = ok(signed(viewer, "GET", "/v1/webhooks/" + sub + "/deliveries?state=" + state, null),
                    200);
            return ((List<?>) log.get("items")).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The subscriptions disabled for failing, as the database has them. */
    private List<String> disabledForFailing() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id from webhook_subscriptions where disabled_at is not null "
                        + "and disabled_reason like 'failing since %'"); ResultSet rs = ps.executeQuery()) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private List<String> auditTypes() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select distinct type from audit_event"); ResultSet rs = ps.executeQuery()) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out.stream().collect(Collectors.toList());
        }
    }
}
