package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
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
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.chain.AnvilProcess;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.ChainTransaction;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.bank.pipeline.app.PipelineWorker;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.protocol.P2KeyShare;

/**
 * The custody pipeline end to end on a real anvil and the embedded PostgreSQL, with the in-process signer and a P2
 * test device on the real WebSocket: KYT, policies, approvals with segregation of duties, co-signing under a
 * permit, broadcast, confirmations, FINALIZED; the chain's view matches the request; the audit package holds.
 * The worker is stepped by the test ({@code worker-interval-millis=0}).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndTest implements TestPropertyProvider {
    private static final String PASSWORD = "correct horse battery";
    private static final String BLOCKED = "0x000000000000000000000000000000000000dead";
    private static final String GREY = "0x00000000000000000000000000000000000000ee";
    private static final String TO = "0x3535353535353535353535353535353535353535";

    private AnvilProcess anvil;

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

    @Inject
    AuditLog audit;

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        anvil = AnvilProcess.start();
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("pipeline-");
        p.put("bank.pipeline.eth-rpc-url", anvil.rpcUrl());
        p.put("bank.pipeline.worker-interval-millis", "0");
        p.put("bank.pipeline.confirmation-blocks", "2");
        p.put("bank.pipeline.kyt-blacklist", BLOCKED);
        p.put("bank.pipeline.kyt-graylist", GREY);
        return p;
    }

    @AfterAll
    void stopAnvil() {
        if (anvil != null) {
            anvil.close();
        }
    }

    record User(String id, String name, String bearer) {
    }

    private User user(String... bankRoles) throws Exception {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        Map<?, ?> reg = http.toBlocking().exchange(HttpRequest.POST("/v1/auth/register",
                Map.of("username", name, "password", PASSWORD)), Map.class).body();
        if (bankRoles.length > 0) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "update users set roles = ?::text[] where id = ?")) {
                ps.setString(1, "{" + String.join(",", bankRoles) + "}");
                ps.setObject(2, UUID.fromString((String) reg.get("id")));
                ps.executeUpdate();
            }
        }
        Map<?, ?> login = http.toBlocking().exchange(HttpRequest.POST("/v1/auth/login",
                Map.of("username", name, "password", PASSWORD)), Map.class).body();
        return new User((String) reg.get("id"), name, "Bearer " + login.get("access_token"));
    }

    private Map<?, ?> send(MutableHttpRequest<?> request, User u) {
        return http.toBlocking().exchange(request.header("Authorization", u.bearer()), Map.class).body();
    }

    private int status(MutableHttpRequest<?> request, User u) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> send(request, u));
        return e.code();
    }

    /** An ACTIVE wallet of {@code owner} after a keygen over the WebSocket, funded with 10 ETH on anvil. */
    private record Funded(String walletId, String address, P2KeyShare share) {
    }

    private Funded wallet(User owner, String type, TestDevice device) throws Exception {
        String walletId = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "w", "type", type,
                "riskProfile", "LOW")), owner).get("id");
        TestDevice.Keygen k = device.keygen(walletId);
        String address = (String) k.done().get("address");
        rpc("anvil_setBalance", List.of(address, "0x8ac7230489e80000"));
        return new Funded(walletId, address, k.share());
    }

    private void rpc(String method, List<Object> params) throws Exception {
        var body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", params));
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(anvil.rpcUrl())).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(r.body().contains("\"result\""), () -> method + " failed: " + r.body());
    }

    private Map<?, ?> txRequest(User creator, String walletId, String to, String amount) {
        return send(HttpRequest.POST("/v1/tx-requests", Map.of("walletId", walletId, "asset", "ETH", "to", to,
                "amount", amount)), creator);
    }

    private Map<?, ?> get(String id, User u) {
        return send(HttpRequest.GET("/v1/tx-requests/" + id), u);
    }

    /** Steps the worker (and mines a block per round) until the request reaches {@code status}. */
    private Map<?, ?> until(String id, User u, String status) throws Exception {
        for (int i = 0; i < 60; i++) {
            Map<?, ?> r = get(id, u);
            if (status.equals(r.get("status"))) {
                return r;
            }
            worker.runOnce();
            if (List.of("BROADCASTED", "CONFIRMING", "CONFIRMED").contains(r.get("status"))) {
                rpc("anvil_mine", List.of("0x1"));
            }
            Thread.sleep(50);
        }
        Map<?, ?> r = get(id, u);
        throw new AssertionError("request " + id + " did not reach " + status + ": " + r);
    }

    /** The device recomputes the signing hash from the sign request's fields and co-signs it. */
    private Map<String, Object> cosign(TestDevice device, User owner, String signRequestId, P2KeyShare share) {
        Map<?, ?> sr = send(HttpRequest.GET("/v1/sign-requests/" + signRequestId), owner);
        Eip1559Transaction tx = new Eip1559Transaction(big(sr, "chainId"), big(sr, "nonce"),
                big(sr, "maxPriorityFeePerGas"), big(sr, "maxFeePerGas"), big(sr, "gasLimit"),
                EthAddress.parse((String) sr.get("to")), big(sr, "valueWei"),
                HexFormat.of().parseHex(((String) sr.get("data")).substring(2)));
        return device.sign(signRequestId, tx.signingHash(), share, m -> m);
    }

    private static BigInteger big(Map<?, ?> m, String k) {
        return new BigInteger((String) m.get(k));
    }

    // ---- the whole story

    @Test
    void treasuryTransferWithTwoApprovalsIsCoSignedBroadcastConfirmedAndFinalized() throws Exception {
        User owner = user();
        User approver1 = user();
        User approver2 = user();
        User admin = user("ADMIN");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "TREASURY", device);
            for (User a : List.of(approver1, approver2)) {
                send(HttpRequest.POST("/v1/wallets/" + w.walletId() + "/roles", Map.of("userId", a.id(), "role",
                        "APPROVER")), owner);
            }
            // the owner is an APPROVER too, but created the request: segregation of duties refuses the vote
            send(HttpRequest.POST("/v1/wallets/" + w.walletId() + "/roles", Map.of("userId", owner.id(), "role",
                    "APPROVER")), owner);

            Map<?, ?> created = txRequest(owner, w.walletId(), TO, "1000000000000000000");
            String id = (String) created.get("id");
            assertEquals("SUBMITTED", created.get("status"));
            Map<?, ?> pending = until(id, owner, "APPROVAL_PENDING");
            assertEquals(2, pending.get("requiredApprovals"), "TREASURY needs 2 approvals by default");
            assertEquals("ALLOW", pending.get("kytVerdict"));

            assertEquals(403, status(HttpRequest.POST("/v1/tx-requests/" + id + "/approve",
                    Map.of("decision", "APPROVE")), owner), "the creator can never approve");
            assertEquals(403, status(HttpRequest.POST("/v1/tx-requests/" + id + "/approve",
                    Map.of("decision", "APPROVE")), admin), "ADMIN is not an APPROVER of the wallet");
            send(HttpRequest.POST("/v1/tx-requests/" + id + "/approve", Map.of("decision", "APPROVE",
                    "comment", "ok")), approver1);
            assertEquals(409, status(HttpRequest.POST("/v1/tx-requests/" + id + "/approve",
                    Map.of("decision", "APPROVE")), approver1), "one vote per user");
            Map<?, ?> second = send(HttpRequest.POST("/v1/tx-requests/" + id + "/approve",
                    Map.of("decision", "APPROVE")), approver2);
            assertEquals("SIGN_PENDING", second.get("status"));

            Map<?, ?> signPending = untilSignRequest(id, owner);
            String signRequestId = (String) signPending.get("signRequestId");
            Map<String, Object> note = device.notifications.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(note, "the device is told a co-signature is needed");
            assertEquals(id, note.get("txRequestId"));
            Map<String, Object> done = cosign(device, owner, signRequestId, w.share());
            assertEquals("done", done.get("type"), () -> "got " + done);

            Map<?, ?> fin = until(id, owner, "FINALIZED");
            String txHash = (String) fin.get("txHash");
            assertEquals(done.get("txHash"), txHash);
            try (EthNode node = EthNode.connect(anvil.rpcUrl())) {
                ChainResult<Optional<ChainTransaction>> t = node.transaction(txHash);
                ChainTransaction onChain = ((ChainResult.Ok<Optional<ChainTransaction>>) t).value().orElseThrow();
                assertEquals(w.address().toLowerCase(), onChain.from().toLowerCase(), "sent by the 2PC wallet");
                assertEquals(TO, onChain.to().orElseThrow().toLowerCase());
                assertEquals(new BigInteger("1000000000000000000"), onChain.value());
            }

            Map<?, ?> pkg = send(HttpRequest.GET("/v1/audit/packages/" + id), admin);
            assertEquals(Boolean.TRUE, pkg.get("intact"));
            List<?> types = ((List<?>) pkg.get("events")).stream().map(e -> ((Map<?, ?>) e).get("type")).toList();
            for (String t : List.of("TX_SUBMITTED", "KYT_EVALUATED", "POLICY_EVALUATED", "APPROVAL_RECORDED",
                    "COSIGN_REQUESTED", "PERMIT_ISSUED", "SIGN_COMPLETED", "TX_BROADCAST", "TX_CONFIRMED",
                    "TX_FINALIZED")) {
                assertTrue(types.contains(t), t + " is in the audit package: " + types);
            }
            assertTrue(audit.verify().ok());
        }
    }

    private Map<?, ?> untilSignRequest(String id, User u) throws Exception {
        for (int i = 0; i < 40; i++) {
            Map<?, ?> r = get(id, u);
            if (r.get("signRequestId") != null) {
                return r;
            }
            worker.runOnce();
            Thread.sleep(50);
        }
        throw new AssertionError("no sign request for " + id + ": " + get(id, u));
    }

    @Test
    void kytBlocksAListedAddressAndAGreyOneWaitsForCompliance() throws Exception {
        User owner = user();
        User compliance = user("COMPLIANCE");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String blocked = (String) txRequest(owner, w.walletId(), BLOCKED, "1000").get("id");
            until(blocked, owner, "KYT_BLOCKED");

            String grey = (String) txRequest(owner, w.walletId(), GREY, "1000").get("id");
            Map<?, ?> review = until(grey, owner, "KYT_REVIEW");
            String caseId = (String) review.get("kytCaseId");
            assertEquals(409, status(HttpRequest.POST("/v1/tx-requests/" + grey + "/resume", Map.of()), compliance),
                    "the case is still open");
            assertEquals(403, status(HttpRequest.POST("/v1/cases/" + caseId + "/resolve", Map.of("decision",
                    "ALLOW", "comment", "known counterparty")), owner));
            send(HttpRequest.POST("/v1/cases/" + caseId + "/resolve", Map.of("decision", "ALLOW", "comment",
                    "known counterparty")), compliance);
            Map<?, ?> resumed = send(HttpRequest.POST("/v1/tx-requests/" + grey + "/resume", Map.of()), compliance);
            assertEquals("POLICY_EVAL_PENDING", resumed.get("status"));
            until(grey, owner, "SIGN_PENDING");

            String grey2 = (String) txRequest(owner, w.walletId(), GREY, "1000").get("id");
            String case2 = (String) until(grey2, owner, "KYT_REVIEW").get("kytCaseId");
            send(HttpRequest.POST("/v1/cases/" + case2 + "/resolve", Map.of("decision", "BLOCK", "comment",
                    "sanctioned")), compliance);
            assertEquals("KYT_BLOCKED", send(HttpRequest.POST("/v1/tx-requests/" + grey2 + "/resume", Map.of()),
                    owner).get("status"), "the creator may resume too");
        }
    }

    @Test
    void policiesBlockByDenylistTxLimitAndDailyLimit() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            UUID walletId = UUID.fromString(w.walletId());
            String deny = "0x1111111111111111111111111111111111111111";
            policy("ADDRESS_DENYLIST", walletId, null, deny, null, null);
            policy("TX_LIMIT", walletId, "ETH", null, "5000", null);
            policy("DAILY_LIMIT", walletId, "ETH", null, "7000", null);

            assertEquals("POLICY_BLOCKED", until((String) txRequest(owner, w.walletId(), deny, "1").get("id"), owner,
                    "POLICY_BLOCKED").get("status"));
            assertEquals("POLICY_BLOCKED", until((String) txRequest(owner, w.walletId(), TO, "5001").get("id"),
                    owner, "POLICY_BLOCKED").get("status"), "over the transaction limit");
            until((String) txRequest(owner, w.walletId(), TO, "4000").get("id"), owner, "SIGN_PENDING");
            Map<?, ?> over = until((String) txRequest(owner, w.walletId(), TO, "4000").get("id"), owner,
                    "POLICY_BLOCKED");
            assertEquals("BLOCKED", over.get("policyResult"), "4000 + 4000 exceeds the daily 7000");
            until((String) txRequest(owner, w.walletId(), TO, "3000").get("id"), owner, "SIGN_PENDING");
        }
    }

    private void policy(String type, UUID walletId, String asset, String address, String limit, Integer approvals)
            throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into policies (id, type, wallet_id, asset, address, limit_amount, approvals, created_by, "
                        + "created_at) values (?, ?, ?, ?, ?, ?::numeric, ?, (select created_by from wallets where "
                        + "id = ?), now())")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, type);
            ps.setObject(3, walletId);
            ps.setString(4, asset);
            ps.setString(5, address);
            ps.setString(6, limit);
            ps.setObject(7, approvals);
            ps.setObject(8, walletId);
            ps.executeUpdate();
        }
    }

    @SuppressWarnings("unused")
    private static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
