package org.mpcwallet.bank.web.idempotency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.web.idempotency.persistence.IdempotencyRepository;

/** Idempotency-Key over real HTTP on the embedded PostgreSQL, with the auth endpoints as the guinea pigs. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyTest implements TestPropertyProvider {
    private static final String PASSWORD = "correct horse battery";
    private static final String REGISTER = "/v1/auth/register";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    IdempotencyRepository store;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("idem-");
    }

    // ---- helpers

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String registerBody(String username, String password) {
        return "{\"username\":\"" + username + "\",\"email\":\"" + username + "@example.com\",\"password\":\""
                + password + "\"}";
    }

    private static MutableHttpRequest<String> post(String path, String body, String key) {
        MutableHttpRequest<String> r = HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE);
        return key == null ? r : r.header(IdempotencyFilter.HEADER, key);
    }

    private HttpResponse<String> send(MutableHttpRequest<String> request) {
        try {
            return http.toBlocking().exchange(request, String.class);
        } catch (HttpClientResponseException e) {
            @SuppressWarnings("unchecked")
            HttpResponse<String> r = (HttpResponse<String>) e.getResponse();
            return r;
        }
    }

    private static String body(HttpResponse<?> r) {
        return r.getBody(String.class).orElse(null);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> problem(HttpResponse<?> r, int status) throws Exception {
        assertEquals(status, r.code());
        assertEquals("application/problem+json", r.getContentType().orElseThrow().toString());
        Map<String, Object> p = json.readValue(body(r), Map.class);
        assertEquals(status, ((Number) p.get("status")).intValue());
        assertNotNull(p.get("correlationId"));
        return p;
    }

    private long count(String sql, Object... params) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        }
    }

    private long rowsForKey(String key) throws Exception {
        return count("select count(*) from idempotency_key where key = ?", key);
    }

    // ---- tests

    @Test
    void sameKeySameBodyReplaysTheFirstResponse() throws Exception {
        String name = unique("idem");
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = send(post(REGISTER, registerBody(name, PASSWORD), key));
        assertEquals(201, first.code());
        assertNull(first.getHeaders().get(IdempotencyFilter.REPLAYED_HEADER));
        HttpResponse<String> second = send(post(REGISTER, registerBody(name, PASSWORD), key));
        assertEquals(201, second.code());
        assertEquals("true", second.getHeaders().get(IdempotencyFilter.REPLAYED_HEADER));
        assertEquals(body(first), body(second));
        assertEquals(first.getContentType(), second.getContentType());
        assertEquals(1, count("select count(*) from users where username = ?", name));
        assertEquals(1, count("select count(*) from idempotency_key where key = ? and state = 'DONE'"
                + " and response_status = 201", key));
        // without the key the same body executes again (and the name is taken now)
        assertEquals(409, send(post(REGISTER, registerBody(name, PASSWORD), null)).code());
    }

    @Test
    void errorResponsesAreReplayedToo() throws Exception {
        String name = unique("idemerr");
        String key = UUID.randomUUID().toString();
        String weak = registerBody(name, "short");
        Map<String, Object> first = problem(send(post(REGISTER, weak, key)), 400);
        HttpResponse<String> again = send(post(REGISTER, weak, key));
        assertEquals(first, problem(again, 400));
        assertEquals("true", again.getHeaders().get(IdempotencyFilter.REPLAYED_HEADER));
    }

    @Test
    void sameKeyDifferentBodyIs422() throws Exception {
        String name = unique("idem");
        String key = UUID.randomUUID().toString();
        assertEquals(201, send(post(REGISTER, registerBody(name, PASSWORD), key)).code());
        String other = unique("idem");
        Map<String, Object> p = problem(send(post(REGISTER, registerBody(other, PASSWORD), key)), 422);
        assertEquals("This Idempotency-Key was used with a different request body.", p.get("detail"));
        assertEquals(0, count("select count(*) from users where username = ?", other));
    }

    @Test
    void scopeDependsOnThePath() throws Exception {
        String key = UUID.randomUUID().toString();
        byte[] register = IdempotencyFilter.scopeHash(HttpRequest.POST(REGISTER, ""));
        byte[] other = IdempotencyFilter.scopeHash(HttpRequest.POST("/v1/other", ""));
        assertFalse(java.util.Arrays.equals(register, other));
        assertEquals(201, send(post(REGISTER, registerBody(unique("idem"), PASSWORD), key)).code());
        assertEquals(1, rowsForKey(key));
    }

    @Test
    void malformedKeyIs400AndNothingExecutes() throws Exception {
        for (String bad : List.of("", "x".repeat(129), "has space", "tab\tkey", "caf\u00e9")) {
            String name = unique("idembad");
            HttpResponse<String> r = send(post(REGISTER, registerBody(name, PASSWORD), bad));
            Map<String, Object> p = problem(r, 400);
            assertEquals("Idempotency-Key must be one header of 1-128 visible ASCII characters.", p.get("detail"),
                    "key " + bad);
            assertEquals(0, count("select count(*) from users where username = ?", name));
        }
        // boundaries that are fine: 1 and 128 visible characters
        assertEquals(201, send(post(REGISTER, registerBody(unique("idem"), PASSWORD), "!")).code());
        assertEquals(201, send(post(REGISTER, registerBody(unique("idem"), PASSWORD), "~".repeat(128))).code());
    }

    @Test
    void keyInProgressIs409() throws Exception {
        String name = unique("idem");
        String key = UUID.randomUUID().toString();
        String body = registerBody(name, PASSWORD);
        IdempotencyFilter filter = filterBean();
        // another request holds the key: claim it the way the filter would, and never complete
        assertInstanceOf(IdempotencyRepository.Claim.Claimed.class, store.claim(
                IdempotencyFilter.scopeHash(HttpRequest.POST(REGISTER, "")), key,
                filter.fingerprint(body.getBytes(StandardCharsets.UTF_8))));
        Map<String, Object> p = problem(send(post(REGISTER, body, key)), 409);
        assertEquals("A request with this Idempotency-Key is in progress.", p.get("detail"));
        assertEquals(0, count("select count(*) from users where username = ?", name));
    }

    @Inject
    io.micronaut.context.ApplicationContext context;

    private IdempotencyFilter filterBean() {
        return context.getBean(IdempotencyFilter.class);
    }

    @Test
    void concurrentRequestsWithOneKeyExecuteOnce() throws Exception {
        int threads = 8;
        String name = unique("idemrace");
        String key = UUID.randomUUID().toString();
        String body = registerBody(name, PASSWORD);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return send(post(REGISTER, body, key));
                }));
            }
            start.countDown();
            int executed = 0;
            for (Future<HttpResponse<String>> f : futures) {
                HttpResponse<String> r = f.get();
                if (r.code() == 201 && r.getHeaders().get(IdempotencyFilter.REPLAYED_HEADER) == null) {
                    executed++;
                } else if (r.code() == 201) {
                    assertEquals("true", r.getHeaders().get(IdempotencyFilter.REPLAYED_HEADER));
                } else {
                    problem(r, 409);
                }
            }
            assertEquals(1, executed);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, count("select count(*) from users where username = ?", name));
        assertEquals(1, rowsForKey(key));
    }

    @Test
    void concurrentClaimsHaveExactlyOneWinner() throws Exception {
        int threads = 8;
        byte[] scope = IdempotencyFilter.sha256("test-scope".getBytes(StandardCharsets.UTF_8));
        byte[] hash = IdempotencyFilter.sha256("body".getBytes(StandardCharsets.UTF_8));
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<IdempotencyRepository.Claim>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.claim(scope, key, hash);
                }));
            }
            start.countDown();
            int claimed = 0;
            for (Future<IdempotencyRepository.Claim> f : futures) {
                IdempotencyRepository.Claim c = f.get();
                if (c instanceof IdempotencyRepository.Claim.Claimed) {
                    claimed++;
                } else {
                    assertInstanceOf(IdempotencyRepository.Claim.InProgress.class, c);
                }
            }
            assertEquals(1, claimed);
        } finally {
            pool.shutdownNow();
        }
        store.complete(scope, key, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        IdempotencyRepository.Claim.Replay r = assertInstanceOf(IdempotencyRepository.Claim.Replay.class,
                store.claim(scope, key, hash));
        assertEquals(200, r.status());
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), r.body());
        store.release(scope, key); // a completed key is not released
        assertInstanceOf(IdempotencyRepository.Claim.Replay.class, store.claim(scope, key, hash));
    }

    @Test
    void expiredKeysAreDeletedOnWrite() throws Exception {
        byte[] scope = IdempotencyFilter.sha256("expiry-scope".getBytes(StandardCharsets.UTF_8));
        byte[] hash = IdempotencyFilter.sha256("body".getBytes(StandardCharsets.UTF_8));
        String key = UUID.randomUUID().toString();
        assertInstanceOf(IdempotencyRepository.Claim.Claimed.class, store.claim(scope, key, hash));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("update idempotency_key set created_at = now() - interval '25 hours' where key = '"
                    + key + "'");
        }
        assertInstanceOf(IdempotencyRepository.Claim.Claimed.class, store.claim(scope, key, hash));
        assertEquals(1, count("select count(*) from idempotency_key where key = ? and created_at > now()"
                + " - interval '1 hour'", key));
    }

    @Test
    void loginAndRefreshIgnoreTheKeyAndStoreNothing() throws Exception {
        String name = unique("idemlogin");
        assertEquals(201, send(post(REGISTER, registerBody(name, PASSWORD), null)).code());
        String key = UUID.randomUUID().toString();
        String login = "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}";
        HttpResponse<String> a = send(post("/v1/auth/login", login, key));
        HttpResponse<String> b = send(post("/v1/auth/login", login, key));
        assertEquals(200, a.code());
        assertEquals(200, b.code());
        assertNull(b.getHeaders().get(IdempotencyFilter.REPLAYED_HEADER));
        @SuppressWarnings("unchecked")
        Map<String, Object> tokens = json.readValue(body(a), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> tokens2 = json.readValue(body(b), Map.class);
        assertFalse(tokens.get("refresh_token").equals(tokens2.get("refresh_token")), "each login executed");
        // a different body with the same key is not 422 either, and a malformed key is not 400: ignored
        assertEquals(401, send(post("/v1/auth/login", "{\"username\":\"" + name + "\",\"password\":\"wrong"
                + " password here\"}", key)).code());
        assertEquals(200, send(post("/v1/auth/login", login, "bad key")).code());
        String refresh = "{\"refreshToken\":\"" + tokens.get("refresh_token") + "\"}";
        HttpResponse<String> r = send(post("/v1/auth/refresh", refresh, key));
        assertEquals(200, r.code());
        assertNull(r.getHeaders().get(IdempotencyFilter.REPLAYED_HEADER));
        assertEquals(0, rowsForKey(key));
        assertEquals(0, rowsForKey("bad key"));
        assertTrue(count("select count(*) from idempotency_key where position(convert_to(?, 'UTF8')"
                + " in response_body) > 0", tokens.get("access_token")) == 0);
    }

    @Test
    void storedRowsHoldNoPasswordOrToken() throws Exception {
        String password = "idempotency scan " + UUID.randomUUID();
        String name = unique("idemscan");
        String key = UUID.randomUUID().toString();
        assertEquals(201, send(post(REGISTER, registerBody(name, password), key)).code());
        assertEquals(1, rowsForKey(key));
        List<byte[]> needles = List.of(password.getBytes(StandardCharsets.UTF_8),
                IdempotencyFilter.sha256(registerBody(name, password).getBytes(StandardCharsets.UTF_8)),
                IdempotencyFilter.sha256(password.getBytes(StandardCharsets.UTF_8)));
        int rows = 0;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select scope_hash, key, request_hash, state, response_content_type,"
                     + " response_body from idempotency_key")) {
            while (rs.next()) {
                rows++;
                for (int col = 1; col <= 6; col++) {
                    byte[] value = rs.getBytes(col);
                    if (value == null) {
                        continue;
                    }
                    for (byte[] needle : needles) {
                        assertFalse(contains(value, needle), "column " + col + " holds a secret");
                    }
                }
            }
        }
        assertTrue(rows >= 1);
        // the control: the scan finds a planted leak
        assertTrue(contains(("x" + password + "y").getBytes(StandardCharsets.UTF_8), needles.get(0)));
        assertThrows(AssertionError.class, () -> assertFalse(contains(needles.get(1), needles.get(1))));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
