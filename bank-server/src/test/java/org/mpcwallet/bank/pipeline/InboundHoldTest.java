package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.bank.pipeline.deposit.app.ChainListener;

/**
 * Deposits whose sender does not pass screening (docs/custody-pipeline.md "Hold on tainted funds"), on a real anvil:
 * the funds arrive whatever the bank thinks, so the bank opens an INBOUND case and holds the wallet's outgoing
 * transfers for compliance until it decides. Sent from the listed addresses with anvil's impersonation.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InboundHoldTest extends PipelineHarness {

    @Test
    void aDepositFromABlockedSenderHoldsTheWalletsTransfersUntilComplianceDecides() throws Exception {
        User owner = user();
        User compliance = user("COMPLIANCE");
        ChainListener listener = context.getBean(ChainListener.class);
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            listener.runOnce(); // the listener's cursor starts at the head
            depositFrom(BLOCKED, w.address());
            listener.runOnce();

            Map<?, ?> deposit = deposits(w.walletId(), owner).get(0);
            assertEquals("BLOCK", deposit.get("kytVerdict"));
            String inboundCase = (String) deposit.get("kytCaseId");
            assertNotNull(inboundCase, "a blocked sender's deposit is in compliance's queue, not only in a log");
            Map<?, ?> inbound = send(HttpRequest.GET("/v1/cases/" + inboundCase), compliance);
            assertEquals("INBOUND", inbound.get("direction"));
            assertEquals("OPEN", inbound.get("status"));
            assertEquals(deposit.get("id"), inbound.get("depositId"));

            // a transfer to an unlisted address is held: it waits for compliance with its own case
            String first = (String) txRequest(owner, w.walletId(), TO, "1000").get("id");
            Map<?, ?> held = until(first, owner, "KYT_REVIEW");
            Map<?, ?> outbound = send(HttpRequest.GET("/v1/cases/" + held.get("kytCaseId")), compliance);
            assertEquals("OUTBOUND", outbound.get("direction"));
            assertEquals("inbound-hold", outbound.get("provider"));
            assertTrue(((String) outbound.get("reason")).contains("under compliance review (inbound case "
                    + inboundCase + ")"), () -> "got " + outbound);
            // compliance lets this one go
            send(HttpRequest.POST("/v1/cases/" + held.get("kytCaseId") + "/resolve", Map.of("decision", "ALLOW",
                    "comment", "salary payment, checked")), compliance);
            send(HttpRequest.POST("/v1/tx-requests/" + first + "/resume", Map.of()), compliance);
            until(first, owner, "SIGN_PENDING");

            // compliance confirms the deposit's sender is not acceptable: every later transfer stays under review
            send(HttpRequest.POST("/v1/cases/" + inboundCase + "/resolve", Map.of("decision", "BLOCK", "comment",
                    "sanctioned sender")), compliance);
            String second = (String) txRequest(owner, w.walletId(), TO, "1000").get("id");
            Map<?, ?> stillHeld = until(second, owner, "KYT_REVIEW");
            Map<?, ?> secondCase = send(HttpRequest.GET("/v1/cases/" + stillHeld.get("kytCaseId")), compliance);
            assertTrue(((String) secondCase.get("reason")).contains("from a sender compliance blocked"),
                    () -> "got " + secondCase);
            // a listed destination is still a plain BLOCK
            String toBlocked = (String) txRequest(owner, w.walletId(), BLOCKED, "1000").get("id");
            until(toBlocked, owner, "KYT_BLOCKED");
        }
        assertTrue(audit.verify().ok());
    }

    @Test
    void anInboundCaseResolvedAllowLiftsTheHold() throws Exception {
        User owner = user();
        User compliance = user("COMPLIANCE");
        ChainListener listener = context.getBean(ChainListener.class);
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            listener.runOnce();
            depositFrom(GREY, w.address());
            listener.runOnce();
            Map<?, ?> deposit = deposits(w.walletId(), owner).get(0);
            assertEquals("REVIEW", deposit.get("kytVerdict"));

            String held = (String) txRequest(owner, w.walletId(), TO, "1000").get("id");
            until(held, owner, "KYT_REVIEW");

            send(HttpRequest.POST("/v1/cases/" + deposit.get("kytCaseId") + "/resolve", Map.of("decision", "ALLOW",
                    "comment", "known customer")), compliance);
            String next = (String) txRequest(owner, w.walletId(), TO, "1000").get("id");
            Map<?, ?> passed = until(next, owner, "SIGN_PENDING");
            assertEquals("ALLOW", passed.get("kytVerdict"), "no hold once the inbound case is allowed");
        }
    }

    private List<Map> deposits(String walletId, User u) {
        @SuppressWarnings("unchecked")
        List<Map> list = (List<Map>) http.toBlocking().exchange(HttpRequest.GET("/v1/wallets/" + walletId
                + "/deposits").header("Authorization", u.bearer()), Map.class).body().get("items");
        assertEquals(1, list.size(), () -> "one deposit: " + list);
        return list;
    }
}
