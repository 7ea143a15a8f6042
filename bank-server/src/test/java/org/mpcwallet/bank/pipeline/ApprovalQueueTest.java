package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * {@code GET /v1/approvals} (issue 15, docs/admin-console.md "Approvals queue") on the real pipeline: an approver's
 * queue holds the transfers waiting for their vote, oldest first, with what deciding needs (wallet and type,
 * recipient and whether the wallet's allowlist names it, amount in units, fee estimate from the node, creator, KYT,
 * approvals so far and needed); a vote takes the transfer out of the voter's queue only; owners, viewers and ADMINs
 * without a grant see nothing to approve.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalQueueTest extends PipelineHarness {
    private static final String OTHER = "0x4646464646464646464646464646464646464646";

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> queue(User u, String query) {
        return (List<Map<String, Object>>) send(HttpRequest.GET("/v1/approvals" + query), u).get("items");
    }

    /** {@code GET /v1/approvals} as sent, with {@code If-None-Match} when {@code etag} is given. */
    private java.net.http.HttpResponse<String> raw(User u, String etag) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + server.getPort()
                + "/v1/approvals")).header("Authorization", u.bearer());
        if (etag != null) {
            b.header("If-None-Match", etag);
        }
        return java.net.http.HttpClient.newHttpClient().send(b.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Object> item(List<Map<String, Object>> q, String id) {
        return q.stream().filter(i -> id.equals(i.get("txRequestId"))).findFirst().orElseThrow(() ->
                new AssertionError(id + " is not in the queue " + q));
    }

    @Test
    void anApproverSeesWhatWaitsForThemWithWhatDecidingNeeds() throws Exception {
        User owner = user();
        User approver1 = user("SIGNATORY");
        User approver2 = user("OPERATOR");
        User admin = user("ADMIN");
        User viewer = user("VIEWER");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "TREASURY", device);
            for (User a : List.of(approver1, approver2)) {
                send(HttpRequest.POST("/v1/wallets/" + w.walletId() + "/roles", Map.of("userId", a.id(), "role",
                        "APPROVER")), admin);
            }
            send(HttpRequest.POST("/v1/policies", Map.of("type", "ADDRESS_ALLOWLIST", "walletId", w.walletId(),
                    "address", TO)), admin);
            String first = (String) txRequest(owner, w.walletId(), TO, "1000000000000000000").get("id");
            String second = (String) txRequest(owner, w.walletId(), OTHER, "500000000000000000").get("id");
            until(first, owner, "APPROVAL_PENDING");
            until(second, owner, "APPROVAL_PENDING");

            List<Map<String, Object>> q = queue(approver1, "");
            assertEquals(List.of(first, second), q.stream().map(i -> i.get("txRequestId")).toList(), "oldest first");
            Map<String, Object> one = item(q, first);
            assertEquals("TREASURY", one.get("walletType"));
            assertEquals("PAYMENT", one.get("kind"));
            assertEquals(TO, one.get("to"));
            assertEquals(Boolean.TRUE, one.get("allowlisted"), "the wallet's allowlist names the recipient");
            assertEquals("ETH", one.get("asset"));
            assertNull(one.get("token"));
            assertEquals(18, one.get("decimals"));
            assertEquals("1000000000000000000", one.get("amount"));
            assertEquals("1", one.get("amountInUnits"));
            assertTrue(new BigInteger((String) one.get("estimatedFeeWei")).signum() > 0, "a fee estimate from the node");
            assertEquals(owner.name(), one.get("creator"));
            assertEquals("ALLOW", one.get("kytVerdict"));
            assertEquals(0, one.get("approvals"));
            assertEquals(2, one.get("requiredApprovals"));
            java.time.Duration left = java.time.Duration.between(java.time.Instant.now(),
                    java.time.Instant.parse((String) one.get("expiresAt")));
            assertTrue(left.compareTo(java.time.Duration.ofHours(71)) > 0
                    && left.compareTo(java.time.Duration.ofHours(72)) <= 0, () -> "72 h to decide, " + left + " left");
            Map<String, Object> two = item(q, second);
            assertEquals(Boolean.FALSE, two.get("allowlisted"));
            assertEquals("0.5", two.get("amountInUnits"));

            Map<?, ?> page = send(HttpRequest.GET("/v1/approvals?limit=1"), approver1);
            assertEquals(1, ((List<?>) page.get("items")).size());
            assertEquals(Boolean.TRUE, page.get("has_more"));

            // polled with its ETag, an unchanged queue answers 304 without a body; a change gives a new tag
            java.net.http.HttpResponse<String> tagged = raw(approver1, null);
            String etag = tagged.headers().firstValue("ETag").orElseThrow();
            assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
            java.net.http.HttpResponse<String> again = raw(approver1, etag);
            assertEquals(304, again.statusCode());
            assertEquals("", again.body());
            assertEquals(304, raw(approver1, "\"other\", W/" + etag).statusCode(), "a list, weak comparison");
            assertEquals(200, raw(approver1, "\"other\"").statusCode());

            send(HttpRequest.POST("/v1/tx-requests/" + first + "/approve", Map.of("decision", "APPROVE", "comment",
                    "known beneficiary")), approver1);
            java.net.http.HttpResponse<String> changed = raw(approver1, etag);
            assertEquals(200, changed.statusCode(), "the vote changed the queue");
            assertTrue(!changed.headers().firstValue("ETag").orElseThrow().equals(etag));
            assertEquals(List.of(second), queue(approver1, "").stream().map(i -> i.get("txRequestId")).toList(),
                    "a vote takes the transfer out of the voter's queue");
            assertEquals(1, item(queue(approver2, ""), first).get("approvals"), "and shows in the other's");
            for (User u : List.of(owner, viewer, admin)) {
                assertTrue(queue(u, "").isEmpty(), u.name() + " has nothing to approve");
            }
        }
    }

    @Test
    void aTransferNotApprovedWithinTheWindowIsRejectedAsExpired() throws Exception {
        User owner = user();
        User approver = user("SIGNATORY");
        User admin = user("ADMIN");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "TREASURY", device);
            send(HttpRequest.POST("/v1/wallets/" + w.walletId() + "/roles", Map.of("userId", approver.id(), "role",
                    "APPROVER")), admin);
            String id = (String) txRequest(owner, w.walletId(), TO, "1000").get("id");
            until(id, owner, "APPROVAL_PENDING");
            worker.runOnce();
            assertEquals("APPROVAL_PENDING", send(HttpRequest.GET("/v1/tx-requests/" + id), owner).get("status"),
                    "within the window it waits");
            // the window (72 h) passed: as if it had waited since three days and an hour
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "update tx_requests set status_since = now() - interval '73 hours', next_attempt_at = now() "
                            + "where id = ?::uuid")) {
                ps.setString(1, id);
                assertEquals(1, ps.executeUpdate());
            }
            until(id, owner, "REJECTED");
            assertTrue(queue(approver, "").stream().noneMatch(i -> id.equals(i.get("txRequestId"))));
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "select payload::jsonb ->> 'reason' from audit_event where type = 'TX_STATUS_CHANGED' and "
                            + "payload::jsonb ->> 'txRequestId' = ? and payload::jsonb ->> 'to' = 'REJECTED'")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("expired: not approved within 72 h", rs.getString(1));
                }
            }
        }
    }
}
