package org.mpcwallet.bank.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;

/**
 * Four eyes (issue 15, docs/admin-console.md "Four eyes") on the real bank with the production default
 * {@code bank.four-eyes=required}: a policy created or disabled, the ADMIN role granted and a wallet's APPROVER granted
 * or revoked by one ADMIN are proposals (202) that change nothing until a second ADMIN approves them — then they apply
 * in the approval's transaction, audited with the change. The proposer cannot approve their own; a change is decided
 * once; one that no longer applies is closed as FAILED with its reason; rejecting changes nothing.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FourEyesTest implements TestPropertyProvider {
    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    DataSource dataSource;

    User admin1;
    User admin2;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("four-eyes-");
        p.put("bank.four-eyes", "required");
        return p;
    }

    @BeforeAll
    void admins() {
        admin1 = new ApiUsers(http, dataSource).register("ADMIN");
        admin2 = new ApiUsers(http, dataSource).register("ADMIN");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> send(MutableHttpRequest<?> r, User u, int expected) {
        HttpResponse<Map> resp;
        try {
            resp = http.toBlocking().exchange(r.header("Authorization", u.bearer()), Map.class);
        } catch (HttpClientResponseException e) {
            assertEquals(expected, e.getStatus().getCode(), () -> "got " + e.getStatus() + " "
                    + e.getResponse().getBody(String.class).orElse(""));
            return e.getResponse().getBody(Map.class).orElse(Map.of());
        }
        assertEquals(expected, resp.getStatus().getCode(), () -> "got " + resp.getStatus() + " " + resp.body());
        return resp.body() == null ? Map.of() : resp.body();
    }

    Map<String, Object> approve(String changeId, User u, int expected) {
        return send(HttpRequest.POST("/v1/admin/changes/" + changeId + "/approve", Map.of("comment", "checked")), u,
                expected);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> policies() {
        return http.toBlocking().retrieve(HttpRequest.GET("/v1/policies").header("Authorization", admin1.bearer()),
                io.micronaut.core.type.Argument.listOf(Map.class)).stream().map(m -> (Map<String, Object>) m)
                .toList();
    }

    List<String> auditTypes(String changeId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select type from audit_event where payload::jsonb ->> 'changeId' = ? order by seq")) {
            ps.setString(1, changeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    String roles(String userId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select array_to_string(roles, ',') from users where id = ?::uuid")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPolicyTakesEffectOnlyWhenASecondAdminApproves() throws Exception {
        int before = policies().size();
        Map<String, Object> change = send(HttpRequest.POST("/v1/policies", Map.of("type", "ADDRESS_DENYLIST",
                "scope", "GLOBAL", "address", "0x00000000000000000000000000000000000000aa")), admin1, 202);
        assertEquals("PENDING", change.get("status"));
        assertEquals("POLICY_CREATE", change.get("kind"));
        assertEquals(admin1.name(), change.get("proposedBy"));
        assertTrue(((String) change.get("summary")).contains("ADDRESS_DENYLIST"), change::toString);
        assertEquals(before, policies().size(), "nothing changed yet");
        String id = (String) change.get("id");

        Map<String, Object> own = approve(id, admin1, 403);
        assertTrue(((String) own.get("detail")).contains("second ADMIN"), own::toString);
        Map<String, Object> done = approve(id, admin2, 200);
        assertEquals("APPLIED", done.get("status"));
        assertEquals(admin2.name(), done.get("decidedBy"));
        String policyId = (String) ((Map<String, Object>) done.get("outcome")).get("policyId");
        assertTrue(policies().stream().anyMatch(p -> policyId.equals(p.get("id"))));
        approve(id, admin2, 409); // decided once
        assertEquals(List.of("CHANGE_PROPOSED", "POLICY_CREATED", "CHANGE_APPROVED"), auditTypes(id));

        // disabling it is a change too; rejected, the rule stays
        Map<String, Object> off = send(HttpRequest.DELETE("/v1/policies/" + policyId), admin1, 202);
        Map<String, Object> rejected = send(HttpRequest.POST("/v1/admin/changes/" + off.get("id") + "/reject",
                Map.of("comment", "still needed")), admin2, 200);
        assertEquals("REJECTED", rejected.get("status"));
        assertEquals("still needed", rejected.get("comment"));
        assertTrue(policies().stream().anyMatch(p -> policyId.equals(p.get("id"))));
        // a bad rule is refused at once; no change is made of it
        send(HttpRequest.POST("/v1/policies", Map.of("type", "NO_SUCH_TYPE", "scope", "GLOBAL")), admin1, 400);
    }

    @Test
    void makingSomeoneAnAdminWaitsForASecondAdminOtherRolesDoNot() throws Exception {
        User user = new ApiUsers(http, dataSource).register();
        send(HttpRequest.PUT("/v1/admin/users/" + user.id() + "/roles", Map.of("roles", List.of("CUSTOMER",
                "VIEWER"))), admin1, 200);
        assertEquals("CUSTOMER,VIEWER", roles(user.id()));
        Map<String, Object> change = send(HttpRequest.PUT("/v1/admin/users/" + user.id() + "/roles",
                Map.of("roles", List.of("ADMIN", "VIEWER"))), admin1, 202);
        assertEquals("BANK_ROLES", change.get("kind"));
        assertEquals("CUSTOMER,VIEWER", roles(user.id()), "not an ADMIN yet");
        approve((String) change.get("id"), admin2, 200);
        assertEquals("ADMIN,VIEWER", roles(user.id()));
        assertEquals(List.of("CHANGE_PROPOSED", "USER_ROLES_CHANGED", "CHANGE_APPROVED"),
                auditTypes((String) change.get("id")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWalletsApproverIsGrantedAndRevokedWithFourEyesAndAStaleChangeFails() throws Exception {
        User owner = new ApiUsers(http, dataSource).register();
        User signatory = new ApiUsers(http, dataSource).register("SIGNATORY");
        String walletId = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "Ops", "type", "TREASURY",
                "riskProfile", "LOW")), owner, 201).get("id");
        MutableHttpRequest<?> grant = HttpRequest.POST("/v1/wallets/" + walletId + "/roles", Map.of("userId",
                signatory.id(), "role", "APPROVER"));
        Map<String, Object> first = send(grant, admin1, 202);
        Map<String, Object> twin = send(HttpRequest.POST("/v1/wallets/" + walletId + "/roles", Map.of("userId",
                signatory.id(), "role", "APPROVER")), admin1, 202);
        assertTrue(((String) first.get("summary")).contains(signatory.name()), first::toString);
        assertFalse(hasApprover(walletId, signatory.id()));
        approve((String) first.get("id"), admin2, 200);
        assertTrue(hasApprover(walletId, signatory.id()));

        Map<String, Object> stale = approve((String) twin.get("id"), admin2, 409);
        assertTrue(((String) stale.get("detail")).contains("already holds"), stale::toString);
        Map<String, Object> closed = send(HttpRequest.GET("/v1/admin/changes/" + twin.get("id")), admin1, 200);
        assertEquals("FAILED", closed.get("status"));
        assertNotNull(((Map<String, Object>) closed.get("outcome")).get("reason"));

        Map<String, Object> revoke = send(HttpRequest.DELETE("/v1/wallets/" + walletId + "/roles/" + signatory.id()
                + "/APPROVER"), admin1, 202);
        assertTrue(hasApprover(walletId, signatory.id()));
        approve((String) revoke.get("id"), admin2, 200);
        assertFalse(hasApprover(walletId, signatory.id()));
        // the owner's own grants (a VIEWER) are not the bank's controls: they apply at once
        User viewer = new ApiUsers(http, dataSource).register();
        send(HttpRequest.POST("/v1/wallets/" + walletId + "/roles", Map.of("userId", viewer.id(), "role",
                "VIEWER")), owner, 201);
    }

    @Test
    void aWalletsAllowlistOnlySwitchChangedByAnAdminWaitsForASecondAdmin() throws Exception {
        User owner = new ApiUsers(http, dataSource).register();
        String walletId = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "Payroll", "type", "RETAIL",
                "riskProfile", "LOW")), owner, 201).get("id");
        String settings = "/v1/wallets/" + walletId + "/settings";
        // the owner tightens their own wallet at once
        assertEquals(Boolean.TRUE, send(HttpRequest.PUT(settings, Map.of("allowlistOnly", true)), owner, 200)
                .get("allowlistOnly"));
        send(HttpRequest.PUT(settings, Map.of("allowlistOnly", false)), owner, 403); // loosening is the bank's
        // an ADMIN's change, either way, is a proposal
        Map<String, Object> off = send(HttpRequest.PUT(settings, Map.of("allowlistOnly", false)), admin1, 202);
        assertEquals("WALLET_SETTINGS", off.get("kind"));
        assertTrue(((String) off.get("summary")).contains("allowlist-only off") && ((String) off.get("summary"))
                .contains("Payroll"), off::toString);
        assertEquals(Boolean.TRUE, send(HttpRequest.GET(settings), owner, 200).get("allowlistOnly"), "not yet");
        approve((String) off.get("id"), admin1, 403);
        approve((String) off.get("id"), admin2, 200);
        assertEquals(Boolean.FALSE, send(HttpRequest.GET(settings), owner, 200).get("allowlistOnly"));
        assertEquals(List.of("CHANGE_PROPOSED", "WALLET_SETTINGS_CHANGED", "CHANGE_APPROVED"),
                auditTypes((String) off.get("id")));
        assertEquals("WALLET_SETTINGS", send(HttpRequest.PUT(settings, Map.of("allowlistOnly", true)), admin1, 202)
                .get("kind"), "an ADMIN's tightening is a proposal too");
        assertEquals(Boolean.FALSE, send(HttpRequest.GET(settings), owner, 200).get("allowlistOnly"));
        send(HttpRequest.PUT(settings, Map.of()), admin1, 400); // no value: refused at once, nothing proposed
        send(HttpRequest.PUT("/v1/wallets/" + java.util.UUID.randomUUID() + "/settings", Map.of("allowlistOnly",
                true)), admin1, 404);
    }

    private boolean hasApprover(String walletId, String userId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select 1 from wallet_roles where wallet_id = ?::uuid and user_id = ?::uuid and role = 'APPROVER'")) {
            ps.setString(1, walletId);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void complianceReadsTheChangesButDecidesNothingAndCustomersSeeNone() {
        User compliance = new ApiUsers(http, dataSource).register("COMPLIANCE");
        User customer = new ApiUsers(http, dataSource).register();
        Map<String, Object> change = send(HttpRequest.POST("/v1/policies", Map.of("type", "TX_LIMIT",
                "scope", "GLOBAL", "asset", "ETH", "limit", "1000")), admin1, 202);
        Map<String, Object> page = send(HttpRequest.GET("/v1/admin/changes?status=PENDING"), compliance, 200);
        assertTrue(((List<Map<String, Object>>) page.get("items")).stream()
                .anyMatch(c -> change.get("id").equals(c.get("id"))));
        approve((String) change.get("id"), compliance, 403);
        send(HttpRequest.GET("/v1/admin/changes"), customer, 403);
        send(HttpRequest.GET("/v1/admin/changes?status=SOMETIMES"), admin1, 400);
        send(HttpRequest.GET("/v1/admin/changes/not-a-uuid"), admin1, 404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOverviewIsForTheStaff() {
        User viewer = new ApiUsers(http, dataSource).register("VIEWER");
        User customer = new ApiUsers(http, dataSource).register();
        Map<String, Object> o = send(HttpRequest.GET("/v1/admin/overview"), viewer, 200);
        for (String k : List.of("transfersPerState", "oldestSecondsPerState", "approvalsPending", "openCases",
                "openIncidents", "listenerLagBlocks", "webhookBacklog")) {
            assertTrue(o.containsKey(k), () -> k + " missing from " + o);
        }
        send(HttpRequest.GET("/v1/admin/overview"), customer, 403);
    }
}
