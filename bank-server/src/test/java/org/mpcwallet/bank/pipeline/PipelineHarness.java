package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.mpc.SignRequestFields;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.bank.pipeline.transfer.app.PipelineWorker;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.testing.AnvilProcess;

/**
 * What the pipeline tests share: a real anvil, the server on the embedded PostgreSQL with the worker stepped by the
 * test ({@code worker-interval-millis=0}), users, funded wallets made by a P2 test device, polling helpers.
 */
abstract class PipelineHarness implements TestPropertyProvider {
    static final String BLOCKED = "0x000000000000000000000000000000000000dead";
    static final String GREY = "0x00000000000000000000000000000000000000ee";
    static final String TO = "0x3535353535353535353535353535353535353535";

    protected AnvilProcess anvil;

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

    /** The RPC URL the bank is given (the anvil's, or a proxy in front of it). */
    protected String bankRpcUrl() {
        return anvil.rpcUrl();
    }

    /** Extra anvil arguments (e.g. an older hardfork). */
    protected String[] anvilArgs() {
        return new String[0];
    }

    @Override
    public Map<String, String> getProperties() {
        anvil = AnvilProcess.start(anvilArgs());
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("pipeline-");
        p.put("bank.pipeline.eth-rpc-url", bankRpcUrl());
        p.put("bank.pipeline.worker-interval-millis", "0");
        p.put("bank.pipeline.listener-interval-millis", "0");
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

    User user(String... bankRoles) {
        return new ApiUsers(http, dataSource).register(bankRoles);
    }

    Map<?, ?> send(MutableHttpRequest<?> request, User u) {
        return http.toBlocking().exchange(request.header("Authorization", u.bearer()), Map.class).body();
    }

    int status(MutableHttpRequest<?> request, User u) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> send(request, u));
        return e.code();
    }

    /** An ACTIVE wallet of {@code owner} after a keygen over the WebSocket, funded with 10 ETH on anvil. */
    record Funded(String walletId, String address, P2KeyShare share) {
    }

    Funded wallet(User owner, String type, TestDevice device) throws Exception {
        String walletId = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "w", "type", type,
                "riskProfile", "LOW")), owner).get("id");
        TestDevice.Keygen k = device.keygen(walletId);
        String address = (String) k.done().get("address");
        rpc("anvil_setBalance", List.of(address, "0x8ac7230489e80000"));
        return new Funded(walletId, address, k.share());
    }

    /** A JSON-RPC call to the anvil; returns the "result" (a JSON value: map, list, string, ...). */
    Object rpcResult(String method, List<Object> params) throws Exception {
        var body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", params));
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(anvil.rpcUrl())).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        Map<?, ?> answer = json.readValue(r.body(), Map.class);
        if (!answer.containsKey("result")) {
            throw new AssertionError(method + " failed: " + r.body());
        }
        return answer.get("result");
    }

    void rpc(String method, List<Object> params) throws Exception {
        rpcResult(method, params);
    }

    Map<?, ?> txRequest(User creator, String walletId, String to, String amount) {
        return send(HttpRequest.POST("/v1/tx-requests", Map.of("walletId", walletId, "asset", "ETH", "to", to,
                "amount", amount)), creator);
    }

    Map<?, ?> get(String id, User u) {
        return send(HttpRequest.GET("/v1/tx-requests/" + id), u);
    }

    /** Steps the worker (and mines a block per round) until the request reaches {@code status}. */
    Map<?, ?> until(String id, User u, String status) throws Exception {
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

    /** Sends 0.01 ETH to {@code to} from {@code from}, an address nobody here holds a key for (anvil impersonation). */
    void depositFrom(String from, String to) throws Exception {
        rpc("anvil_setBalance", List.of(from, "0xde0b6b3a7640000"));
        rpc("anvil_impersonateAccount", List.of(from));
        try {
            rpcResult("eth_sendTransaction", List.of(Map.of("from", from, "to", to, "value", "0x2386f26fc10000")));
        } finally {
            rpc("anvil_stopImpersonatingAccount", List.of(from));
        }
        rpc("anvil_mine", List.of("0x1"));
    }

    /** The device recomputes the signing hash from the sign request's fields and co-signs it. */
    Map<String, Object> cosign(TestDevice device, User owner, String signRequestId, P2KeyShare share) {
        Map<?, ?> sr = send(HttpRequest.GET("/v1/sign-requests/" + signRequestId), owner);
        return device.sign(signRequestId, SignRequestFields.hash(sr), share, m -> m);
    }


    /** The keyset of a wallet. */
    String keysetOf(String walletId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select keyset_id from wallets where id = ?")) {
            ps.setObject(1, UUID.fromString(walletId));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * Locks a RETAIL wallet's key the way a crash does (docs/key-rotation.md): a decryption marker left behind by a
     * signer that died between the decryption and the verified signature; the next co-signing then locks the key.
     * Returns the transfer that tried, and the device's answer (an {@code error} with code KEY_LOCKED).
     */
    Map.Entry<String, Map<String, Object>> lockByInterruptedDecryption(User owner, Funded w, TestDevice device)
            throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into signer_decryption (keyset_id, session_id, started_at) values (?, 'crashed', "
                        + "now() - interval '1 minute')")) {
            ps.setString(1, keysetOf(w.walletId()));
            ps.executeUpdate();
        }
        String transfer = (String) txRequest(owner, w.walletId(), TO, "1000").get("id");
        String signRequestId = (String) untilSignRequest(transfer, owner).get("signRequestId");
        return Map.entry(transfer, cosign(device, owner, signRequestId, w.share()));
    }

    Map<?, ?> untilSignRequest(String id, User u) throws Exception {
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

    void policy(String type, UUID walletId, String asset, String address, String limit, Integer approvals)
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
}
