package org.mpcwallet.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * Cursor pagination (issue 14 item 4, docs/integration.md "Pagination") on the real bank: 1,000 transfers paged
 * while more are inserted, none missed or repeated and in order; limits and cursors checked; filters; the audit chain
 * exported page by page links up.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaginationTest implements TestPropertyProvider {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final int TRANSFERS = 1000;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    private User owner;
    private User admin;
    private String walletId;
    private final List<String> created = new ArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("paging-");
    }

    @BeforeAll
    void aThousandTransfers() throws Exception {
        owner = new ApiUsers(http, dataSource).register();
        admin = new ApiUsers(http, dataSource).register("ADMIN");
        walletId = (String) http.toBlocking().exchange(HttpRequest.POST("/v1/wallets", Map.of("name", "busy", "type",
                "RETAIL", "riskProfile", "LOW")).header("Authorization", owner.bearer()), Map.class).body().get("id");
        try (TestDevice d = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            d.keygen(walletId);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> fs = new ArrayList<>();
            for (int i = 0; i < TRANSFERS; i++) {
                int n = i;
                fs.add(pool.submit(() -> transfer(1000 + n)));
            }
            for (Future<String> f : fs) {
                created.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    private String transfer(long amount) {
        return (String) http.toBlocking().exchange(HttpRequest.POST("/v1/tx-requests", Map.of("walletId", walletId,
                "asset", "ETH", "to", TO, "amount", Long.toString(amount))).header("Authorization", owner.bearer()),
                Map.class).body().get("id");
    }

    private Map<?, ?> get(String path, User u) {
        return http.toBlocking().exchange(HttpRequest.GET(path).header("Authorization", u.bearer()), Map.class)
                .body();
    }

    private int status(String path, User u) {
        try {
            return http.toBlocking().exchange(HttpRequest.GET(path).header("Authorization", u.bearer()), Map.class)
                    .getStatus().getCode();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    private static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @Test
    void aThousandTransfersPagedWhileMoreAreInsertedNoneMissedOrRepeated() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<String> during = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread inserter = Thread.ofPlatform().start(() -> {
            long n = 0;
            while (!stop.get()) {
                during.add(transfer(5_000_000 + n++));
            }
        });
        List<String> seen = new ArrayList<>();
        String previousKey = null;
        int pages = 0;
        try {
            String cursor = null;
            do {
                Map<?, ?> page = get("/v1/tx-requests?walletId=" + walletId + "&limit=37"
                        + (cursor == null ? "" : "&cursor=" + q(cursor)), owner);
                pages++;
                List<?> items = (List<?>) page.get("items");
                assertTrue(items.size() <= 37);
                for (Object o : items) {
                    Map<?, ?> t = (Map<?, ?>) o;
                    String key = t.get("createdAt") + "|" + t.get("id");
                    assertTrue(previousKey == null || key.compareTo(previousKey) > 0, "oldest first, strictly: "
                            + previousKey + " then " + key);
                    previousKey = key;
                    seen.add((String) t.get("id"));
                }
                boolean more = (Boolean) page.get("has_more");
                cursor = (String) page.get("next_cursor");
                assertEquals(more, cursor != null, "a cursor exactly when more follow");
                if (pages > 5 && during.size() < 20) {
                    Thread.sleep(20); // let the inserter keep up: the pages must race real inserts
                }
            } while (cursor != null && pages < 200);
        } finally {
            stop.set(true);
            inserter.join();
        }
        assertTrue(during.size() > 0, "transfers were inserted while paging");
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no transfer repeated");
        assertTrue(new HashSet<>(seen).containsAll(created), "every transfer that existed is on a page");
        Set<String> known = new HashSet<>(created);
        known.addAll(during);
        assertTrue(known.containsAll(seen), "nothing unknown");
        assertTrue(pages >= TRANSFERS / 37, "paged " + pages + " times");
    }

    @Test
    void limitsCursorsAndFiltersAreChecked() throws Exception {
        Map<?, ?> first = get("/v1/tx-requests?walletId=" + walletId + "&limit=200", owner);
        assertEquals(200, ((List<?>) first.get("items")).size());
        assertEquals(Boolean.TRUE, first.get("has_more"));
        Map<?, ?> dflt = get("/v1/tx-requests?walletId=" + walletId, owner);
        assertEquals(50, ((List<?>) dflt.get("items")).size(), "50 by default");
        String otherList = (String) get("/v1/audit/events?limit=1", admin).get("next_cursor");
        for (String bad : List.of("limit=0", "limit=201", "limit=-1", "cursor=not-a-cursor",
                "cursor=" + q(otherList), "status=FLYING", "createdFrom=yesterday")) {
            assertEquals(400, status("/v1/tx-requests?walletId=" + walletId + "&" + bad, owner), bad);
        }
        // a time window: nothing before the first transfer, everything up to now
        Map<?, ?> oldest = (Map<?, ?>) ((List<?>) first.get("items")).get(0);
        Instant t0 = Instant.parse((String) oldest.get("createdAt"));
        Map<?, ?> none = get("/v1/tx-requests?walletId=" + walletId + "&createdTo=" + q(t0.toString()), owner);
        assertTrue(((List<?>) none.get("items")).isEmpty());
        assertFalse((Boolean) none.get("has_more"));
        assertNull(none.get("next_cursor"));
        Map<?, ?> one = get("/v1/tx-requests?walletId=" + walletId + "&createdFrom=" + q(t0.toString())
                + "&createdTo=" + q(t0.plusNanos(1000).toString()), owner);
        assertTrue(((List<?>) one.get("items")).stream().anyMatch(o -> oldest.get("id").equals(((Map<?, ?>) o)
                .get("id"))));
        Map<?, ?> submitted = get("/v1/tx-requests?walletId=" + walletId + "&status=SUBMITTED&limit=5", owner);
        assertTrue(((List<?>) submitted.get("items")).stream().allMatch(o -> "SUBMITTED".equals(((Map<?, ?>) o)
                .get("status"))));
        // the other lists page the same way
        for (String list : List.of("/v1/wallets", "/v1/wallets/" + walletId + "/deposits",
                "/v1/wallets/" + walletId + "/sign-requests", "/v1/cases", "/v1/admin/incidents",
                "/v1/api-clients", "/v1/audit/events", "/v1/webhooks")) {
            Map<?, ?> p = get(list + "?limit=1", admin);
            assertTrue(p.get("items") instanceof List<?> && p.containsKey("has_more") && p.containsKey("next_cursor"),
                    list + " answers a page: " + p);
        }
    }

    @Test
    void theCreatedWindowAndWalletFiltersOfTheOtherListsAreChecked() {
        String epoch = q("1970-01-01T00:00:00Z");
        for (String list : List.of("/v1/wallets/" + walletId + "/sign-requests", "/v1/admin/incidents",
                "/v1/cases", "/v1/wallets/" + walletId + "/deposits", "/v1/wallets")) {
            assertEquals(400, status(list + "?createdFrom=yesterday", admin), list);
            assertEquals(400, status(list + "?createdTo=2026-13-01", admin), list);
            Map<?, ?> none = get(list + "?createdTo=" + epoch, admin);
            assertTrue(((List<?>) none.get("items")).isEmpty(), list + " holds nothing created before 1970");
            assertFalse((Boolean) none.get("has_more"));
        }
        assertEquals(400, status("/v1/admin/incidents?walletId=not-a-wallet", admin));
        Map<?, ?> ofWallet = get("/v1/admin/incidents?walletId=" + UUID.randomUUID(), admin);
        assertTrue(((List<?>) ofWallet.get("items")).isEmpty(), "no incident of a wallet that does not exist");
        // a window around one sign request holds it, one after it does not
        List<?> requests = (List<?>) get("/v1/wallets/" + walletId + "/sign-requests?limit=1", owner).get("items");
        if (!requests.isEmpty()) {
            Map<?, ?> r = (Map<?, ?>) requests.get(0);
            Instant at = Instant.parse((String) r.get("createdAt"));
            List<?> in = (List<?>) get("/v1/wallets/" + walletId + "/sign-requests?createdFrom=" + q(at.toString())
                    + "&createdTo=" + q(at.plusNanos(1000).toString()), owner).get("items");
            assertTrue(in.stream().anyMatch(o -> r.get("id").equals(((Map<?, ?>) o).get("id"))));
            List<?> after = (List<?>) get("/v1/wallets/" + walletId + "/sign-requests?createdFrom="
                    + q(at.plusNanos(1000).toString()) + "&limit=200", owner).get("items");
            assertTrue(after.stream().noneMatch(o -> r.get("id").equals(((Map<?, ?>) o).get("id"))));
        }
    }

    @Test
    void theAuditChainExportsPageByPageAndLinksUp() {
        String cursor = null;
        String previousHash = null;
        long expectedSeq = 1;
        int pages = 0;
        do {
            Map<?, ?> page = get("/v1/audit/events?limit=200" + (cursor == null ? "" : "&cursor=" + q(cursor)),
                    admin);
            pages++;
            for (Object o : (List<?>) page.get("items")) {
                Map<?, ?> e = (Map<?, ?>) o;
                assertEquals(expectedSeq++, ((Number) e.get("seq")).longValue(), "no gap");
                if (previousHash != null) {
                    assertEquals(previousHash, e.get("prevHash"), "each event links to the one before");
                }
                previousHash = (String) e.get("hash");
            }
            cursor = (String) page.get("next_cursor");
        } while (cursor != null);
        assertTrue(expectedSeq > TRANSFERS, "every event of the thousand transfers exported");
        assertTrue(pages > 5);
        Map<?, ?> from = get("/v1/audit/events?fromSeq=10&limit=3&type=TX_SUBMITTED", admin);
        for (Object o : (List<?>) from.get("items")) {
            assertTrue(((Number) ((Map<?, ?>) o).get("seq")).longValue() >= 10);
            assertEquals("TX_SUBMITTED", ((Map<?, ?>) o).get("type"));
        }
        // by actor and by the time recorded: exactly those events, paged the same way
        List<?> mine = (List<?>) get("/v1/audit/events?limit=200&actor=" + q("user:" + owner.name()), admin)
                .get("items");
        assertFalse(mine.isEmpty());
        for (Object o : mine) {
            assertEquals("user:" + owner.name(), ((Map<?, ?>) o).get("actor"));
        }
        Map<?, ?> firstOfMine = (Map<?, ?>) mine.get(0);
        Instant at = Instant.parse((String) firstOfMine.get("occurredAt"));
        List<?> window = (List<?>) get("/v1/audit/events?limit=200&actor=" + q("user:" + owner.name()) + "&from="
                + q(at.toString()) + "&to=" + q(at.plusNanos(1000).toString()), admin).get("items");
        assertTrue(window.stream().allMatch(o -> at.toString().equals(((Map<?, ?>) o).get("occurredAt")))
                && window.stream().anyMatch(o -> firstOfMine.get("seq").equals(((Map<?, ?>) o).get("seq"))),
                () -> "from inclusive, to exclusive: " + window);
        assertTrue(((List<?>) get("/v1/audit/events?to=" + q("2020-01-01T00:00:00Z"), admin).get("items")).isEmpty());
        for (String bad : List.of("from=yesterday", "to=2026-13-01T00:00:00Z", "from=%2B300000-01-01T00:00:00Z",
                "actor=" + "a".repeat(201))) {
            assertEquals(400, status("/v1/audit/events?" + bad, admin), bad);
        }
        assertEquals(400, status("/v1/audit/events?type=not%20a%20type", admin));
        assertEquals(403, status("/v1/audit/events", owner), "the chain is for ADMIN and COMPLIANCE");
    }
}
