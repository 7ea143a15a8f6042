package org.mpcwallet.bank.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

/**
 * Staff by invitation (issue 15, docs/admin-console.md "Sign-in"): an ADMIN invites a compliance officer, who cannot
 * sign in until they set a password with the one-time code; then they sign in and work as COMPLIANCE. A wrong, used
 * or expired code gets one answer; a weak password is refused with the policy; only an ADMIN invites, never an ADMIN
 * or a customer; the code is in no audit event and no stored idempotent answer.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaffInvitationTest implements TestPropertyProvider {
    private static final String STRONG = "a long staff passphrase 42";

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

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("invitations-");
    }

    @BeforeAll
    void anAdmin() {
        admin = new ApiUsers(http, dataSource).register("ADMIN");
    }

    private HttpResponse<String> post(String path, Object body, String bearer, String idempotencyKey)
            throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:"
                + server.getPort() + path)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        return raw.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort()
                + path)).header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<?, ?> invite(String username, List<String> roles) throws Exception {
        HttpResponse<String> r = post("/v1/admin/users", Map.of("username", username, "roles", roles),
                admin.bearer(), UUID.randomUUID().toString());
        assertEquals(201, r.statusCode(), r::body);
        return json.readValue(r.body(), Map.class);
    }

    private HttpResponse<String> accept(String username, String code, String password) throws Exception {
        return post("/v1/auth/invitations/accept", Map.of("username", username, "code", code, "password", password),
                null, null);
    }

    private HttpResponse<String> login(String username, String password) throws Exception {
        return post("/v1/auth/login", Map.of("username", username, "password", password), null, null);
    }

    @Test
    void anInvitedComplianceOfficerSetsAPasswordSignsInAndWorks() throws Exception {
        String name = "officer-" + UUID.randomUUID().toString().substring(0, 6);
        Map<?, ?> inv = invite(name, List.of("COMPLIANCE"));
        String code = (String) inv.get("invitationCode");
        assertTrue(code.length() >= 26, "160 random bits");
        assertEquals(List.of("COMPLIANCE"), inv.get("roles"));

        assertEquals(401, login(name, STRONG).statusCode(), "no sign-in before the invitation is accepted");
        HttpResponse<String> wrong = accept(name, code.substring(1) + "A", STRONG);
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("not valid for this username"), wrong.body());
        HttpResponse<String> weak = accept(name, code, "short");
        assertEquals(400, weak.statusCode());
        HttpResponse<String> ok = accept(name, code, STRONG);
        assertEquals(200, ok.statusCode(), ok::body);
        assertEquals(List.of("COMPLIANCE"), json.readValue(ok.body(), Map.class).get("roles"));
        assertEquals(401, accept(name, code, STRONG + "!").statusCode(), "a code works once");

        HttpResponse<String> signedIn = login(name, STRONG);
        assertEquals(200, signedIn.statusCode(), signedIn::body);
        String bearer = "Bearer " + json.readValue(signedIn.body(), Map.class).get("access_token");
        assertEquals(200, get("/v1/cases", bearer).statusCode(), "works as COMPLIANCE");
        assertEquals(403, get("/v1/api-clients", bearer).statusCode(), "and only as COMPLIANCE");

        // the code is nowhere at rest but its hash: not in the audit log, not in a stored idempotent answer
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from audit_event where payload like ?")) {
                ps.setString(1, "%" + code + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(0, rs.getInt(1));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select count(*) from idempotency_key "
                    + "where convert_from(response_body, 'UTF8') like ?")) {
                ps.setString(1, "%" + code + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(0, rs.getInt(1));
                }
            }
            List<String> types = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select type, payload from audit_event where payload like ? "
                    + "order by seq")) {
                ps.setString(1, "%" + name + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        types.add(rs.getString(1));
                    }
                }
            }
            assertTrue(types.containsAll(List.of("STAFF_INVITED", "STAFF_INVITATION_REFUSED",
                    "STAFF_INVITATION_ACCEPTED")), types.toString());
        }
    }

    @Test
    void anExpiredCodeIsRefusedAndOnlyAnAdminInvitesStaff() throws Exception {
        String name = "late-" + UUID.randomUUID().toString().substring(0, 6);
        Map<?, ?> inv = invite(name, List.of("VIEWER", "SIGNATORY"));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update staff_invitations set expires_at = now() - interval '1 minute' where user_id = ?")) {
            ps.setObject(1, UUID.fromString((String) inv.get("userId")));
            ps.executeUpdate();
        }
        assertEquals(401, accept(name, (String) inv.get("invitationCode"), STRONG).statusCode(), "expired");
        assertEquals(401, accept("nobody-" + UUID.randomUUID().toString().substring(0, 6), "x", STRONG)
                .statusCode(), "an unknown username gets the same answer");

        User customer = new ApiUsers(http, dataSource).register();
        assertEquals(403, post("/v1/admin/users", Map.of("username", "x-" + UUID.randomUUID().toString()
                .substring(0, 6), "roles", List.of("VIEWER")), customer.bearer(), null).statusCode());
        HttpResponse<String> adminRole = post("/v1/admin/users", Map.of("username", "boss-" + UUID.randomUUID()
                .toString().substring(0, 6), "roles", List.of("ADMIN")), admin.bearer(), null);
        assertEquals(400, adminRole.statusCode());
        assertTrue(adminRole.body().contains("does not make an ADMIN"), adminRole.body());
        assertEquals(400, post("/v1/admin/users", Map.of("username", "c-" + UUID.randomUUID().toString()
                .substring(0, 6), "roles", List.of("CUSTOMER")), admin.bearer(), null).statusCode());
        assertEquals(400, post("/v1/admin/users", Map.of("username", "No Spaces", "roles", List.of("VIEWER")),
                admin.bearer(), null).statusCode());
        assertEquals(409, post("/v1/admin/users", Map.of("username", name, "roles", List.of("VIEWER")),
                admin.bearer(), null).statusCode(), "the username is taken");
        assertFalse(json.readValue(login(name, STRONG).body(), Map.class).containsKey("access_token"));
    }
}
