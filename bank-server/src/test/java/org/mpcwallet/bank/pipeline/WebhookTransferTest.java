package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.integration.ApiClientSigner;
import org.mpcwallet.bank.integration.WebhookReceiver;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.bank.pipeline.deposit.app.ChainListener;

/**
 * Issue 14's webhook story on the whole pipeline (real anvil, embedded PostgreSQL, a P2 test device): a bank system's
 * receiver hears every state of a transfer from SUBMITTED to FINALIZED, in the order the audit log recorded them,
 * each signed with the bank's published key; the dispatcher runs on its own timer as in production.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookTransferTest extends PipelineHarness {

    @Test
    void aReceiverHearsEveryStateOfATransferToFinalizedInOrderSigned() throws Exception {
        User owner = user();
        User admin = user("ADMIN");
        ApiClientSigner signer = new ApiClientSigner();
        Map<?, ?> client = send(HttpRequest.POST("/v1/api-clients", Map.of("name", "payments-hub-"
                + UUID.randomUUID().toString().substring(0, 6), "publicKey", signer.publicKeyPem(), "roles",
                List.of("VIEWER"))), admin);
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            send(HttpRequest.POST("/v1/webhooks", Map.of("clientId", client.get("id"), "url", receiver.url(),
                    "eventTypes", List.of("transfer.state_changed"))), admin);
            Map<?, ?> keys = send(HttpRequest.GET("/v1/webhooks/signing-keys"), admin);
            receiver.trust(((List<?>) keys.get("keys")).stream().map(k -> (String) ((Map<?, ?>) k).get("publicKey"))
                    .toList());

            Funded w = wallet(owner, "RETAIL", device);
            String id = (String) txRequest(owner, w.walletId(), TO, "1000000000000000").get("id");
            String signRequestId = (String) untilSignRequest(id, owner).get("signRequestId");
            assertEquals("done", cosign(device, owner, signRequestId, w.share()).get("type"));
            until(id, owner, "FINALIZED");

            List<String> recorded = recordedStates(id);
            assertEquals("SUBMITTED", recorded.get(0));
            assertEquals("FINALIZED", recorded.get(recorded.size() - 1));
            long end = System.nanoTime() + 20_000_000_000L;
            while (states(receiver, id).size() < recorded.size() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals(recorded, states(receiver, id), "every state, in the audit log's order");
            // the signer's decryption of the co-signature is counted
            String metrics = new String(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://localhost:" + server.getPort() + "/prometheus"))
                    .header("Authorization", admin.bearer()).build(), java.net.http.HttpResponse.BodyHandlers
                    .ofByteArray()).body(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(metrics.matches("(?s).*mpc_signer_decryptions_total\\{[^}]*outcome=\"signed\"[^}]*} "
                    + "[1-9].*"), "signer decryptions are counted");
            String previous = null;
            for (WebhookReceiver.Received r : events(receiver, id)) {
                assertTrue(r.verified(), "signed with the published key: " + r);
                Map<?, ?> data = (Map<?, ?>) json.readValue(r.body(), Map.class).get("data");
                assertEquals(previous, data.get("previousState"), "each event names the state before it");
                assertEquals(w.walletId(), data.get("walletId"));
                previous = (String) data.get("state");
            }
        }
    }

    @Test
    void depositsCasesAndKeyLocksReachWhoMaySeeThem() throws Exception {
        User owner = user();
        User admin = user("ADMIN");
        User compliance = user("COMPLIANCE");
        ChainListener listener = context.getBean(ChainListener.class);
        List<String> types = List.of("deposit.detected", "deposit.confirmed", "deposit.held", "kyt_case.opened",
                "kyt_case.resolved", "key.locked");
        try (WebhookReceiver complianceHub = new WebhookReceiver(); WebhookReceiver viewerHub = new WebhookReceiver();
             TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            subscribe(admin, "aml-desk-", "COMPLIANCE", complianceHub, types);
            subscribe(admin, "reporting-", "VIEWER", viewerHub, types);

            Funded w = wallet(owner, "RETAIL", device);
            listener.runOnce(); // the listener's cursor starts at the head
            depositFrom(GREY, w.address()); // a grey-listed sender: the deposit is held, an inbound case opens
            listener.runOnce();
            rpc("anvil_mine", List.of("0x2"));
            listener.runOnce(); // two blocks on: confirmed
            Map<?, ?> deposit = (Map<?, ?>) ((List<?>) send(HttpRequest.GET("/v1/wallets/" + w.walletId()
                    + "/deposits"), owner).get("items")).get(0);
            assertEquals("CONFIRMED", deposit.get("status"), deposit::toString);
            String caseId = (String) deposit.get("kytCaseId");
            send(HttpRequest.POST("/v1/cases/" + caseId + "/resolve", Map.of("decision", "ALLOW", "comment",
                    "known customer")), compliance);
            assertEquals("KEY_LOCKED", lockByInterruptedDecryption(owner, w, device).getValue().get("code"));

            Map<String, String> subjects = Map.of("deposit.detected", (String) deposit.get("id"),
                    "deposit.confirmed", (String) deposit.get("id"), "deposit.held", (String) deposit.get("id"),
                    "kyt_case.opened", caseId, "kyt_case.resolved", caseId, "key.locked", w.walletId());
            long end = System.nanoTime() + 20_000_000_000L;
            while (!received(complianceHub, subjects).keySet().containsAll(types) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            Map<String, WebhookReceiver.Received> toCompliance = received(complianceHub, subjects);
            assertEquals(Set.copyOf(types), toCompliance.keySet(), "compliance hears each kind of event");
            for (WebhookReceiver.Received r : toCompliance.values()) {
                assertTrue(r.verified(), "signed with the published key: " + r);
            }
            // a VIEWER's system sees the wallet's deposits and its key's incident, never a compliance case
            end = System.nanoTime() + 10_000_000_000L;
            Set<String> forViewer = Set.of("deposit.detected", "deposit.confirmed", "deposit.held", "key.locked");
            while (!received(viewerHub, subjects).keySet().containsAll(forViewer) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals(forViewer, received(viewerHub, subjects).keySet());
            assertTrue(viewerHub.accepted().stream().noneMatch(r -> r.body().contains("\"kyt_case.")),
                    "no KYT case event reaches a VIEWER");
        }
    }

    private void subscribe(User admin, String prefix, String role, WebhookReceiver receiver, List<String> types)
            throws Exception {
        ApiClientSigner signer = new ApiClientSigner();
        Map<?, ?> client = send(HttpRequest.POST("/v1/api-clients", Map.of("name", prefix
                + UUID.randomUUID().toString().substring(0, 6), "publicKey", signer.publicKeyPem(), "roles",
                List.of(role))), admin);
        send(HttpRequest.POST("/v1/webhooks", Map.of("clientId", client.get("id"), "url", receiver.url(),
                "eventTypes", types)), admin);
        Map<?, ?> keys = send(HttpRequest.GET("/v1/webhooks/signing-keys"), admin);
        receiver.trust(((List<?>) keys.get("keys")).stream().map(k -> (String) ((Map<?, ?>) k).get("publicKey"))
                .toList());
    }

    /** The events {@code receiver} accepted about their subject (this test's deposit, case or wallet), by type. */
    private Map<String, WebhookReceiver.Received> received(WebhookReceiver receiver,
                                                          Map<String, String> subjects) throws Exception {
        Map<String, WebhookReceiver.Received> out = new java.util.TreeMap<>();
        for (WebhookReceiver.Received r : receiver.accepted()) {
            Map<?, ?> b = json.readValue(r.body(), Map.class);
            String type = (String) b.get("type");
            Map<?, ?> data = (Map<?, ?>) b.get("data");
            String subject = subjects.get(type);
            if (subject != null && data.containsValue(subject)) {
                out.put(type, r);
            }
        }
        return out;
    }

    private List<WebhookReceiver.Received> events(WebhookReceiver receiver, String txRequestId) throws Exception {
        List<WebhookReceiver.Received> out = new ArrayList<>();
        for (WebhookReceiver.Received r : receiver.accepted()) {
            Map<?, ?> b = json.readValue(r.body(), Map.class);
            if (txRequestId.equals(((Map<?, ?>) b.get("data")).get("txRequestId"))) {
                out.add(r);
            }
        }
        return out;
    }

    private List<String> states(WebhookReceiver receiver, String txRequestId) throws Exception {
        List<String> out = new ArrayList<>();
        for (WebhookReceiver.Received r : events(receiver, txRequestId)) {
            out.add((String) ((Map<?, ?>) json.readValue(r.body(), Map.class).get("data")).get("state"));
        }
        return out;
    }

    /** The request's states as its audit events recorded them, in chain order. */
    private List<String> recordedStates(String txRequestId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select type, "
                + "payload::jsonb ->> 'to' from audit_event where type in ('TX_SUBMITTED', 'TX_STATUS_CHANGED') "
                + "and payload::jsonb ->> 'txRequestId' = ? order by seq")) {
            ps.setString(1, txRequestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1).equals("TX_SUBMITTED") ? "SUBMITTED" : rs.getString(2));
                }
            }
        }
        return out;
    }
}
