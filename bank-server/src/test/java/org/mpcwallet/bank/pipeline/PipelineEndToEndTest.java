package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.ChainTransaction;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * The custody pipeline end to end on a real anvil and the embedded PostgreSQL, with the in-process signer and a P2
 * test device on the real WebSocket: KYT, policies, approvals with segregation of duties, co-signing under a
 * permit, broadcast, confirmations, FINALIZED; the chain's view matches the request; the audit package holds.
 * The worker is stepped by the test ({@code worker-interval-millis=0}).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndTest extends PipelineHarness {
    // ---- the whole story

    @Test
    void treasuryTransferWithTwoApprovalsIsCoSignedBroadcastConfirmedAndFinalized() throws Exception {
        User owner = user();
        User approver1 = user("SIGNATORY");
        User approver2 = user("OPERATOR");
        User admin = user("ADMIN");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "TREASURY", device);
            String roles = "/v1/wallets/" + w.walletId() + "/roles";
            // issue 10: the spender does not pick the checkers. The owner cannot grant APPROVER (to sock puppets or
            // to themselves); an ADMIN cannot make a self-registered account or the owner an approver.
            User puppet = user();
            assertEquals(403, status(HttpRequest.POST(roles, Map.of("userId", puppet.id(), "role", "APPROVER")),
                    owner), "the owner grants no approver");
            assertEquals(403, status(HttpRequest.POST(roles, Map.of("userId", owner.id(), "role", "APPROVER")),
                    owner), "nor themselves");
            assertEquals(409, status(HttpRequest.POST(roles, Map.of("userId", puppet.id(), "role", "APPROVER")),
                    admin), "a self-registered account is not eligible");
            assertEquals(409, status(HttpRequest.POST(roles, Map.of("userId", owner.id(), "role", "APPROVER")),
                    admin), "the owner is never an approver of the wallet");
            for (User a : List.of(approver1, approver2)) {
                send(HttpRequest.POST(roles, Map.of("userId", a.id(), "role", "APPROVER")), admin);
            }

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

    @Test
    void signRequestsOutsideThePipelineAreRefused() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            Map<String, Object> transfer = new java.util.LinkedHashMap<>();
            transfer.put("chainId", "31337");
            transfer.put("nonce", "0");
            transfer.put("maxPriorityFeePerGas", "1");
            transfer.put("maxFeePerGas", "2");
            transfer.put("gasLimit", "21000");
            transfer.put("to", TO);
            transfer.put("valueWei", "1");
            transfer.put("data", "0x");
            assertEquals(403, status(HttpRequest.POST("/v1/wallets/" + w.walletId() + "/sign-requests", transfer),
                    owner), "no KYT, policy or approval would stand in front of it");
        }
    }

    /** Issue 10 §5: amounts of 2^256 and more, the zero address and a wrong EIP-55 checksum are refused with 400. */
    @Test
    void laxTransferInputIsRefused() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String max = BigInteger.TWO.pow(256).toString();
            for (Map<String, Object> bad : List.<Map<String, Object>>of(
                    Map.of("walletId", w.walletId(), "asset", "ETH", "to", TO, "amount",
                            BigInteger.TWO.pow(256).add(BigInteger.ONE).toString()),
                    Map.of("walletId", w.walletId(), "asset", "ETH", "to", TO, "amount", max),
                    Map.of("walletId", w.walletId(), "asset", "ETH", "to",
                            "0x0000000000000000000000000000000000000000", "amount", "1"),
                    Map.of("walletId", w.walletId(), "asset", "ETH", "to",
                            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "amount", "1"))) {
                assertEquals(400, status(HttpRequest.POST("/v1/tx-requests", bad), owner), bad::toString);
            }
            Map<?, ?> ok = send(HttpRequest.POST("/v1/tx-requests", Map.of("walletId", w.walletId(), "asset", "ETH",
                    "to", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "amount", "1")), owner);
            assertEquals("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", ok.get("to"), "a correct checksum passes");
        }
    }

    /**
     * Issue 10 §5: a transfer the node refuses when its gas is estimated (here: to a contract that reverts) ends
     * FAILED_SIGN with the node's reason after three attempts, instead of retrying in SIGN_PENDING forever; it
     * reserves no nonce and asks no device to co-sign.
     */
    @Test
    void aTransferTheNodeRefusesEndsFailedWithTheReason() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String reverting = "0x" + java.util.HexFormat.of().formatHex(java.util.UUID.randomUUID().toString()
                    .replace("-", "").substring(0, 20).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            rpc("anvil_setCode", List.of(reverting, "0xfe")); // every call to it fails: INVALID
            String id = (String) txRequest(owner, w.walletId(), reverting, "1000").get("id");
            Map<?, ?> failed = until(id, owner, "FAILED_SIGN");
            assertTrue(((String) failed.get("lastError")).startsWith("the node refused the transfer when estimating "
                    + "its gas: "), failed.toString());
            assertNull(failed.get("nonce"), "no nonce reserved for a transfer the node refuses");
            assertTrue(device.notifications.isEmpty(), "the device was never asked to co-sign");
        }
    }

    @Test
    void oneRejectionEndsTheRequest() throws Exception {
        User owner = user();
        User approver = user("SIGNATORY");
        User admin = user("ADMIN");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "TREASURY", device);
            send(HttpRequest.POST("/v1/wallets/" + w.walletId() + "/roles", Map.of("userId", approver.id(), "role",
                    "APPROVER")), admin);
            String id = (String) txRequest(owner, w.walletId(), TO, "1000").get("id");
            until(id, owner, "APPROVAL_PENDING");
            Map<?, ?> rejected = send(HttpRequest.POST("/v1/tx-requests/" + id + "/approve", Map.of("decision",
                    "REJECT", "comment", "unknown beneficiary")), approver);
            assertEquals("REJECTED", rejected.get("status"));
            assertEquals(409, status(HttpRequest.POST("/v1/tx-requests/" + id + "/approve", Map.of("decision",
                    "APPROVE")), approver), "a rejected request takes no votes");
        }
    }

    @Test
    void aMaliciousCoSignatureIsRefusedBeforeDecryptionAndTheHonestOneGoesThrough() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String id = (String) txRequest(owner, w.walletId(), TO, "1000").get("id");
            String signRequestId = (String) untilSignRequest(id, owner).get("signRequestId");
            Map<?, ?> sr = send(HttpRequest.GET("/v1/sign-requests/" + signRequestId), owner);
            byte[] hash = HexFormat.of().parseHex(((String) sr.get("signingHash")).substring(2));
            Map<String, Object> e = device.sign(signRequestId, hash, w.share(), TestDevice.corruptC3(w.share()));
            assertEquals("PROTOCOL_ABORTED", e.get("code"), () -> "got " + e);
            assertTrue(String.valueOf(e).contains("PROOF_INVALID"), () -> "got " + e);
            assertEquals(Boolean.FALSE, send(HttpRequest.GET("/v1/wallets/" + w.walletId() + "/mpc"), owner)
                    .get("locked"), "a refused proof does not lock the key");
            assertEquals("SIGN_PENDING", send(HttpRequest.GET("/v1/tx-requests/" + id), owner).get("status"));
            Map<String, Object> done = device.sign(signRequestId, hash, w.share(), m -> m);
            assertEquals("done", done.get("type"), () -> "got " + done);
            until(id, owner, "FINALIZED");
        }
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

}
