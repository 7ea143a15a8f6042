package org.mpcwallet.bank.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.TestTokens;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletLifecycle;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStateMachine.IllegalTransitionException;
import org.mpcwallet.bank.wallet.domain.WalletStatus;

/** Wallets over real HTTP on the embedded PostgreSQL: access rules, role grants, keyset metadata, status, audit. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalletTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    ApplicationContext context;

    @Inject
    AuditLog auditLog;

    @Inject
    WalletLifecycle service;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("wallet-");
    }

    // ---- helpers

    /** A registered, logged-in customer. */
    private User customer() {
        return new ApiUsers(http, dataSource).register();
    }

    private HttpResponse<Map> send(MutableHttpRequest<?> request, String bearer) {
        return http.toBlocking().exchange(request.header("Authorization", bearer), Map.class);
    }

    private HttpResponse<List<Map>> sendList(MutableHttpRequest<?> request, String bearer) {
        return http.toBlocking().exchange(request.header("Authorization", bearer), Argument.listOf(Map.class));
    }

    /** The items of a list page (docs/integration.md "Pagination"). */
    private List<?> page(MutableHttpRequest<?> request, String bearer) {
        return (List<?>) send(request, bearer).body().get("items");
    }

    private Map<?, ?> create(User u, String name) {
        HttpResponse<Map> r = send(HttpRequest.POST("/v1/wallets", Map.of("name", name, "type", "RETAIL",
                "riskProfile", "LOW", "tags", List.of("eu", "retail"))), u.bearer());
        assertEquals(201, r.code());
        return r.body();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fails(int status, MutableHttpRequest<?> request, String bearer) throws Exception {
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(request, Map.class));
        assertEquals(status, e.code());
        assertEquals("application/problem+json", e.getResponse().getContentType().orElseThrow().toString());
        Map<String, Object> body = json.readValue(e.getResponse().getBody(String.class).orElseThrow(), Map.class);
        assertEquals(status, ((Number) body.get("status")).intValue());
        assertNotNull(body.get("correlationId"));
        return body;
    }

    private static Map<String, Object> grant(String userId, String role) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", userId);
        m.put("role", role);
        return m;
    }

    private List<?> idsOf(List<?> wallets) {
        return wallets.stream().map(w -> ((Map<?, ?>) w).get("id")).toList();
    }

    private long count(String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        }
    }

    // ---- tests

    @Test
    void createListGet() {
        User alice = customer();
        Map<?, ?> w = create(alice, "Alice main");
        assertEquals("Alice main", w.get("name"));
        assertEquals("RETAIL", w.get("type"));
        assertEquals("LOW", w.get("riskProfile"));
        assertEquals(List.of("eu", "retail"), w.get("tags"));
        assertEquals("MPC_2PC", w.get("custodyBackend"));
        assertEquals("PENDING_KEYGEN", w.get("status"));
        assertTrue(((String) w.get("keysetId")).startsWith("ks-"));
        assertNull(w.get("address"));
        assertEquals(alice.id(), w.get("createdBy"));

        List<?> mine = page(HttpRequest.GET("/v1/wallets"), alice.bearer());
        assertTrue(idsOf(mine).contains(w.get("id")));
        Map<?, ?> got = send(HttpRequest.GET("/v1/wallets/" + w.get("id")), alice.bearer()).body();
        assertEquals(w.get("keysetId"), got.get("keysetId"));

        List<?> roles = sendList(HttpRequest.GET("/v1/wallets/" + w.get("id") + "/roles"), alice.bearer()).body();
        assertEquals(1, roles.size());
        assertEquals("OWNER", ((Map<?, ?>) roles.get(0)).get("role"));
        assertEquals(alice.id(), ((Map<?, ?>) roles.get(0)).get("userId"));
    }

    /** {@code ?q=}: a part of the name or of an owner's username, for staff over all wallets, for others their own. */
    @Test
    void walletsAreFoundByNameOrOwner() throws Exception {
        User alice = customer();
        User bob = customer();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String id = (String) create(alice, "Holiday " + tag).get("id");
        String viewer = TestTokens.bearer(context, "VIEWER");
        assertEquals(List.of(id), idsOf(page(HttpRequest.GET("/v1/wallets?q=holiday%20" + tag), viewer)),
                "by a part of the name, whatever the case");
        assertTrue(idsOf(page(HttpRequest.GET("/v1/wallets?q=" + alice.name()), viewer)).contains(id),
                "by the owner's username");
        assertEquals(List.of(id), idsOf(page(HttpRequest.GET("/v1/wallets?q=" + tag), alice.bearer())));
        assertTrue(page(HttpRequest.GET("/v1/wallets?q=" + tag), bob.bearer()).isEmpty(), "never another's");
        assertTrue(page(HttpRequest.GET("/v1/wallets?q=%25" + tag), viewer).isEmpty(), "% is a character, no wildcard");
        fails(400, HttpRequest.GET("/v1/wallets?q=" + "x".repeat(101)), viewer);
    }

    @Test
    void otherCustomerCannotSeeOrRead() throws Exception {
        User alice = customer();
        User bob = customer();
        String id = (String) create(alice, "private").get("id");
        assertFalse(idsOf(page(HttpRequest.GET("/v1/wallets"), bob.bearer())).contains(id));
        Map<String, Object> p = fails(404, HttpRequest.GET("/v1/wallets/" + id), bob.bearer());
        assertEquals("No such wallet.", p.get("detail"));
        fails(404, HttpRequest.GET("/v1/wallets/" + id + "/mpc"), bob.bearer());
        fails(404, HttpRequest.GET("/v1/wallets/" + id + "/roles"), bob.bearer());
        fails(404, HttpRequest.POST("/v1/wallets/" + id + "/roles", grant(bob.id(), "OWNER")), bob.bearer());
        fails(404, HttpRequest.DELETE("/v1/wallets/" + id + "/roles/" + alice.id() + "/OWNER"), bob.bearer());
        // the same answer as for a wallet that does not exist, or a malformed id
        fails(404, HttpRequest.GET("/v1/wallets/" + UUID.randomUUID()), bob.bearer());
        fails(404, HttpRequest.GET("/v1/wallets/not-a-uuid"), bob.bearer());
        fails(401, HttpRequest.GET("/v1/wallets/" + id), null);
        fails(401, HttpRequest.GET("/v1/wallets"), null);

        // bank staff see every wallet; VIEWER staff may not manage roles
        String viewer = TestTokens.bearer(context, "VIEWER");
        assertTrue(idsOf(page(HttpRequest.GET("/v1/wallets"), viewer)).contains(id));
        assertEquals(200, send(HttpRequest.GET("/v1/wallets/" + id), viewer).code());
        fails(403, HttpRequest.POST("/v1/wallets/" + id + "/roles", grant(bob.id(), "VIEWER")), viewer);
    }

    @Test
    void validation() throws Exception {
        User alice = customer();
        Map<String, Object> ok = new LinkedHashMap<>(Map.of("name", "x", "type", "TREASURY", "riskProfile", "HIGH"));
        Map<String, Object> bad = new LinkedHashMap<>(ok);
        bad.put("type", "SAVINGS");
        assertTrue(((String) fails(400, HttpRequest.POST("/v1/wallets", bad), alice.bearer()).get("detail"))
                .startsWith("type must be one of"));
        bad = new LinkedHashMap<>(ok);
        bad.remove("name");
        fails(400, HttpRequest.POST("/v1/wallets", bad), alice.bearer());
        bad = new LinkedHashMap<>(ok);
        bad.put("name", "a\u0000b");
        fails(400, HttpRequest.POST("/v1/wallets", bad), alice.bearer());
        bad = new LinkedHashMap<>(ok);
        bad.put("name", "n".repeat(101));
        fails(400, HttpRequest.POST("/v1/wallets", bad), alice.bearer());
        bad = new LinkedHashMap<>(ok);
        bad.remove("riskProfile");
        fails(400, HttpRequest.POST("/v1/wallets", bad), alice.bearer());
        bad = new LinkedHashMap<>(ok);
        bad.put("tags", List.of("has space"));
        fails(400, HttpRequest.POST("/v1/wallets", bad), alice.bearer());
        bad = new LinkedHashMap<>(ok);
        bad.put("custodyBackend", "HSM");
        fails(400, HttpRequest.POST("/v1/wallets", bad), alice.bearer());
        fails(400, HttpRequest.POST("/v1/wallets", "{not json").contentType("application/json"), alice.bearer());
        fails(401, HttpRequest.POST("/v1/wallets", ok), null);
        // a valid token whose user does not exist cannot own a wallet
        fails(401, HttpRequest.POST("/v1/wallets", ok), TestTokens.bearerOfUnknownUser(context, "CUSTOMER"));
        ok.put("custodyBackend", "MPC_2PC");
        assertEquals(201, send(HttpRequest.POST("/v1/wallets", ok), alice.bearer()).code());
    }

    @Test
    void roleAssignmentAndRevocation() throws Exception {
        User alice = customer();
        User bob = customer();
        User carol = customer();
        String id = (String) create(alice, "shared").get("id");
        String roles = "/v1/wallets/" + id + "/roles";

        HttpResponse<Map> r = send(HttpRequest.POST(roles, grant(bob.id(), "VIEWER")), alice.bearer());
        assertEquals(201, r.code());
        assertEquals("VIEWER", r.body().get("role"));
        assertTrue(idsOf(page(HttpRequest.GET("/v1/wallets"), bob.bearer())).contains(id));
        assertEquals(200, send(HttpRequest.GET("/v1/wallets/" + id), bob.bearer()).code());

        // a VIEWER sees the wallet but may not manage it
        fails(403, HttpRequest.POST(roles, grant(carol.id(), "VIEWER")), bob.bearer());
        fails(403, HttpRequest.DELETE(roles + "/" + alice.id() + "/OWNER"), bob.bearer());
        fails(403, HttpRequest.POST(roles, grant(bob.id(), "OWNER")), bob.bearer());

        // an ADMIN may
        String admin = TestTokens.bearer(context, "ADMIN");
        assertEquals(201, send(HttpRequest.POST(roles, grant(carol.id(), "OPERATOR")), admin).code());
        // APPROVER is a bank decision (docs/custody-pipeline.md "Who may approve")
        fails(403, HttpRequest.POST(roles, grant(carol.id(), "APPROVER")), alice.bearer());
        fails(409, HttpRequest.POST(roles, grant(carol.id(), "APPROVER")), admin); // a self-registered customer
        User signatory = new ApiUsers(http, dataSource).register("CUSTOMER", "SIGNATORY");
        assertEquals(201, send(HttpRequest.POST(roles, grant(signatory.id(), "APPROVER")), admin).code());
        fails(409, HttpRequest.POST(roles, grant(signatory.id(), "APPROVER")), admin);
        fails(400, HttpRequest.POST(roles, grant(UUID.randomUUID().toString(), "VIEWER")), alice.bearer());
        fails(400, HttpRequest.POST(roles, grant("nope", "VIEWER")), alice.bearer());
        fails(400, HttpRequest.POST(roles, grant(carol.id(), "GOD")), alice.bearer());
        fails(400, HttpRequest.POST(roles, grant(carol.id(), null)), alice.bearer());
        assertEquals(4, sendList(HttpRequest.GET(roles), carol.bearer()).body().size());

        assertEquals(204, send(HttpRequest.DELETE(roles + "/" + bob.id() + "/VIEWER"), alice.bearer()).code());
        fails(404, HttpRequest.GET("/v1/wallets/" + id), bob.bearer());
        fails(404, HttpRequest.DELETE(roles + "/" + bob.id() + "/VIEWER"), alice.bearer());
        fails(404, HttpRequest.DELETE(roles + "/" + bob.id() + "/KING"), alice.bearer());
        assertEquals(204, send(HttpRequest.DELETE(roles + "/" + carol.id() + "/OPERATOR"), admin).code());
        assertEquals(2, count("select count(*) from wallet_roles where wallet_id = ?", UUID.fromString(id)));
    }

    @Test
    void lastOwnerCannotBeRemoved() throws Exception {
        User alice = customer();
        User bob = customer();
        String id = (String) create(alice, "owned").get("id");
        String roles = "/v1/wallets/" + id + "/roles";
        Map<String, Object> p = fails(409, HttpRequest.DELETE(roles + "/" + alice.id() + "/OWNER"), alice.bearer());
        assertEquals("The last OWNER of a wallet cannot be removed.", p.get("detail"));
        fails(409, HttpRequest.DELETE(roles + "/" + alice.id() + "/OWNER"), TestTokens.bearer(context, "ADMIN"));

        assertEquals(201, send(HttpRequest.POST(roles, grant(bob.id(), "OWNER")), alice.bearer()).code());
        assertEquals(204, send(HttpRequest.DELETE(roles + "/" + alice.id() + "/OWNER"), alice.bearer()).code());
        fails(404, HttpRequest.GET("/v1/wallets/" + id), alice.bearer());
        fails(409, HttpRequest.DELETE(roles + "/" + bob.id() + "/OWNER"), bob.bearer());
        assertEquals(1, count("select count(*) from wallet_roles where wallet_id = ? and role = 'OWNER'",
                UUID.fromString(id)));
    }

    @Test
    void mpcMetadataBeforeKeygenAndLock() throws Exception {
        User alice = customer();
        Map<?, ?> w = create(alice, "keyless");
        Map<?, ?> mpc = send(HttpRequest.GET("/v1/wallets/" + w.get("id") + "/mpc"), alice.bearer()).body();
        assertEquals(w.get("keysetId"), mpc.get("keysetId"));
        assertEquals("PENDING_KEYGEN", mpc.get("status"));
        assertEquals("MPC_2PC", mpc.get("custodyBackend"));
        assertNull(mpc.get("publicKey"));
        assertNull(mpc.get("address"));
        assertNull(mpc.get("lastUsedAt"));
        assertNotNull(mpc.get("createdAt"));
        assertEquals(Boolean.FALSE, mpc.get("locked"));

        // a lock written by the mpc feature shows
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into keyset_lock (keyset_id, kind, step, reason) values (?, 'KEY_COMPROMISE_RISK', 's', 'r')")) {
            ps.setString(1, (String) w.get("keysetId"));
            ps.executeUpdate();
        }
        mpc = send(HttpRequest.GET("/v1/wallets/" + w.get("id") + "/mpc"), alice.bearer()).body();
        assertEquals(Boolean.TRUE, mpc.get("locked"));
    }

    @Test
    void markActiveAndFailedAndIllegalTransitions() throws Exception {
        User alice = customer();
        UUID id = UUID.fromString((String) create(alice, "to-activate").get("id"));
        byte[] key = new byte[33];
        key[0] = 0x02;
        key[32] = 0x7f;

        assertThrows(IllegalArgumentException.class, () -> service.markActive(id, null, "bc1qaddr"));
        assertThrows(IllegalArgumentException.class, () -> service.markActive(id, new byte[32], "bc1qaddr"));
        assertThrows(IllegalArgumentException.class, () -> service.markActive(id, key, ""));
        assertThrows(IllegalArgumentException.class, () -> service.markActive(id, key, "has space"));

        Wallet active = service.markActive(id, key, "bc1qexampleaddress");
        assertEquals(WalletStatus.ACTIVE, active.status());
        assertEquals("bc1qexampleaddress", active.address());
        Map<?, ?> mpc = send(HttpRequest.GET("/v1/wallets/" + id + "/mpc"), alice.bearer()).body();
        assertEquals("ACTIVE", mpc.get("status"));
        assertEquals(HexFormat.of().formatHex(key), mpc.get("publicKey"));
        assertEquals("bc1qexampleaddress", mpc.get("address"));
        Map<?, ?> got = send(HttpRequest.GET("/v1/wallets/" + id), alice.bearer()).body();
        assertEquals("ACTIVE", got.get("status"));
        assertEquals("bc1qexampleaddress", got.get("address"));

        assertThrows(IllegalTransitionException.class, () -> service.markActive(id, key, "bc1qother"));
        assertThrows(IllegalTransitionException.class, () -> service.markFailed(id, "late failure"));
        assertEquals("bc1qexampleaddress",
                send(HttpRequest.GET("/v1/wallets/" + id), alice.bearer()).body().get("address"));

        UUID other = UUID.fromString((String) create(alice, "to-fail").get("id"));
        Wallet failed = service.markFailed(other, "device aborted");
        assertEquals(WalletStatus.FAILED, failed.status());
        assertNull(failed.address());
        assertEquals("FAILED", send(HttpRequest.GET("/v1/wallets/" + other), alice.bearer()).body().get("status"));
        assertThrows(IllegalTransitionException.class, () -> service.markActive(other, key, "bc1q"));
        assertThrows(IllegalTransitionException.class, () -> service.markFailed(other, "again"));

        WalletException missing = assertThrows(WalletException.class,
                () -> service.markFailed(UUID.randomUUID(), "x"));
        assertEquals(WalletException.Kind.NOT_FOUND, missing.kind());
        assertEquals(1, count("select count(*) from audit_event where type = 'WALLET_ACTIVATED' "
                + "and payload::jsonb ->> 'walletId' = ?", id.toString()));
        assertEquals(1, count("select count(*) from audit_event where type = 'WALLET_KEYGEN_FAILED' "
                + "and payload::jsonb ->> 'walletId' = ?", other.toString()));
    }

    @Test
    void auditEventsWrittenAndChainVerifies() throws Exception {
        User alice = customer();
        User bob = new ApiUsers(http, dataSource).register("SIGNATORY");
        User admin = new ApiUsers(http, dataSource).register("ADMIN");
        String id = (String) create(alice, "audited").get("id");
        String roles = "/v1/wallets/" + id + "/roles";
        send(HttpRequest.POST(roles, grant(bob.id(), "APPROVER")), admin.bearer());
        fails(403, HttpRequest.DELETE(roles + "/" + bob.id() + "/APPROVER"), alice.bearer());
        send(HttpRequest.DELETE(roles + "/" + bob.id() + "/APPROVER"), admin.bearer());
        fails(409, HttpRequest.DELETE(roles + "/" + alice.id() + "/OWNER"), alice.bearer());

        String q = "select count(*) from audit_event where type = ? and payload::jsonb ->> 'walletId' = ?";
        assertEquals(1, count(q, "WALLET_CREATED", id));
        assertEquals(1, count(q, "ROLE_ASSIGNED", id));
        assertEquals(1, count(q, "ROLE_REVOKED", id));
        assertEquals(1, count("select count(*) from audit_event where type = 'ROLE_ASSIGNED' and payload::jsonb ->> "
                + "'walletId' = ? and payload::jsonb ->> 'userId' = ? and payload::jsonb ->> 'role' = 'APPROVER' "
                + "and payload::jsonb ->> 'byUserId' = ?", id, bob.id(), admin.id()));
        assertEquals(1, count("select count(*) from audit_event where type = 'WALLET_CREATED' and payload::jsonb ->> "
                + "'walletId' = ? and payload::jsonb ->> 'userId' = ? and payload::jsonb ->> 'correlationId' "
                + "is not null", id, alice.id()));
        assertTrue(auditLog.verify().ok());
    }

    @Test
    void createWithIdempotencyKeyReplays() throws Exception {
        User alice = customer();
        String name = "idem-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("name", name, "type", "SETTLEMENT", "riskProfile", "MEDIUM");
        String key = "wallet-" + UUID.randomUUID();
        HttpResponse<String> first = http.toBlocking().exchange(HttpRequest.POST("/v1/wallets", body)
                .header("Authorization", alice.bearer()).header("Idempotency-Key", key), String.class);
        HttpResponse<String> second = http.toBlocking().exchange(HttpRequest.POST("/v1/wallets", body)
                .header("Authorization", alice.bearer()).header("Idempotency-Key", key), String.class);
        assertEquals(201, first.code());
        assertEquals(201, second.code());
        assertEquals(first.body(), second.body());
        assertEquals("true", second.getHeaders().get("Idempotent-Replayed"));
        assertEquals(1, count("select count(*) from wallets where name = ?", name));
        assertEquals(1, count("select count(*) from audit_event where type = 'WALLET_CREATED' "
                + "and payload::jsonb ->> 'name' = ?", name));
        // the same key with another body is refused
        fails(422, HttpRequest.POST("/v1/wallets", Map.of("name", name + "x", "type", "OPS", "riskProfile", "LOW"))
                .header("Idempotency-Key", key), alice.bearer());
    }

    /** docs/controls-hardening.md §1: an ADMIN registers a signatory; nobody else sets bank roles. */
    @Test
    void onlyAnAdminSetsBankRoles() throws Exception {
        User dana = customer();
        User admin = new ApiUsers(http, dataSource).register("ADMIN");
        String path = "/v1/admin/users/" + dana.id() + "/roles";
        fails(403, HttpRequest.PUT(path, Map.of("roles", List.of("CUSTOMER", "SIGNATORY"))), dana.bearer());
        fails(400, HttpRequest.PUT(path, Map.of("roles", List.of("GOD"))), admin.bearer());
        fails(400, HttpRequest.PUT(path, Map.of("roles", List.of())), admin.bearer());
        fails(404, HttpRequest.PUT("/v1/admin/users/" + UUID.randomUUID() + "/roles",
                Map.of("roles", List.of("CUSTOMER"))), admin.bearer());
        HttpResponse<Map> r = send(HttpRequest.PUT(path, Map.of("roles", List.of("SIGNATORY", "CUSTOMER"))),
                admin.bearer());
        assertEquals(List.of("CUSTOMER", "SIGNATORY"), r.body().get("roles"));
        assertEquals(1, count("select count(*) from audit_event where type = 'USER_ROLES_CHANGED' and "
                + "payload::jsonb ->> 'userId' = ?", dana.id()));
        fails(409, HttpRequest.PUT("/v1/admin/users/" + admin.id() + "/roles", Map.of("roles", List.of("CUSTOMER"))),
                admin.bearer());
    }
}
