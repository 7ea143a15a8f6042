package org.mpcwallet.bank.web.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
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
import org.mpcwallet.bank.integration.ApiClientSigner;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * Issue 14 item 3: real answers validate against the served OpenAPI document. A customer's and an ADMIN's day on
 * the real bank — register, sign in, wallets, key generation, transfers, API clients, webhooks, the audit chain,
 * cases, incidents — and the errors (400, 401, 403, 404, 409 as problem+json); every answer's status, content type
 * and body are checked by an independent OpenAPI validator (Atlassian's swagger-request-validator) against
 * {@code GET /openapi.yml}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiResponsesTest implements TestPropertyProvider {
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
    private OpenApiInteractionValidator validator;
    private final List<String> failures = new ArrayList<>();
    private int checked;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("openapi-responses-");
    }

    @BeforeAll
    void theDocument() throws Exception {
        String doc = raw.send(java.net.http.HttpRequest.newBuilder(URI.create(base() + "/openapi.yml")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(doc).build();
    }

    private String base() {
        return "http://localhost:" + server.getPort();
    }

    /** Sends, checks the answer against the document, returns it. */
    private HttpResponse<String> call(String method, String path, Object body, String bearer, int expected)
            throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(base() + path))
                .header("Accept", "application/json");
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString());
        }
        b.method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        HttpResponse<String> r = raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), () -> method + " " + path + ": " + r.body());
        String type = r.headers().firstValue("content-type").orElse("");
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(r.statusCode());
        if (!type.isEmpty()) {
            answer.withContentType(type.replaceAll(";.*", ""));
        }
        if (!r.body().isEmpty()) {
            answer.withBody(r.body());
        }
        String template = path.replaceAll("\\?.*", "");
        ValidationReport report = validator.validateResponse(template, Request.Method.valueOf(method),
                answer.build());
        checked++;
        if (report.hasErrors()) {
            failures.add(method + " " + path + " " + r.statusCode() + ": " + report.getMessages());
        }
        return r;
    }

    private Map<?, ?> read(HttpResponse<String> r) throws Exception {
        return json.readValue(r.body(), Map.class);
    }

    /** The validator is not lenient: a wrong field type, an undocumented status and a wrong media type fail. */
    @Test
    void theValidatorRefusesWhatTheDocumentDoesNotSay() {
        assertTrue(validator.validateResponse("/v1/wallets/" + UUID.randomUUID(), Request.Method.GET,
                SimpleResponse.Builder.status(200).withContentType("application/json").withBody("{\"id\":5,"
                        + "\"name\":[]}").build()).hasErrors(), "wrong field types");
        assertTrue(validator.validateResponse("/v1/wallets", Request.Method.GET, SimpleResponse.Builder.status(207)
                .withContentType("application/json").withBody("{}").build()).hasErrors(), "an undocumented status");
        assertTrue(validator.validateResponse("/v1/wallets/" + UUID.randomUUID(), Request.Method.GET,
                SimpleResponse.Builder.status(404).withContentType("text/html").withBody("<p>no</p>").build())
                .hasErrors(), "an error that is not problem+json");
    }

    @Test
    void realAnswersValidateAgainstTheDocument() throws Exception {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", "/v1/auth/register", Map.of("username", name, "password", ApiUsers.PASSWORD), null, 201);
        Map<?, ?> login = read(call("POST", "/v1/auth/login", Map.of("username", name, "password",
                ApiUsers.PASSWORD), null, 200));
        String customer = "Bearer " + login.get("access_token");
        call("GET", "/v1/auth/me", null, customer, 200);
        call("POST", "/v1/auth/login", Map.of("username", name, "password", "wrong password here"), null, 401);

        String walletId = (String) read(call("POST", "/v1/wallets", Map.of("name", "Everyday", "type", "RETAIL",
                "riskProfile", "LOW"), customer, 201)).get("id");
        call("POST", "/v1/wallets", Map.of("name", "", "type", "RETAIL", "riskProfile", "LOW"), customer, 400);
        call("GET", "/v1/wallets", null, null, 401);
        call("GET", "/v1/wallets/" + UUID.randomUUID(), null, customer, 404);
        call("POST", "/v1/mpc/tickets", null, customer, 201);
        try (TestDevice d = TestDevice.connect(json, server.getPort(), customer)) {
            d.keygen(walletId);
        }
        call("GET", "/v1/wallets?limit=10", null, customer, 200);
        call("GET", "/v1/wallets/" + walletId, null, customer, 200);
        call("GET", "/v1/wallets/" + walletId + "/mpc", null, customer, 200);
        call("GET", "/v1/wallets/" + walletId + "/roles", null, customer, 200);
        call("GET", "/v1/wallets/" + walletId + "/settings", null, customer, 200);
        call("GET", "/v1/wallets/" + walletId + "/deposits", null, customer, 200);
        call("GET", "/v1/wallets/" + walletId + "/sign-requests", null, customer, 200);
        String tx = (String) read(call("POST", "/v1/tx-requests", Map.of("walletId", walletId, "asset", "ETH", "to",
                "0x3535353535353535353535353535353535353535", "amount", "1000"), customer, 201)).get("id");
        call("GET", "/v1/tx-requests?walletId=" + walletId + "&limit=5", null, customer, 200);
        call("GET", "/v1/tx-requests/" + tx, null, customer, 200);
        call("POST", "/v1/tx-requests/" + tx + "/approve", Map.of("decision", "APPROVE"), customer, 403);
        call("GET", "/v1/api-clients", null, customer, 403);
        call("GET", "/v1/approvals", null, customer, 200);

        User admin = new ApiUsers(http, dataSource).register("ADMIN");
        ApiClientSigner signer = new ApiClientSigner();
        String clientId = (String) read(call("POST", "/v1/api-clients", Map.of("name", "core-" + UUID.randomUUID()
                .toString().substring(0, 6), "publicKey", signer.publicKeyPem(), "roles", List.of("VIEWER")),
                admin.bearer(), 201)).get("id");
        call("GET", "/v1/api-clients", null, admin.bearer(), 200);
        call("GET", "/v1/api-clients/" + clientId, null, admin.bearer(), 200);
        String sub = (String) read(call("POST", "/v1/webhooks", Map.of("clientId", clientId, "url",
                "https://hooks.example.com/mpc", "eventTypes", List.of("transfer.state_changed")), admin.bearer(),
                201)).get("id");
        call("GET", "/v1/webhooks", null, admin.bearer(), 200);
        call("GET", "/v1/webhooks/" + sub, null, admin.bearer(), 200);
        call("GET", "/v1/webhooks/" + sub + "/deliveries", null, admin.bearer(), 200);
        call("POST", "/v1/webhooks/" + sub + "/disable", null, admin.bearer(), 200);
        call("GET", "/v1/webhooks/signing-keys", null, null, 200);
        call("GET", "/v1/audit/events?limit=20", null, admin.bearer(), 200);
        call("GET", "/v1/audit/verify", null, admin.bearer(), 200);
        call("GET", "/v1/audit/packages/" + tx, null, admin.bearer(), 200);
        call("GET", "/v1/cases", null, admin.bearer(), 200);
        call("GET", "/v1/admin/incidents", null, admin.bearer(), 200);
        call("GET", "/v1/policies", null, admin.bearer(), 200);
        call("POST", "/v1/policies/dry-run", Map.of("walletId", walletId, "asset", "ETH", "to",
                "0x3535353535353535353535353535353535353535", "amount", "1"), admin.bearer(), 200);
        call("GET", "/v1/tokens", null, admin.bearer(), 200);
        call("POST", "/v1/api-clients", Map.of("name", "x"), admin.bearer(), 400);
        Map<?, ?> invited = read(call("POST", "/v1/admin/users", Map.of("username", "staff-" + UUID.randomUUID()
                .toString().substring(0, 6), "roles", List.of("VIEWER")), admin.bearer(), 201));
        call("POST", "/v1/auth/invitations/accept", Map.of("username", invited.get("username"), "code",
                invited.get("invitationCode"), "password", ApiUsers.PASSWORD), null, 200);
        call("POST", "/v1/auth/logout", Map.of("refreshToken", login.get("refresh_token")), null, 204);

        assertTrue(failures.isEmpty(), () -> failures.size() + " answers do not match the document:\n"
                + String.join("\n", failures));
        assertTrue(checked >= 38, "answers checked: " + checked);
    }
}
