package org.mpcwallet.bank.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * API clients and their signed requests (issue 14 item 1, docs/integration.md), over real HTTP on the real bank: an
 * ADMIN registers a client with its Ed25519 public key; the client creates a transfer on a wallet it was granted and
 * reads it back, audited as {@code client:<name>}; then every way a request can be wrong is refused with 401 and a
 * problem that names the check: replayed jti, altered body, altered query, expired, future-dated, too long-lived,
 * wrong key, unknown kid, malformed, disabled client, a rotated key after its overlap, an address outside the
 * client's CIDRs. Each refusal is audited with its reason.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiClientTest implements TestPropertyProvider {
    private static final String TO = "0x3535353535353535353535353535353535353535";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    private final java.net.http.HttpClient raw = java.net.http.HttpClient.newHttpClient();
    private User admin;
    private User owner;
    private String walletId;
    private ApiClientSigner signer;
    private String clientName;
    private String clientUserId;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("api-clients-");
    }

    @BeforeAll
    void aWalletAndAClient() {
        admin = new ApiUsers(http, dataSource).register("ADMIN");
        owner = new ApiUsers(http, dataSource).register();
        walletId = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "ops", "type", "RETAIL",
                "riskProfile", "LOW")), owner).get("id");
        try (TestDevice d = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            d.keygen(walletId);
        }
        signer = new ApiClientSigner();
        Map<?, ?> c = register("core-banking-" + UUID.randomUUID().toString().substring(0, 6), signer,
                List.of("CUSTOMER"), null);
        signer.as((String) c.get("id"));
        clientName = (String) c.get("name");
        clientUserId = (String) c.get("userId");
        // the wallet's owner lets the bank's core system create transfers on it, like any user
        send(HttpRequest.POST("/v1/wallets/" + walletId + "/roles", Map.of("userId", clientUserId, "role",
                "OPERATOR")), owner);
    }

    private Map<?, ?> register(String name, ApiClientSigner s, List<String> roles, List<String> cidrs) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", name);
        body.put("publicKey", s.publicKeyPem());
        body.put("roles", roles);
        if (cidrs != null) {
            body.put("allowedCidrs", cidrs);
        }
        return send(HttpRequest.POST("/v1/api-clients", body), admin);
    }

    private Map<?, ?> send(MutableHttpRequest<?> request, User u) {
        return http.toBlocking().exchange(request.header("Authorization", u.bearer()), Map.class).body();
    }

    private HttpResponse<String> call(String method, String target, String body, String authorization)
            throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:"
                + server.getPort() + target)).timeout(java.time.Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString());
        b.method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signed(ApiClientSigner s, String method, String target, String body)
            throws Exception {
        return call(method, target, body, s.authorization(method, target, bytes(body)));
    }

    private static byte[] bytes(String body) {
        return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    }

    private String transferBody() {
        return "{\"walletId\":\"" + walletId + "\",\"asset\":\"ETH\",\"to\":\"" + TO + "\",\"amount\":\"1000\"}";
    }

    /** What came back over a plain socket: the status line's code, the content type and the body. */
    private record Raw(int status, String contentType, String body) {
    }

    /**
     * POSTs headers that declare a 1 GB body and sends none, over a plain socket; the answer as the bank gives it
     * (within 20 s, or the read times out).
     */
    private Raw declaresHugeBody(String authorization) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /v1/tx-requests HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + authorization + "\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), StandardCharsets.UTF_8));
            int code = Integer.parseInt(in.readLine().split(" ")[1]);
            String type = "";
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                } else if (lower.startsWith("content-type:")) {
                    type = line.substring(13).strip();
                }
            }
            char[] body = new char[length];
            int read = 0;
            for (int n = 0; read < length && n >= 0; read += Math.max(n, 0)) {
                n = in.read(body, read, length - read);
            }
            return new Raw(code, type, new String(body, 0, read));
        }
    }

    /** A 401 whose problem names {@code check} (the reason's words). */
    private void refused(HttpResponse<String> r, String detailPart) {
        assertEquals(401, r.statusCode(), r::body);
        assertTrue(r.body().contains("Signed request refused") && r.body().contains(detailPart), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").contains("problem+json"));
    }

    @Test
    void aClientCreatesATransferAndReadsItBackAuditedAsItself() throws Exception {
        HttpResponse<String> created = signed(signer, "POST", "/v1/tx-requests", transferBody());
        assertEquals(201, created.statusCode(), created::body);
        Map<?, ?> t = json.readValue(created.body(), Map.class);
        String txId = (String) t.get("id");
        HttpResponse<String> read = signed(signer, "GET", "/v1/tx-requests/" + txId, null);
        assertEquals(200, read.statusCode(), read::body);
        assertTrue(read.body().contains(txId));
        HttpResponse<String> list = signed(signer, "GET", "/v1/tx-requests?walletId=" + walletId, null);
        assertEquals(200, list.statusCode(), list::body);
        assertEquals("client:" + clientName, actorOf("TX_SUBMITTED", txId));
        // the client is a caller like any other: no wallet role, no access
        HttpResponse<String> other = signed(signer, "GET", "/v1/wallets/" + UUID.randomUUID(), null);
        assertEquals(404, other.statusCode(), other::body);
        // and it cannot log in with a password (it has none anybody knows), nor can a person take its name
        assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(HttpRequest.POST(
                "/v1/auth/login", Map.of("username", "api." + clientName, "password", ApiUsers.PASSWORD))));
        HttpClientResponseException taken = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.POST("/v1/auth/register", Map.of("username", "api.someone", "password",
                        ApiUsers.PASSWORD))));
        assertEquals(400, taken.getStatus().getCode());
    }

    @Test
    void everyWrongRequestIsRefusedWithItsReason() throws Exception {
        String target = "/v1/tx-requests?walletId=" + walletId;
        long now = Instant.now().getEpochSecond();

        String once = signer.authorization("GET", target, new byte[0], now, now + 30, UUID.randomUUID().toString());
        assertEquals(200, call("GET", target, null, once).statusCode());
        refused(call("GET", target, null, once), "jti was already used");

        String body = transferBody();
        refused(call("POST", "/v1/tx-requests", body.replace("1000", "9999"),
                signer.authorization("POST", "/v1/tx-requests", bytes(body))), "bodyHash");
        refused(call("GET", "/v1/tx-requests?walletId=" + UUID.randomUUID(), null,
                signer.authorization("GET", target, new byte[0])), "uri");
        refused(call("GET", target, null, signer.authorization("GET", target, new byte[0], now - 90, now - 60,
                UUID.randomUUID().toString())), "expired");
        refused(call("GET", target, null, signer.authorization("GET", target, new byte[0], now + 120, now + 150,
                UUID.randomUUID().toString())), "in the future");
        refused(call("GET", target, null, signer.authorization("GET", target, new byte[0], now, now + 600,
                UUID.randomUUID().toString())), "more than 30 s after iat");
        ApiClientSigner stranger = new ApiClientSigner().as(signer.clientId());
        refused(call("GET", target, null, stranger.authorization("GET", target, new byte[0])), "does not verify");
        ApiClientSigner unknown = new ApiClientSigner().as(UUID.randomUUID().toString());
        refused(call("GET", target, null, unknown.authorization("GET", target, new byte[0])), "no API client");
        refused(call("GET", target, null, "Bearer eyJhbGciOiJFZERTQSJ9.e30.AAAA"), "not a signed request");
        String huge = "{\"walletId\":\"" + walletId + "\",\"pad\":\"" + "x".repeat(1_048_576) + "\"}";
        refused(call("POST", "/v1/tx-requests", huge, signer.authorization("POST", "/v1/tx-requests", bytes(huge))),
                "larger than a signed request may carry");
        // a length declared far beyond it is refused before any body comes (the connection is not held open)
        Raw declared = declaresHugeBody(signer.authorization("POST", "/v1/tx-requests", new byte[0]));
        assertEquals(401, declared.status(), declared::toString);
        assertTrue(declared.contentType().contains("problem+json")
                && declared.body().contains("larger than a signed request may carry"), declared::toString);
        // a body of many network reads under the limit is read whole and goes on to the API (which refuses it: an
        // unknown field), neither hung nor refused as a signed request
        String big = "{\"walletId\":\"" + walletId + "\",\"pad\":\"" + "x".repeat(262_144) + "\"}";
        HttpResponse<String> passed = call("POST", "/v1/tx-requests", big, signer.authorization("POST",
                "/v1/tx-requests", bytes(big)));
        assertEquals(400, passed.statusCode(), passed::body);
        assertFalse(passed.body().contains("Signed request refused"), passed::body);
        refused(call("GET", target, null, "Bearer " + ApiClientSigner.token(signer.clientId(),
                UUID.randomUUID().toString(), signer.privateKey(), "GET " + target, ApiClientSigner.sha256Hex(new byte[0]), now,
                now + 30, UUID.randomUUID().toString())), "sub is not the client named by kid");

        List<String> reasons = refusalReasons(signer.clientId());
        assertTrue(reasons.containsAll(List.of("replayed", "body_mismatch", "uri_mismatch", "expired",
                "not_yet_valid", "lifetime_too_long", "bad_signature", "body_too_large", "subject_mismatch")), reasons.toString());
    }

    @Test
    void aRotatedKeyWorksUntilItsOverlapEndsAndADisabledClientNotAtAll() throws Exception {
        ApiClientSigner first = new ApiClientSigner();
        String id = (String) register("rotating-" + UUID.randomUUID().toString().substring(0, 6), first,
                List.of("VIEWER"), null).get("id");
        first.as(id);
        assertEquals(200, signed(first, "GET", "/v1/wallets", null).statusCode());
        ApiClientSigner second = new ApiClientSigner().as(id);
        Map<?, ?> rotated = send(HttpRequest.POST("/v1/api-clients/" + id + "/keys", Map.of("publicKey",
                second.publicKeyPem(), "overlapSeconds", 2)), admin);
        assertEquals(2, ((List<?>) rotated.get("keys")).size());
        assertEquals(200, signed(first, "GET", "/v1/wallets", null).statusCode(), "the old key during the overlap");
        assertEquals(200, signed(second, "GET", "/v1/wallets", null).statusCode());
        Thread.sleep(2_500);
        refused(signed(first, "GET", "/v1/wallets", null), "does not verify");
        assertEquals(200, signed(second, "GET", "/v1/wallets", null).statusCode());

        Map<?, ?> disabled = send(HttpRequest.POST("/v1/api-clients/" + id + "/disable", ""), admin);
        assertEquals(Boolean.TRUE, disabled.get("disabled"));
        refused(signed(second, "GET", "/v1/wallets", null), "disabled");
    }

    @Test
    void aClientCallsOnlyFromItsAddresses() throws Exception {
        ApiClientSigner far = new ApiClientSigner();
        far.as((String) register("far-" + UUID.randomUUID().toString().substring(0, 6), far, List.of("VIEWER"),
                List.of("10.0.0.0/8", "2001:db8::/32")).get("id"));
        refused(signed(far, "GET", "/v1/wallets", null), "address");
        ApiClientSigner near = new ApiClientSigner();
        near.as((String) register("near-" + UUID.randomUUID().toString().substring(0, 6), near, List.of("VIEWER"),
                List.of("127.0.0.0/8", "::1/128")).get("id"));
        assertEquals(200, signed(near, "GET", "/v1/wallets", null).statusCode());
    }

    @Test
    void onlyAnAdminRegistersAndBadInputIsRefused() {
        ApiClientSigner s = new ApiClientSigner();
        HttpClientResponseException notAdmin = assertThrows(HttpClientResponseException.class, () -> send(
                HttpRequest.POST("/v1/api-clients", Map.of("name", "sneaky", "publicKey", s.publicKeyPem(), "roles",
                        List.of("VIEWER"))), owner));
        assertEquals(403, notAdmin.getStatus().getCode());
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("name", "x", "publicKey", s.publicKeyPem(), "roles", List.of("VIEWER")),
                Map.of("name", "okname", "publicKey", "not a key", "roles", List.of("VIEWER")),
                Map.of("name", "okname", "publicKey", s.publicKeyPem(), "roles", List.of("KING")),
                Map.of("name", "okname", "publicKey", s.publicKeyPem(), "roles", List.of("VIEWER"), "allowedCidrs",
                        List.of("10.0.0.0/33")),
                // a word of hex letters is no address: it must not be looked up as a host name
                Map.of("name", "okname", "publicKey", s.publicKeyPem(), "roles", List.of("VIEWER"), "allowedCidrs",
                        List.of("deadbeef/8")))) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                    () -> send(HttpRequest.POST("/v1/api-clients", bad), admin));
            assertEquals(400, e.getStatus().getCode(), bad::toString);
        }
        String name = "dup-" + UUID.randomUUID().toString().substring(0, 6);
        register(name, s, List.of("VIEWER"), null);
        HttpClientResponseException dup = assertThrows(HttpClientResponseException.class,
                () -> register(name, new ApiClientSigner(), List.of("VIEWER"), null));
        assertEquals(409, dup.getStatus().getCode());
        List<?> all = (List<?>) http.toBlocking().retrieve(HttpRequest.GET("/v1/api-clients").header(
                "Authorization", admin.bearer()), Map.class).get("items");
        assertFalse(all.isEmpty());
        assertFalse(all.toString().contains("BEGIN PUBLIC KEY"), "keys are shown by fingerprint");
    }

    private String actorOf(String type, String txId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select actor from audit_event where type = ? and payload like ?")) {
            ps.setString(1, type);
            ps.setString(2, "%" + txId + "%");
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "an audit event " + type);
                return rs.getString(1);
            }
        }
    }

    private List<String> refusalReasons(String clientId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select payload::jsonb ->> 'reason' from audit_event where type = 'API_REQUEST_REFUSED' "
                        + "and payload like ? order by seq")) {
            ps.setString(1, "%" + clientId + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void theDocsShellExampleSignsARequestTheBankAccepts() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("signed-request-");
        java.nio.file.Path key = dir.resolve("client.key");
        run(dir, "openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        String pem = run(dir, "openssl", "pkey", "-in", key.toString(), "-pubout");
        String id = (String) send(HttpRequest.POST("/v1/api-clients", Map.of("name", "shell-"
                + UUID.randomUUID().toString().substring(0, 6), "publicKey", pem, "roles", List.of("CUSTOMER"))),
                admin).get("id");
        String userId = (String) send(HttpRequest.GET("/v1/api-clients/" + id), admin).get("userId");
        send(HttpRequest.POST("/v1/wallets/" + walletId + "/roles", Map.of("userId", userId, "role", "OPERATOR")),
                owner);
        java.nio.file.Path script = org.mpcwallet.web.BrowserHarness.repoRootForTests()
                .resolve("docs/examples/signed-request.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "POST", "/v1/tx-requests", transferBody())
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("BANK", "http://127.0.0.1:" + server.getPort());
        pb.environment().put("CLIENT", id);
        pb.environment().put("KEY", key.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.endsWith("\n201"), out);
        assertTrue(out.contains("\"walletId\":\"" + walletId + "\""), out);
    }

    private static String run(java.nio.file.Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> String.join(" ", command) + ": " + out);
        return out;
    }
}
