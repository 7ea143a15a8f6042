package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;

/**
 * {@code POST /v1/policies/dry-run} (issue 15, docs/admin-console.md "Policies"): which rule decides a transfer, and
 * why, without making it — a denylisted recipient, a per-transfer limit, a treasury's default approvals — for the
 * roles that read policies; a customer is refused, bad input gets its reason, and nothing is created or reserved.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyDryRunTest implements TestPropertyProvider {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String DENIED = "0x5757575757575757575757575757575757575757";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    DataSource dataSource;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("dry-run-");
    }

    private Map<?, ?> send(HttpRequest<?> r, User u) {
        return http.toBlocking().exchange(((io.micronaut.http.MutableHttpRequest<?>) r).header("Authorization",
                u.bearer()), Map.class).body();
    }

    private int status(HttpRequest<?> r, User u) {
        try {
            return http.toBlocking().exchange(((io.micronaut.http.MutableHttpRequest<?>) r).header("Authorization",
                    u.bearer()), Map.class).getStatus().getCode();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    private Map<?, ?> dryRun(User u, String walletId, String to, String amount) {
        return send(HttpRequest.POST("/v1/policies/dry-run", Map.of("walletId", walletId, "asset", "ETH", "to", to,
                "amount", amount)), u);
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theDryRunSaysWhichRuleDecidesAndWhyWithoutMakingAnything() throws Exception {
        User owner = new ApiUsers(http, dataSource).register();
        User admin = new ApiUsers(http, dataSource).register("ADMIN");
        User compliance = new ApiUsers(http, dataSource).register("COMPLIANCE");
        String retail = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "r", "type", "RETAIL",
                "riskProfile", "LOW")), owner).get("id");
        String treasury = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "t", "type", "TREASURY",
                "riskProfile", "LOW")), owner).get("id");
        String deny = (String) send(HttpRequest.POST("/v1/policies", Map.of("type", "ADDRESS_DENYLIST", "scope",
                "GLOBAL", "address", DENIED)), admin).get("id");
        String limit = (String) send(HttpRequest.POST("/v1/policies", Map.of("type", "TX_LIMIT", "walletId", retail,
                "asset", "ETH", "limit", "1000")), admin).get("id");
        long transfers = count("select count(*) from tx_requests");
        long evaluated = count("select count(*) from audit_event where type = 'POLICY_EVALUATED'");

        Map<?, ?> ok = dryRun(compliance, retail, TO, "500");
        assertEquals("ALLOWED", ok.get("result"));
        assertEquals(0, ok.get("requiredApprovals"));

        Map<?, ?> over = dryRun(compliance, retail, TO, "2000");
        assertEquals("BLOCKED", over.get("result"));
        assertEquals("TX_LIMIT", over.get("check"));
        assertEquals(limit, ((Map<?, ?>) ((List<?>) over.get("rules")).get(0)).get("id"), "the rule that decided");
        assertTrue(((String) over.get("reason")).contains("1000"), over.toString());

        Map<?, ?> denied = dryRun(admin, retail, DENIED, "1");
        assertEquals("BLOCKED", denied.get("result"));
        assertEquals("ADDRESS_DENYLIST", denied.get("check"));
        assertEquals(deny, ((Map<?, ?>) ((List<?>) denied.get("rules")).get(0)).get("id"));

        Map<?, ?> approvals = dryRun(admin, treasury, TO, "1000000000000000000");
        assertEquals("NEEDS_APPROVALS", approvals.get("result"));
        assertEquals(2, approvals.get("requiredApprovals"), "a treasury needs two approvals by default");

        assertEquals(403, status(HttpRequest.POST("/v1/policies/dry-run", Map.of("walletId", retail, "asset", "ETH",
                "to", TO, "amount", "1")), owner), "the owner does not read policies");
        assertEquals(400, status(HttpRequest.POST("/v1/policies/dry-run", Map.of("walletId", retail, "asset", "ETH",
                "to", "0x1234", "amount", "1")), admin));
        assertEquals(400, status(HttpRequest.POST("/v1/policies/dry-run", Map.of("walletId", retail, "asset", "ETH",
                "to", TO, "amount", "0")), admin));
        assertEquals(404, status(HttpRequest.POST("/v1/policies/dry-run", Map.of("walletId",
                java.util.UUID.randomUUID().toString(), "asset", "ETH", "to", TO, "amount", "1")), admin));
        assertEquals(transfers, count("select count(*) from tx_requests"), "nothing was created");
        assertEquals(evaluated, count("select count(*) from audit_event where type = 'POLICY_EVALUATED'"));
        assertEquals(0, count("select count(*) from daily_volumes"), "nothing was reserved");
    }
}
