package org.mpcwallet.bank.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.integration.ApiClientSigner;

/**
 * Request rate limits on the real bank (issue 14 item 5, docs/integration.md "Rate limits"), set low here: a user, an
 * API client and an address without a caller each get their burst, then 429 problem+json with {@code Retry-After};
 * another user is not affected; after the wait the caller is served again.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestRateLimitTest implements TestPropertyProvider {
    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    private final java.net.http.HttpClient raw = java.net.http.HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("rates-");
        p.put("bank.limits.requests.per-user-burst", "3");
        p.put("bank.limits.requests.per-user-per-second", "2");
        p.put("bank.limits.requests.per-client-burst", "3");
        p.put("bank.limits.requests.per-client-per-second", "2");
        // registrations and logins of this class's users come from this address too
        p.put("bank.limits.requests.per-address-burst", "40");
        p.put("bank.limits.requests.per-address-per-second", "1");
        p.put("bank.limits.requests.refused-signed-per-address-burst", "3");
        p.put("bank.limits.requests.refused-signed-per-address-per-minute", "6");
        return p;
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:"
                + server.getPort() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return raw.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void limited(HttpResponse<String> r, String who) {
        assertEquals(429, r.statusCode(), r::body);
        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retry >= 1 && retry <= 2, "Retry-After " + retry);
        assertTrue(r.body().contains("Too many requests from " + who), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").contains("problem+json"));
    }

    @Test
    void aUserAClientAndAnAddressEachGetTheirBurstThenWait() throws Exception {
        User a = new ApiUsers(http, dataSource).register();
        User b = new ApiUsers(http, dataSource).register();
        User admin = new ApiUsers(http, dataSource).register("ADMIN");
        ApiClientSigner signer = new ApiClientSigner();
        signer.as((String) http.toBlocking().exchange(HttpRequest.POST("/v1/api-clients", Map.of("name",
                "rated-" + UUID.randomUUID().toString().substring(0, 6), "publicKey", signer.publicKeyPem(), "roles",
                List.of("VIEWER"))).header("Authorization", admin.bearer()), Map.class).body().get("id"));

        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("/v1/wallets", a.bearer()).statusCode());
        }
        limited(get("/v1/wallets", a.bearer()), "this user");
        assertEquals(200, get("/v1/wallets", b.bearer()).statusCode(), "another user has its own limit");

        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("/v1/wallets", signer.authorization("GET", "/v1/wallets", new byte[0]))
                    .statusCode());
        }
        limited(get("/v1/wallets", signer.authorization("GET", "/v1/wallets", new byte[0])), "this API client");

        int served = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 60 && (last == null || last.statusCode() != 429); i++) {
            // a public endpoint, no caller: counts against the address (a refused refresh token, 401, until 429)
            last = raw.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort()
                    + "/v1/auth/refresh")).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"refreshToken\":\"nope\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            served++;
        }
        limited(last, "this address");
        assertTrue(served > 1, "the address had its burst first");

        Thread.sleep(1_100);
        assertEquals(200, get("/v1/wallets", a.bearer()).statusCode(), "served again after the wait");

        // refused signed requests (here: a key that is not the client's) are counted per address before any work
        ApiClientSigner wrongKey = new ApiClientSigner().as(signer.clientId());
        for (int i = 0; i < 3; i++) {
            assertEquals(401, get("/v1/wallets", wrongKey.authorization("GET", "/v1/wallets", new byte[0]))
                    .statusCode());
        }
        HttpResponse<String> stopped = get("/v1/wallets", signer.authorization("GET", "/v1/wallets", new byte[0]));
        assertEquals(429, stopped.statusCode(), stopped::body);
        assertTrue(stopped.body().contains("Too many refused signed requests from this address"), stopped.body());
        assertTrue(Long.parseLong(stopped.headers().firstValue("Retry-After").orElse("0")) >= 1);
    }
}
