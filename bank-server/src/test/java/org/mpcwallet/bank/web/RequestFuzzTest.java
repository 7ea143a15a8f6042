package org.mpcwallet.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * Issue 10's standing fuzz test, bounded and seeded (the seed is printed; {@code -Dfuzz.seed=N} replays a run): REST
 * bodies mutated from valid ones (types swapped, fields unknown or duplicated, control characters, huge and
 * fractional numbers, deep nesting, broken JSON, invalid UTF-8) on every endpoint that takes a body, as a customer
 * and as an ADMIN; and channel frames of the same kinds on one WebSocket. Every request gets an answer below 500
 * with no Java type in its detail; every frame gets exactly one answer and the connection still works after.
 * The figures (requests, frames, status histogram) are printed.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestFuzzTest implements TestPropertyProvider {
    private static final int REQUESTS = 1500;
    private static final int FRAMES = 600;
    private static final String ADDR = "0x3535353535353535353535353535353535353535";

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
        return TestDataDir.embeddedPropsAsStrings("fuzz-");
    }

    private record Endpoint(String method, String path, Map<String, Object> valid, boolean admin) {
    }

    @Test
    void restBodiesAndChannelFramesNeverGetA5xxAndAlwaysAnAnswer() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("fuzz seed " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        Random rnd = new Random(seed);
        ApiUsers users = new ApiUsers(http, dataSource);
        ApiUsers.User customer = users.register();
        ApiUsers.User admin = users.register("ADMIN");
        String wallet = (String) http.toBlocking().exchange(io.micronaut.http.HttpRequest.POST("/v1/wallets",
                Map.of("name", "fuzz", "type", "RETAIL", "riskProfile", "LOW")).header("Authorization",
                customer.bearer()), Map.class).body().get("id");
        String someId = UUID.randomUUID().toString();
        List<Endpoint> endpoints = List.of(
                new Endpoint("POST", "/v1/auth/register", Map.of("username", "fz", "password",
                        "correct horse battery", "email", "a@b.c"), false),
                new Endpoint("POST", "/v1/auth/login", Map.of("username", "nobody", "password", "x"), false),
                new Endpoint("POST", "/v1/auth/refresh", Map.of("refreshToken", "abc"), false),
                new Endpoint("POST", "/v1/auth/logout", Map.of("refreshToken", "abc"), false),
                new Endpoint("POST", "/v1/wallets", Map.of("name", "w", "type", "RETAIL", "riskProfile", "LOW",
                        "tags", List.of("a", "b")), false),
                new Endpoint("POST", "/v1/wallets/" + wallet + "/roles", Map.of("userId", someId, "role",
                        "VIEWER"), false),
                new Endpoint("PUT", "/v1/wallets/" + wallet + "/settings", Map.of("allowlistOnly", true), true),
                new Endpoint("POST", "/v1/tx-requests", Map.of("walletId", wallet, "asset", "ETH", "to", ADDR,
                        "amount", "1000", "note", "n"), false),
                new Endpoint("POST", "/v1/tx-requests/" + someId + "/approve", Map.of("decision", "APPROVE",
                        "comment", "ok"), true),
                new Endpoint("POST", "/v1/policies", Map.of("type", "TX_LIMIT", "scope", "GLOBAL", "asset", "ETH",
                        "limit", "5", "approvals", 2), true),
                new Endpoint("POST", "/v1/tokens", Map.of("symbol", "TOK", "address", ADDR, "decimals", 6), true),
                new Endpoint("POST", "/v1/cases/" + someId + "/resolve", Map.of("resolution", "ALLOW",
                        "reason", "r"), true),
                new Endpoint("PUT", "/v1/admin/users/" + someId + "/roles", Map.of("roles", List.of("CUSTOMER")),
                        true),
                new Endpoint("POST", "/v1/admin/wallets/" + wallet + "/refresh", Map.of("reason", "r"), true),
                new Endpoint("POST", "/v1/wallets/" + wallet + "/sign-requests", Map.of("chainId", "31337", "nonce",
                        "0", "to", ADDR, "valueWei", "1", "gasLimit", "21000", "maxFeePerGas", "2",
                        "maxPriorityFeePerGas", "1", "data", "0x"), false));

        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, Integer> histogram = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Endpoint e = endpoints.get(rnd.nextInt(endpoints.size()));
            byte[] body = mutate(e.valid(), rnd);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort()
                    + e.path())).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .method(e.method(), HttpRequest.BodyPublishers.ofByteArray(body));
            if (!e.path().startsWith("/v1/auth/")) {
                b.header("Authorization", (e.admin() ? admin : customer).bearer());
            }
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            histogram.merge(r.statusCode(), 1, Integer::sum);
            boolean javaType = r.body().matches("(?s).*(java\\.|io\\.micronaut|org\\.mpcwallet|Exception|"
                    + "deserializ|\\bclass ).*");
            if (r.statusCode() >= 500 || javaType) {
                bad.add(e.method() + " " + e.path() + " " + new String(body, StandardCharsets.UTF_8) + " -> "
                        + r.statusCode() + " " + r.body());
            }
        }
        System.out.println("fuzz REST: " + REQUESTS + " requests on " + endpoints.size() + " endpoints, status "
                + "histogram " + histogram);
        assertTrue(bad.isEmpty(), () -> bad.size() + " bad answers, first: " + bad.get(0));

        // ---- channel frames: one answer each, the connection survives
        int answered = 0;
        try (TestDevice d = TestDevice.connect(json, server.getPort(), customer.bearer())) {
            for (int i = 0; i < FRAMES; i++) {
                String frame = frame(rnd, wallet);
                d.sendRaw(frame);
                Map<String, Object> answer = d.poll(10_000);
                assertNotNull(answer, () -> "no answer to " + frame);
                assertTrue(!"closed".equals(answer.get("type")), () -> "the connection closed after " + frame);
                String text = String.valueOf(answer);
                assertTrue(!text.matches("(?s).*(java\\.|org\\.mpcwallet|Exception).*"), text);
                if ("started".equals(answer.get("type"))) {
                    // a valid keygen start: the session's first message follows; end it
                    d.expect("msg");
                    d.send("type", "cancel", "session", answer.get("session"));
                    d.expect("error");
                }
                answered++;
            }
            Map<String, Object> extra = d.poll(300);
            assertTrue(extra == null, () -> "an extra, unrequested frame arrived: " + extra);
            d.send("type", "ping");
            assertEquals("pong", d.next().get("type"));
        }
        System.out.println("fuzz channel: " + FRAMES + " frames, " + answered + " answered, connection still open");
    }

    /** A body derived from {@code valid}: mostly one field mutated, sometimes the whole text broken. */
    private byte[] mutate(Map<String, Object> valid, Random rnd) throws Exception {
        Map<String, Object> m = new java.util.LinkedHashMap<>(valid);
        List<String> keys = new ArrayList<>(m.keySet());
        String key = keys.get(rnd.nextInt(keys.size()));
        switch (rnd.nextInt(14)) {
            case 0 -> m.put(key, oddValue(rnd));
            case 1 -> m.put("unexpected" + rnd.nextInt(3), oddValue(rnd));
            case 2 -> m.remove(key);
            case 3 -> m.put(key, "a\u0000b");
            case 4 -> m.put(key, "\u001b[31m" + m.get(key));
            case 5 -> m.put(key, nested(rnd.nextInt(60)));
            case 6 -> {
                String text = json.writeValueAsString(m);
                return (text.substring(0, text.length() - 1) + ",\"" + key + "\":" + json.writeValueAsString(
                        oddValue(rnd)) + "}").getBytes(StandardCharsets.UTF_8); // a duplicate key
            }
            case 7 -> {
                String text = json.writeValueAsString(m);
                return text.substring(0, rnd.nextInt(text.length())).getBytes(StandardCharsets.UTF_8);
            }
            case 8 -> {
                byte[] raw = new byte[rnd.nextInt(64)];
                rnd.nextBytes(raw);
                return raw;
            }
            case 9 -> {
                return new byte[] {'{', '"', (byte) keys.get(0).charAt(0), '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
            }
            case 10 -> {
                return ("[" + json.writeValueAsString(m) + "]").getBytes(StandardCharsets.UTF_8);
            }
            case 11 -> m.put(key, "x".repeat(1 + rnd.nextInt(20_000)));
            case 12 -> {
                return new byte[0];
            }
            default -> {
                // valid as it is (sometimes): the endpoint's own checks answer
            }
        }
        return json.writeValueAsBytes(m);
    }

    private static Object oddValue(Random rnd) {
        return switch (rnd.nextInt(12)) {
            case 0 -> true;
            case 1 -> -1;
            case 2 -> 1.5;
            case 3 -> List.of(true);
            case 4 -> "true";
            case 5 -> new java.math.BigInteger("115792089237316195423570985008687907853269984665640564039457584007913129639937");
            case 6 -> Map.of("a", 1);
            case 7 -> 1e308;
            case 8 -> "";
            case 9 -> List.of();
            case 10 -> "0x" + "f".repeat(64);
            default -> 9_007_199_254_740_993L;
        };
    }

    private static Object nested(int depth) {
        Object o = "leaf";
        for (int i = 0; i < depth; i++) {
            o = List.of(o);
        }
        return o;
    }

    /** A channel frame: a real type with odd fields, an unknown type, or not JSON at all. */
    private String frame(Random rnd, String wallet) throws Exception {
        String session = UUID.randomUUID().toString();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        switch (rnd.nextInt(9)) {
            case 0 -> {
                m.put("type", "keygen");
                m.put("walletId", rnd.nextBoolean() ? UUID.randomUUID().toString() : oddValue(rnd));
            }
            case 1 -> {
                m.put("type", "sign");
                m.put("requestId", rnd.nextBoolean() ? UUID.randomUUID().toString() : oddValue(rnd));
                m.put("signingHash", rnd.nextBoolean() ? "00".repeat(32) : oddValue(rnd));
            }
            case 2 -> {
                m.put("type", "msg");
                m.put("session", rnd.nextBoolean() ? session : oddValue(rnd));
                m.put("seq", oddValue(rnd));
                m.put("payload", rnd.nextBoolean() ? "AAAA" : oddValue(rnd));
            }
            case 3 -> {
                m.put("type", "cancel");
                m.put("session", rnd.nextBoolean() ? session : oddValue(rnd));
            }
            case 4 -> {
                m.put("type", "refresh");
                m.put("walletId", rnd.nextBoolean() ? wallet : oddValue(rnd));
            }
            case 5 -> m.put("type", oddValue(rnd));
            case 6 -> {
                return "{\"type\":\"ping\",\"type\":\"keygen\"}";
            }
            case 7 -> {
                return "{\"type\":\"msg\"" + ",".repeat(rnd.nextInt(3));
            }
            default -> {
                m.put("type", "ping");
                m.put("extra", nested(rnd.nextInt(40)));
            }
        }
        return json.writeValueAsString(m);
    }
}
