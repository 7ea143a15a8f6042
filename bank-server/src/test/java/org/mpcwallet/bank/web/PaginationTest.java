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
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("paging-");
        p.put("bank.signer.direct-sign-requests", "true"); // one sign request of its own for the filters' test
        return p;
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
    void theCreatedWindowAndWalletFiltersOfTheOtherListsAreChecked() throws Exception {
        String epoch = q("1970-01-01T00:00:00Z");
        for (String list : List.of("/v1/wallets/" + walletId + "/sign-requests", "/v1/admin/incidents",
                "/v1/cases", "/v1/wallets/" + walletId + "/deposits", "/v1/wallets")) {
            assertEquals(400, status(list + "?createdFrom=yesterday", admin), list);
            assertEquals(400, status(list + "?createdTo=2026-13-01", admin), list);
        }
        assertEquals(400, status("/v1/admin/incidents?walletId=not-a-wallet", admin));

        // a sign request: in a window around its time, not in one that ends at it (exclusive) or starts after it
        Map<String, Object> tx = new java.util.LinkedHashMap<>();
        tx.put("chainId", "31337");
        tx.put("nonce", "0");
        tx.put("maxPriorityFeePerGas", "1000000000");
        tx.put("maxFeePerGas", "2000000000");
        tx.put("gasLimit", "21000");
        tx.put("to", TO);
        tx.put("valueWei", "1000");
        tx.put("data", "0x");
        Map<?, ?> sr = http.toBlocking().exchange(HttpRequest.POST("/v1/wallets/" + walletId + "/sign-requests", tx)
                .header("Authorization", owner.bearer()), Map.class).body();
        Instant at = Instant.parse((String) sr.get("createdAt"));
        String signRequests = "/v1/wallets/" + walletId + "/sign-requests?limit=200";
        assertEquals(List.of(sr.get("id")), ids(signRequests + "&createdFrom=" + q(at.toString()) + "&createdTo="
                + q(at.plusNanos(1000).toString()), owner));
        assertEquals(List.of(), ids(signRequests + "&createdTo=" + q(at.toString()), owner));
        assertEquals(List.of(), ids(signRequests + "&createdFrom=" + q(at.plusNanos(1000).toString()), owner));
        assertEquals(List.of(), ids(signRequests + "&createdTo=" + epoch, owner));

        // two incidents, one of this wallet and one of none, at known times
        UUID ofWallet = UUID.randomUUID();
        UUID ofNone = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-01-02T03:04:05Z");
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "insert into incidents (id, kind, wallet_id, detail, status, created_at) values (?, 'KEY_LOCKED', ?, "
                        + "'paging test', 'OPEN', ?)")) {
            for (Object[] row : new Object[][] {{ofWallet, UUID.fromString(walletId), t0},
                    {ofNone, null, t0.plusSeconds(60)}}) {
                ps.setObject(1, row[0]);
                ps.setObject(2, row[1]);
                ps.setTimestamp(3, java.sql.Timestamp.from((Instant) row[2]));
                ps.executeUpdate();
            }
        }
        String incidents = "/v1/admin/incidents?limit=200";
        assertEquals(List.of(ofWallet.toString()), ids(incidents + "&walletId=" + walletId, admin));
        assertEquals(List.of(), ids(incidents + "&walletId=" + UUID.randomUUID(), admin));
        assertEquals(List.of(ofWallet.toString(), ofNone.toString()), ids(incidents + "&createdFrom=" + q(t0.toString())
                + "&createdTo=" + q(t0.plusSeconds(61).toString()), admin));
        assertEquals(List.of(ofNone.toString()), ids(incidents + "&createdFrom=" + q(t0.plusSeconds(1).toString())
                + "&createdTo=" + q(t0.plusSeconds(61).toString()), admin));
        assertEquals(List.of(ofWallet.toString()), ids(incidents + "&createdFrom=" + q(t0.toString())
                + "&createdTo=" + q(t0.plusSeconds(60).toString()), admin), "createdTo is exclusive");
    }

    /** The ids of one page's items. */
    private List<Object> ids(String path, User u) {
        return ((List<?>) get(path, u).get("items")).stream().map(o -> ((Map<?, ?>) o).get("id")).map(o -> (Object) o)
                .toList();
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
