package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.bank.pipeline.transfer.app.PipelineWorker;
import org.mpcwallet.crypto.testing.AnvilProcess;

/**
 * The REST of the controls on the real server, PostgreSQL and anvil: {@code /v1/policies} (every type, each shape
 * error, ADMIN-only writes), {@code /v1/wallets/{id}/settings} with allowlist-only enforced by the pipeline worker,
 * and {@code /v1/tokens}. Every change is audited.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlsApiTest implements TestPropertyProvider {
    private static final String ALLOWED_TO = "0x4545454545454545454545454545454545454545";
    private static final String OTHER_TO = "0x5656565656565656565656565656565656565656";

    private AnvilProcess anvil;
    private PipelineFixture f;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    @Inject
    PipelineWorker worker;

    @Override
    public Map<String, String> getProperties() {
        anvil = AnvilProcess.start();
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("controls-");
        p.put("bank.pipeline.eth-rpc-url", anvil.rpcUrl());
        p.put("bank.pipeline.worker-interval-millis", "0");
        p.put("bank.pipeline.listener-interval-millis", "0");
        return p;
    }

    @BeforeAll
    void fixture() {
        f = new PipelineFixture(http, dataSource, json, anvil);
    }

    @AfterAll
    void stopAnvil() {
        if (anvil != null) {
            anvil.close();
        }
    }

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---------------------------------------------------------------- policies

    @Test
    void everyPolicyTypeIsCreatedListedAndDisabledByAnAdmin() throws Exception {
        User admin = f.user("ADMIN");
        User owner = f.user();
        String walletId = (String) f.send(HttpRequest.POST("/v1/wallets", Map.of("name", "p", "type", "RETAIL",
                "riskProfile", "LOW")), owner).get("id");
        List<Map<String, Object>> drafts = List.of(
                body("type", "ADDRESS_DENYLIST", "scope", "GLOBAL",
                        "address", "0x1111111111111111111111111111111111111111"),
                body("type", "ADDRESS_ALLOWLIST", "walletId", walletId,
                        "address", "0xABCDEFabcdef1111111111111111111111111111"),
                body("type", "TOKEN_DENYLIST", "walletType", "TREASURY",
                        "token", "0x2222222222222222222222222222222222222222"),
                body("type", "TX_LIMIT", "walletId", walletId, "asset", "ETH", "limit", "5000"),
                body("type", "DAILY_LIMIT", "walletType", "retail", "asset", "eth",
                        "limit", "123456789012345678901234567890"),
                body("type", "APPROVAL_REQUIRED", "walletType", "OPS", "approvals", 3));
        List<String> ids = new java.util.ArrayList<>();
        for (Map<String, Object> d : drafts) {
            var response = http.toBlocking().exchange(HttpRequest.POST("/v1/policies", d)
                    .header("Authorization", admin.bearer()), Map.class);
            assertEquals(201, response.code(), () -> "created: " + d);
            Map<?, ?> p = response.body();
            assertEquals(d.get("type"), p.get("type"));
            ids.add((String) p.get("id"));
            assertEquals(List.of("POLICY_CREATED"), f.auditTypes("policyId", (String) p.get("id")));
        }
        Map<?, ?> allow = policy(admin, ids.get(1));
        assertEquals(walletId, allow.get("walletId"));
        assertEquals("0xabcdefabcdef1111111111111111111111111111", allow.get("address"), "stored lower-case");
        Map<?, ?> daily = policy(admin, ids.get(4));
        assertEquals("RETAIL", daily.get("walletType"));
        assertEquals("ETH", daily.get("asset"));
        assertEquals("123456789012345678901234567890", daily.get("limit"), "base units beyond a long survive");
        assertEquals(3, policy(admin, ids.get(5)).get("approvals"));

        // COMPLIANCE and OPERATOR read; a plain user and a VIEWER do not
        assertEquals(ids.size(), f.list(HttpRequest.GET("/v1/policies"), f.user("COMPLIANCE")).stream()
                .filter(p -> ids.contains(((Map<?, ?>) p).get("id"))).count());
        f.list(HttpRequest.GET("/v1/policies"), f.user("OPERATOR"));
        assertEquals(403, f.status(HttpRequest.GET("/v1/policies"), owner));
        assertEquals(403, f.status(HttpRequest.GET("/v1/policies"), f.user("VIEWER")));

        // DELETE disables (204), is audited, and the rule leaves the list; a second DELETE finds nothing
        var deleted = http.toBlocking().exchange(HttpRequest.DELETE("/v1/policies/" + ids.get(0))
                .header("Authorization", admin.bearer()));
        assertEquals(204, deleted.code());
        assertEquals(List.of("POLICY_CREATED", "POLICY_DISABLED"), f.auditTypes("policyId", ids.get(0)));
        assertFalse(f.list(HttpRequest.GET("/v1/policies"), admin).stream()
                .anyMatch(p -> ids.get(0).equals(((Map<?, ?>) p).get("id"))));
        assertEquals(1, f.count("select count(*) from policies where id = ? and not enabled",
                UUID.fromString(ids.get(0))), "kept for the audit trail");
        assertEquals(404, f.status(HttpRequest.DELETE("/v1/policies/" + ids.get(0)), admin));
        assertEquals(404, f.status(HttpRequest.DELETE("/v1/policies/not-a-uuid"), admin));
    }

    private Map<?, ?> policy(User admin, String id) {
        return (Map<?, ?>) f.list(HttpRequest.GET("/v1/policies"), admin).stream()
                .filter(p -> id.equals(((Map<?, ?>) p).get("id"))).findFirst().orElseThrow();
    }

    @Test
    void onlyAnAdminWritesPolicies() throws Exception {
        Map<String, Object> ok = body("type", "ADDRESS_DENYLIST", "scope", "GLOBAL", "address",
                "0x3333333333333333333333333333333333333333");
        for (String role : List.of("OPERATOR", "COMPLIANCE", "VIEWER")) {
            User u = f.user(role);
            assertEquals(403, f.status(HttpRequest.POST("/v1/policies", ok), u), role);
        }
        User admin = f.user("ADMIN");
        String id = (String) f.send(HttpRequest.POST("/v1/policies", ok), admin).get("id");
        assertEquals(403, f.status(HttpRequest.DELETE("/v1/policies/" + id), f.user("OPERATOR")));
        assertEquals(403, f.status(HttpRequest.POST("/v1/policies", ok), f.user()));
    }

    @Test
    void badPolicyShapesAreRefusedWithTheReason() throws Exception {
        User admin = f.user("ADMIN");
        String addr = "0x4444444444444444444444444444444444444444";
        Map<Map<String, Object>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(body("type", "NOT_A_TYPE"), "type must be one of");
        cases.put(body("address", addr), "type must be one of");
        cases.put(body("type", "ADDRESS_DENYLIST"), "ADDRESS_DENYLIST needs address");
        cases.put(body("type", "ADDRESS_DENYLIST", "address", "0x1234"), "needs address as 0x and 40 hex digits");
        cases.put(body("type", "ADDRESS_DENYLIST", "address", addr, "limit", "5"), "takes no limit");
        cases.put(body("type", "TOKEN_DENYLIST", "address", addr), "takes no address");
        cases.put(body("type", "TX_LIMIT", "limit", "5"), "needs an asset");
        cases.put(body("type", "TX_LIMIT", "asset", "ETH"), "TX_LIMIT needs limit");
        cases.put(body("type", "DAILY_LIMIT", "asset", "ETH", "limit", "-1"), "limit must be a decimal integer");
        cases.put(body("type", "DAILY_LIMIT", "asset", "ETH", "limit", "1e9"), "limit must be a decimal integer");
        cases.put(body("type", "TX_LIMIT", "asset", "ET-H", "limit", "5"), "asset is not 1-16 of A-Z 0-9");
        cases.put(body("type", "APPROVAL_REQUIRED"), "APPROVAL_REQUIRED needs approvals");
        cases.put(body("type", "APPROVAL_REQUIRED", "approvals", 11), "approvals must be 1-10");
        cases.put(body("type", "APPROVAL_REQUIRED", "approvals", 0), "approvals must be 1-10");
        cases.put(body("type", "ADDRESS_DENYLIST", "address", addr, "walletId", UUID.randomUUID().toString(),
                "walletType", "RETAIL"), "a wallet or to a wallet type, not both");
        cases.put(body("type", "ADDRESS_DENYLIST", "address", addr, "walletId", "nope"), "walletId must be a UUID");
        cases.put(body("type", "ADDRESS_DENYLIST", "address", addr, "walletId", UUID.randomUUID().toString()),
                "walletId names no wallet");
        cases.put(body("type", "ADDRESS_DENYLIST", "address", addr, "walletType", "PIGGY"),
                "walletType must be one of");
        // issue 10 §5: a rule without a scope no longer becomes global silently
        cases.put(body("type", "ADDRESS_DENYLIST", "address", addr), "must say \"scope\":\"GLOBAL\"");
        cases.put(body("type", "ADDRESS_DENYLIST", "address", addr, "scope", "GLOBAL", "walletType", "RETAIL"),
                "scope GLOBAL takes neither");
        cases.put(body("type", "ADDRESS_DENYLIST", "address", addr, "scope", "WALLET"), "scope WALLET needs walletId");
        cases.put(body("type", "ADDRESS_DENYLIST", "address", addr, "scope", "EVERYWHERE"), "scope must be one of");
        // and the strict body layer: exact types, known fields, no control characters, field and rule named
        cases.put(body("type", "APPROVAL_REQUIRED", "scope", "GLOBAL", "approvals", "2"),
                "field 'approvals': must be an integer");
        cases.put(body("type", "APPROVAL_REQUIRED", "scope", "GLOBAL", "approvals", 2.5),
                "field 'approvals': must be an integer");
        cases.put(body("type", "TX_LIMIT", "scope", "GLOBAL", "asset", true, "limit", "5"),
                "field 'asset': must be a string");
        cases.put(body("type", "TX_LIMIT", "scope", "GLOBAL", "asset", "ETH\u0000", "limit", "5"),
                "field 'asset': must not contain control characters");
        cases.put(body("type", "ADDRESS_DENYLIST", "scope", "GLOBAL", "address", addr, "adress", addr),
                "field 'adress': is not a field of this request");
        long before = f.count("select count(*) from policies");
        for (var e : cases.entrySet()) {
            HttpClientResponseException refused = f.refusal(HttpRequest.POST("/v1/policies", e.getKey()), admin);
            assertEquals(400, refused.code(), () -> "400 for " + e.getKey());
            assertEquals(MediaType.APPLICATION_JSON_PROBLEM, refused.getResponse().getContentType()
                    .map(MediaType::toString).orElse(""), "problem+json");
            String detail = f.detail(refused);
            assertTrue(detail.contains(e.getValue()), () -> e.getKey() + ": '" + detail + "' should say '"
                    + e.getValue() + "'");
        }
        assertEquals(before, f.count("select count(*) from policies"), "nothing stored");
    }

    // ---------------------------------------------------------------- wallet settings + allowlist-only

    @Test
    void allowlistOnlyBlocksOtherRecipientsAndLetsAllowlistedOnesThrough() throws Exception {
        User owner = f.user();
        User admin = f.user("ADMIN");
        User stranger = f.user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            PipelineFixture.Wallet w = f.wallet(owner, "RETAIL", device);
            f.rpc("anvil_setBalance", List.of(w.address(), "0x8ac7230489e80000"));
            String settings = "/v1/wallets/" + w.id() + "/settings";
            assertEquals(Boolean.FALSE, f.send(HttpRequest.GET(settings), owner).get("allowlistOnly"));
            assertEquals(400, f.status(HttpRequest.PUT(settings, Map.of()), owner), "allowlistOnly is required");
            assertEquals(404, f.status(HttpRequest.PUT(settings, Map.of("allowlistOnly", true)), stranger),
                    "a stranger does not see the wallet");
            assertEquals(403, f.status(HttpRequest.PUT(settings, Map.of("allowlistOnly", true)),
                    f.user("OPERATOR")), "staff other than ADMIN read only");
            assertEquals(Boolean.TRUE, f.send(HttpRequest.PUT(settings, Map.of("allowlistOnly", true)), owner)
                    .get("allowlistOnly"));
            assertEquals(Boolean.TRUE, f.send(HttpRequest.GET(settings), f.user("COMPLIANCE")).get("allowlistOnly"));
            assertEquals(List.of("WALLET_SETTINGS_CHANGED"), f.auditTypes("walletId", w.id()).stream()
                    .filter(t -> t.startsWith("WALLET_SETTINGS")).toList());

            f.send(HttpRequest.POST("/v1/policies", Map.of("type", "ADDRESS_ALLOWLIST", "walletId", w.id(),
                    "address", ALLOWED_TO)), admin);
            String blocked = txRequest(owner, w.id(), OTHER_TO);
            String allowed = txRequest(owner, w.id(), ALLOWED_TO.toUpperCase().replace("0X", "0x"));
            Map<?, ?> b = until(blocked, owner, "POLICY_BLOCKED");
            assertEquals("BLOCKED", b.get("policyResult"));
            until(allowed, owner, "SIGN_PENDING");

            // the OWNER may not loosen the control; the ADMIN switches it off again: the other recipient passes
            assertEquals(403, f.status(HttpRequest.PUT(settings, Map.of("allowlistOnly", false)), owner));
            f.send(HttpRequest.PUT(settings, Map.of("allowlistOnly", false)), admin);
            until(txRequest(owner, w.id(), OTHER_TO), owner, "SIGN_PENDING");
            assertEquals(2, f.auditTypes("walletId", w.id()).stream()
                    .filter(t -> t.equals("WALLET_SETTINGS_CHANGED")).count());
        }
    }

    private String txRequest(User owner, String walletId, String to) {
        return (String) f.send(HttpRequest.POST("/v1/tx-requests", Map.of("walletId", walletId, "asset", "ETH",
                "to", to, "amount", "1000")), owner).get("id");
    }

    private Map<?, ?> until(String id, User u, String status) throws Exception {
        for (int i = 0; i < 40; i++) {
            Map<?, ?> r = f.send(HttpRequest.GET("/v1/tx-requests/" + id), u);
            if (status.equals(r.get("status"))) {
                return r;
            }
            worker.runOnce();
            Thread.sleep(25);
        }
        throw new AssertionError(id + " did not reach " + status + ": "
                + f.send(HttpRequest.GET("/v1/tx-requests/" + id), u));
    }

    // ---------------------------------------------------------------- tokens

    @Test
    void tokensAreRegisteredOnceForTheConfiguredChain() throws Exception {
        User admin = f.user("ADMIN");
        String token;
        try (EthNode node = EthNode.connect(anvil.rpcUrl())) {
            token = f.deployToken(node, PipelineFixture.DEV);
        }
        var created = http.toBlocking().exchange(HttpRequest.POST("/v1/tokens", Map.of("symbol", "TKN",
                "address", token.toUpperCase().replace("0X", "0x"), "decimals", 18))
                .header("Authorization", admin.bearer()), Map.class);
        assertEquals(201, created.code());
        assertEquals("31337", created.body().get("chainId"));
        assertEquals(token, created.body().get("address"));
        assertEquals(List.of("TOKEN_REGISTERED"), f.auditTypes("symbol", "TKN"));

        List<?> listed = f.list(HttpRequest.GET("/v1/tokens"), f.user("OPERATOR"));
        assertTrue(listed.stream().anyMatch(t -> "TKN".equals(((Map<?, ?>) t).get("symbol"))
                && token.equals(((Map<?, ?>) t).get("address")) && Integer.valueOf(18).equals(((Map<?, ?>) t)
                .get("decimals"))), listed::toString);
        assertEquals(403, f.status(HttpRequest.GET("/v1/tokens"), f.user()));

        assertEquals(409, f.status(HttpRequest.POST("/v1/tokens", Map.of("symbol", "TKN", "address",
                "0x00000000000000000000000000000000000000c4", "decimals", 6)), admin), "symbol taken");
        assertEquals(409, f.status(HttpRequest.POST("/v1/tokens", Map.of("symbol", "TKN2", "address", token,
                "decimals", 6)), admin), "address taken");
        HttpClientResponseException noContract = f.refusal(HttpRequest.POST("/v1/tokens", Map.of("symbol", "NOPE",
                "address", "0x00000000000000000000000000000000000000c4", "decimals", 6)), admin);
        assertEquals(400, noContract.code());
        assertTrue(f.detail(noContract).contains("no ERC-20 contract"), f.detail(noContract));
        assertEquals(400, f.status(HttpRequest.POST("/v1/tokens", Map.of("symbol", "ETH", "address", token,
                "decimals", 18)), admin), "ETH is the native asset");
        assertEquals(400, f.status(HttpRequest.POST("/v1/tokens", Map.of("symbol", "tk n", "address", token,
                "decimals", 18)), admin));
        assertEquals(400, f.status(HttpRequest.POST("/v1/tokens", Map.of("symbol", "BIG", "address", token,
                "decimals", 37)), admin));
        assertEquals(400, f.status(HttpRequest.POST("/v1/tokens", Map.of("symbol", "BAD", "address", "0x12",
                "decimals", 1)), admin));
        assertEquals(403, f.status(HttpRequest.POST("/v1/tokens", Map.of("symbol", "OPS", "address", token,
                "decimals", 18)), f.user("OPERATOR")));
        assertEquals(1, f.count("select count(*) from tokens"));
    }
}
