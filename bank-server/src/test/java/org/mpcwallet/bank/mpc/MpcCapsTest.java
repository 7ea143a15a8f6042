package org.mpcwallet.bank.mpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;

/**
 * Issue 10 §4 and §6 on the real WebSocket: "one user started 40 keygens at once, ran 10 in parallel and held 50 idle
 * WebSockets"; "two of 200 back-to-back frames were processed out of order". Caps per user (sessions at once,
 * wallets waiting for keygen, keygens per hour) while another user's keygen completes; idle connections closed;
 * frames answered in arrival order.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MpcCapsTest implements TestPropertyProvider {
    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("caps-");
        p.put("bank.signer.step-timeout-seconds", "20");
        p.put("bank.limits.mpc-sessions-per-user", "2");
        p.put("bank.limits.pending-keygen-wallets-per-user", "3");
        p.put("bank.limits.keygens-per-user-per-hour", "4");
        p.put("bank.limits.websocket-idle-seconds", "2");
        return p;
    }

    private String wallet(User u) {
        return (String) http.toBlocking().exchange(HttpRequest.POST("/v1/wallets", Map.of("name", "w", "type",
                "RETAIL", "riskProfile", "LOW")).header("Authorization", u.bearer()), Map.class).body().get("id");
    }

    private TestDevice device(User u) {
        return TestDevice.connect(json, server.getPort(), u.bearer());
    }

    /** Starts a keygen and returns its {@code started} or {@code error} frame (the first msg is skipped). */
    private static Map<String, Object> startKeygen(TestDevice d, String walletId) {
        d.send("type", "keygen", "walletId", walletId);
        Map<String, Object> f = d.next();
        if ("started".equals(f.get("type"))) {
            d.expect("msg"); // K1: the session now waits for the device
        }
        return f;
    }

    private static void cancel(TestDevice d, Map<String, Object> started) {
        d.send("type", "cancel", "session", started.get("session"));
        Map<String, Object> e = d.expect("error");
        assertEquals("CANCELLED", e.get("code"));
    }

    @Test
    void aKeygenFloodIsCappedWhileAnotherUsersKeygenCompletes() {
        ApiUsers users = new ApiUsers(http, dataSource);
        User flooder = users.register();
        User other = users.register();
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pending.add(wallet(flooder));
        }
        HttpClientResponseException fourth = assertThrows(HttpClientResponseException.class, () -> wallet(flooder));
        assertEquals(409, fourth.code());
        assertTrue(fourth.getResponse().getBody(String.class).orElseThrow().contains("waiting for key generation"));

        try (TestDevice d = device(flooder); TestDevice second = device(flooder); TestDevice o = device(other)) {
            Map<String, Object> s1 = startKeygen(d, pending.get(0));
            Map<String, Object> s2 = startKeygen(second, pending.get(1)); // another connection: the cap is per user
            assertEquals("started", s1.get("type"));
            assertEquals("started", s2.get("type"));
            Map<String, Object> third = startKeygen(d, pending.get(2));
            assertEquals("error", third.get("type"));
            assertEquals("BUSY", third.get("code"));
            assertTrue(((String) third.get("detail")).contains("at most 2 of your sessions"), third.toString());

            // meanwhile another user's keygen runs to the end
            String otherWallet = wallet(other);
            TestDevice.Keygen k = o.keygen(otherWallet);
            assertNotNull(k.share());

            cancel(d, s1);
            cancel(second, s2);
            Map<String, Object> s3 = startKeygen(d, pending.get(2)); // the third keygen of the hour
            assertEquals("started", s3.get("type"));
            cancel(d, s3);
            Map<String, Object> s4 = startKeygen(d, wallet(flooder)); // the fourth
            assertEquals("started", s4.get("type"));
            cancel(d, s4);
            Map<String, Object> fifth = startKeygen(d, wallet(flooder));
            assertEquals("error", fifth.get("type"));
            assertEquals("RATE_LIMITED", fifth.get("code"));
            assertTrue(((String) fifth.get("detail")).matches("at most 4 key generations per hour; try again in "
                    + "\\d+ min"), fifth.toString());
        }
    }

    @Test
    void anIdleConnectionIsClosedAndPingsKeepItOpen() throws Exception {
        User u = new ApiUsers(http, dataSource).register();
        try (TestDevice d = device(u)) {
            for (int i = 0; i < 4; i++) { // 4 s of pings, twice the idle time
                d.send("type", "ping");
                assertEquals("pong", d.next().get("type"));
                Thread.sleep(1_000);
            }
            Map<String, Object> idle = d.next(); // then silence: the sweeper closes it within a few seconds
            assertEquals("error", idle.get("type"), idle.toString());
            assertEquals("IDLE", idle.get("code"));
            Map<String, Object> closed = d.next();
            assertEquals("closed", closed.get("type"));
            assertEquals(1001, closed.get("code"));
        }
    }

    @Test
    void framesOfOneConnectionAreAnsweredInArrivalOrder() throws Exception {
        User u = new ApiUsers(http, dataSource).register();
        try (TestDevice d = device(u)) {
            // the first 20 at once, while the upgrade may still be completing (the bank holds up to 64 then, in
            // order); the other 180 in one burst once the channel answers (more than 64 before it is open would be
            // refused as a flood, which MpcWebSocket's cap is for, not this test)
            for (int i = 0; i < 20; i++) {
                d.sendRaw("{\"type\":\"probe" + i + "\"}");
            }
            for (int i = 0; i < 200; i++) {
                if (i == 20) {
                    for (int j = 20; j < 200; j++) {
                        d.sendRaw("{\"type\":\"probe" + j + "\"}");
                    }
                }
                Map<String, Object> f = d.next();
                assertEquals("error", f.get("type"), "frame " + i + ": " + f);
                assertEquals("unknown frame type 'probe" + i + "'", f.get("detail"), "answer " + i);
            }
            assertNull(d.poll(200));
        }
    }
}
