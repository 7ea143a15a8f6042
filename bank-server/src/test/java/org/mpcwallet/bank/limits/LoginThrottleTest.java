package org.mpcwallet.bank.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.TestDataDir;

/**
 * Issue 10 §4, the attack "500 wrong passwords for one account in 88 s, all 401, the right one worked right after":
 * an account's failed sign-ins make it wait, then lock it (429 with Retry-After, audited, cleared by an ADMIN);
 * failures from one address lock the address; bcrypt runs on a bounded pool (a flood gets 503, never more CPU);
 * registrations per address are limited. One bank with small limits for this class.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoginThrottleTest implements TestPropertyProvider {
    private static final String PASSWORD = ApiUsers.PASSWORD;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("throttle-");
        p.put("bank.limits.login-free-failures", "4");
        p.put("bank.limits.login-lockout-failures", "5");
        p.put("bank.limits.registrations-per-address-per-hour", "40");
        p.put("bank.limits.bcrypt-threads", "1");
        p.put("bank.limits.bcrypt-queue", "2");
        p.put("bank.auth.bcrypt-cost", "10"); // ~60 ms a check: a burst overruns one thread and a queue of two
        return p;
    }

    private String register(String name) {
        return (String) http.toBlocking().exchange(HttpRequest.POST("/v1/auth/register",
                Map.of("username", name, "password", PASSWORD)), Map.class).body().get("id");
    }

    private int login(String name, String password) {
        try {
            return http.toBlocking().exchange(HttpRequest.POST("/v1/auth/login",
                    Map.of("username", name, "password", password)), Map.class).code();
        } catch (HttpClientResponseException e) {
            return e.code();
        }
    }

    private HttpClientResponseException refused(String name, String password) {
        return assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/v1/auth/login", Map.of("username", name, "password", password)), Map.class));
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void bruteForceOnOneAccountLocksItUntilAnAdminClearsIt() throws Exception {
        String victim = "victim" + UUID.randomUUID().toString().substring(0, 6);
        String id = register(victim);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login(victim, "wrong guess number " + i), "guess " + i);
        }
        assertEquals(1, count("select count(*) from audit_event where type = 'AUTH_ACCOUNT_LOCKED' and payload like '%"
                + id + "%'"));
        // locked: even the right password is refused without being checked, with how long to wait
        HttpClientResponseException locked = refused(victim, PASSWORD);
        assertEquals(429, locked.code());
        long retryAfter = Long.parseLong(locked.getResponse().header("Retry-After"));
        assertTrue(retryAfter > 800 && retryAfter <= 900, "Retry-After " + retryAfter);
        Map<?, ?> problem = json.readValue(locked.getResponse().getBody(String.class).orElseThrow(), Map.class);
        assertEquals("application/problem+json", locked.getResponse().getContentType().orElseThrow().toString());
        assertTrue(((String) problem.get("detail")).contains("locked after too many failed sign-ins"),
                problem.toString());
        assertNotNull(problem.get("correlationId"));

        // a customer cannot clear it; an ADMIN can, audited
        ApiUsers users = new ApiUsers(http, dataSource);
        ApiUsers.User customer = users.register();
        HttpClientResponseException forbidden = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.DELETE("/v1/admin/users/" + id + "/login-lockout")
                        .header("Authorization", customer.bearer())));
        assertEquals(403, forbidden.code());
        ApiUsers.User admin = users.register("ADMIN");
        HttpResponse<?> cleared = http.toBlocking().exchange(HttpRequest.DELETE("/v1/admin/users/" + id
                + "/login-lockout").header("Authorization", admin.bearer()));
        assertEquals(204, cleared.code());
        assertEquals(1, count("select count(*) from audit_event where type = 'AUTH_LOCKOUT_CLEARED' and payload like "
                + "'%" + id + "%'"));
        assertEquals(200, login(victim, PASSWORD));
        assertEquals(0, count("select count(*) from login_throttle where user_id = '" + id + "'"),
                "a successful sign-in forgets the failures");
    }

    @Test
    void parallelGuessesCannotSlipPastTheCount() throws Exception {
        String name = "racer" + UUID.randomUUID().toString().substring(0, 6);
        String id = register(name);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                answers.add(pool.submit(() -> login(name, "parallel guess " + n)));
            }
            int checked = 0;
            for (Future<Integer> f : answers) {
                int code = f.get();
                assertTrue(code == 401 || code == 429 || code == 503, "answer " + code);
                if (code == 401) {
                    checked++;
                }
            }
            assertTrue(checked <= 5, checked + " passwords were checked; the account allows 5 failures");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(429, refused(name, PASSWORD).code());
        assertTrue(count("select failures from login_throttle where user_id = '" + id + "'") <= 5);
    }

    @Test
    void aFloodOfSignInsGetsA503FromTheBoundedPasswordPoolAndTheBankStaysUp() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(24);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                int n = i;
                // unknown users: each costs a full bcrypt check against the dummy hash
                answers.add(pool.submit(() -> login("nobody" + n + UUID.randomUUID().toString().substring(0, 4),
                        "some password " + n)));
            }
            int overloaded = 0;
            for (Future<Integer> f : answers) {
                int code = f.get();
                assertTrue(code == 401 || code == 503 || code == 429, "answer " + code);
                if (code == 503) {
                    overloaded++;
                }
            }
            assertTrue(overloaded > 0, "48 parallel checks on one bcrypt thread with a queue of 2 must overflow");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/health"), Map.class).code());
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it uses up this address's registrations
    void registrationsFromOneAddressAreLimited() {
        int created = 0;
        HttpClientResponseException refused = null;
        for (int i = 0; i < 60 && refused == null; i++) {
            try {
                register("reg" + i + UUID.randomUUID().toString().substring(0, 6));
                created++;
            } catch (HttpClientResponseException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "60 registrations from one address in a minute were all accepted");
        assertEquals(429, refused.code());
        assertTrue(Long.parseLong(refused.getResponse().header("Retry-After")) > 3000);
        assertTrue(created <= 40, created + " registrations");
    }
}
