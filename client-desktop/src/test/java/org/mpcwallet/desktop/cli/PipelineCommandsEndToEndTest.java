package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.TestAnvil;

/**
 * The custody pipeline from the command line against the real bank (bank-server's jar on its embedded PostgreSQL,
 * the in-process signer) and a real anvil (mining only when the test says): a TREASURY wallet made with
 * {@code create}, funded, two approvers granted with {@code grant}; {@code send}, {@code status}, {@code approve}
 * (the creator refused), {@code cosign} (waits for the sign request, checks it is this transfer, co-signs); the bank
 * broadcasts, counts 2 confirmations and finalizes; the chain holds exactly that transaction. Also a rejection, and
 * {@code cosign} timing out while approvals are missing.
 */
class PipelineCommandsEndToEndTest {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String ONE_TENTH_ETH = "100000000000000000";

    @TempDir
    static Path work;
    private static TestAnvil anvil;
    private static BankProcesses bank;

    @BeforeAll
    static void start() throws Exception {
        anvil = TestAnvil.startWithoutMining();
        bank = BankProcesses.start(work, BankProcesses.Options.chain(anvil.rpcUrl(), 2, 200));
    }

    @AfterAll
    static void stop() {
        if (bank != null) {
            bank.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    private static Device device(String name) {
        return new Device(work.resolve(name + "-" + System.nanoTime()), bank.url(), bank::logs).register();
    }

    private static String adminToken;

    /** The bank's ADMIN (made with the jar's create-admin command), signed in once. */
    private static synchronized String admin() throws Exception {
        if (adminToken == null) {
            String out = bank.createAdmin("root", ADMIN_PASSWORD);
            assertTrue(out.contains("created ADMIN root"), out);
            adminToken = JSON.readTree(send("POST", "/v1/auth/login", null, "{\"username\":\"root\",\"password\":\""
                    + ADMIN_PASSWORD + "\"}", 200)).get("access_token").asText();
        }
        return adminToken;
    }

    /**
     * docs/custody-pipeline.md "Who may approve": an ADMIN registers the device's user as a signatory and makes them an
     * approver of the wallet (the device's next call refreshes its token, which then carries the new role).
     */
    private static void makeApprover(Device d, String walletId) throws Exception {
        send("PUT", "/v1/admin/users/" + d.userId + "/roles", admin(), "{\"roles\":[\"CUSTOMER\",\"SIGNATORY\"]}",
                200);
        send("POST", "/v1/wallets/" + walletId + "/roles", admin(), "{\"userId\":\"" + d.userId
                + "\",\"role\":\"APPROVER\"}", 201);
    }

    @Test
    void aTreasuryTransferIsApprovedCoSignedBroadcastAndFinalized() throws Exception {
        Device owner = device("owner");
        Device approver1 = device("approver1");
        Device approver2 = device("approver2");
        JsonNode created = owner.json("create", "treasury", "--type", "TREASURY");
        String walletId = created.get("wallet").asText();
        String address = created.get("address").asText();
        anvil.setBalance(address, new BigInteger("10000000000000000000"));
        // the owner cannot pick the approvers (issue 10); the bank's ADMIN makes them
        JsonNode refusedGrant = owner.error("grant", walletId, approver1.userId, "--role", "APPROVER");
        assertEquals(403, refusedGrant.get("status").asInt(), refusedGrant.toString());
        for (Device a : new Device[] {approver1, approver2}) {
            makeApprover(a, walletId);
        }

        JsonNode sent = owner.json("send", walletId, "--to", TO, "--amount", ONE_TENTH_ETH, "--note", "e2e payout");
        String id = sent.get("id").asText();
        assertEquals("SUBMITTED", sent.get("status").asText());
        assertEquals(ONE_TENTH_ETH, sent.get("amount").asText());
        assertEquals("ETH", sent.get("asset").asText());

        JsonNode pending = PipelineWait.until(owner, id, "APPROVAL_PENDING", null, Duration.ofSeconds(60), bank::logs);
        assertEquals(2, pending.get("requiredApprovals").asInt(), "TREASURY needs 2 approvals");
        assertEquals(0, pending.get("approvals").asInt());
        // the human form of status shows the approvals
        CliRun human = CliRun.run(owner.env(), "--server", bank.url(), "--data-dir", owner.home.toString(), "status",
                id);
        assertEquals(0, human.code(), human::toString);
        assertTrue(human.out().contains("approvals:    0 of 2"), human.out());
        // cosign waits for approvals; with a short timeout it says so and signs nothing
        JsonNode early = owner.error("cosign", id, "--yes", "--timeout", "1");
        assertTrue(early.get("error").asText().contains("APPROVAL_PENDING, 0 of 2 approvals"), early.toString());

        JsonNode own = owner.error("approve", id);
        assertEquals(403, own.get("status").asInt(), "the creator is not an APPROVER (and could never approve)");
        JsonNode first = approver1.json("approve", id, "--comment", "checked the invoice");
        assertEquals(1, first.get("approvals").asInt());
        assertEquals("checked the invoice", first.get("votes").get(0).get("comment").asText());
        assertEquals(approver1.username, first.get("votes").get(0).get("username").asText(), "the vote names its user");
        assertEquals(409, approver1.error("approve", id).get("status").asInt(), "one vote per user");
        JsonNode second = approver2.json("approve", id);
        assertEquals("SIGN_PENDING", second.get("status").asText());

        JsonNode cosigned = owner.json("cosign", id, "--yes");
        assertEquals(id, cosigned.get("txRequest").asText());
        String txHash = cosigned.get("txHash").asText();
        assertNotNull(cosigned.get("request").asText());
        assertEquals(walletId, cosigned.get("walletId").asText());

        JsonNode fin = PipelineWait.until(owner, id, "FINALIZED", anvil, Duration.ofSeconds(90), bank::logs);
        assertEquals(txHash, fin.get("txHash").asText());
        assertTrue(fin.get("confirmations").asInt() >= 2, fin.toString());
        JsonNode tx = anvil.transaction(txHash);
        assertEquals(address.toLowerCase(), tx.get("from").asText().toLowerCase(), "sent by the 2PC wallet");
        assertEquals(TO, tx.get("to").asText().toLowerCase());
        assertEquals(new BigInteger(ONE_TENTH_ETH), new BigInteger(tx.get("value").asText().substring(2), 16));
        assertEquals("0x1", anvil.receipt(txHash).get("status").asText());
        assertEquals(1, anvil.transactionCount(address, "latest"));

        // listing shows it; cosign on a finished request says there is nothing to co-sign
        JsonNode list = owner.json("transfers", walletId);
        assertEquals(id, list.get("txRequests").get(0).get("id").asText());
        assertTrue(owner.error("cosign", id, "--yes").get("error").asText().contains("FINALIZED"));

        // a rejection ends the request
        String second2 = owner.json("send", walletId, "--to", TO, "--amount", "1000").get("id").asText();
        PipelineWait.until(owner, second2, "APPROVAL_PENDING", null, Duration.ofSeconds(60), bank::logs);
        JsonNode rejected = approver1.json("approve", second2, "--reject", "--comment", "unknown payee");
        assertEquals("REJECTED", rejected.get("status").asText());
        assertTrue(owner.error("cosign", second2, "--yes").get("error").asText().contains("REJECTED"));
    }

    /**
     * docs/key-rotation.md from the command line: a key locks (the decryption marker a crash leaves behind), an ADMIN
     * rotates the wallet, the owner runs {@code keygen} for the successor, the ADMIN sweeps, the wallet's APPROVER
     * approves, the owner's {@code cosign} checks that the sweep pays the wallet whose share it holds and co-signs
     * with the old share; the funds arrive at the new address and the old wallet is RETIRED.
     */
    @Test
    void aLockedWalletIsRotatedAndSweptToItsSuccessor() throws Exception {
        Device owner = device("rot-owner");
        Device approver = device("rot-approver");
        JsonNode created = owner.json("create", "hot", "--type", "RETAIL");
        String walletId = created.get("wallet").asText();
        String address = created.get("address").asText();
        anvil.setBalance(address, new BigInteger("1000000000000000000"));
        makeApprover(approver, walletId);
        try (Connection c = bank.db();
                PreparedStatement ps = c.prepareStatement("insert into signer_decryption (keyset_id, session_id, "
                        + "started_at) select keyset_id, 'crashed', now() - interval '1 minute' from wallets where "
                        + "id = ?::uuid")) {
            ps.setString(1, walletId);
            assertEquals(1, ps.executeUpdate());
        }
        String transfer = owner.json("send", walletId, "--to", TO, "--amount", "1000").get("id").asText();
        JsonNode refused = owner.error("cosign", transfer, "--yes", "--timeout", "60");
        assertTrue(refused.toString().contains("KEY_LOCKED"), refused.toString());

        String admin = admin();
        String newWalletId = JSON.readTree(send("POST", "/v1/admin/wallets/" + walletId + "/rotate", admin,
                "{\"reason\":\"key locked (test)\"}", 201)).get("newWalletId").asText();
        JsonNode keygen = owner.json("keygen", newWalletId);
        String newAddress = keygen.get("address").asText();
        assertEquals(newWalletId, keygen.get("wallet").asText());

        JsonNode sweep = JSON.readTree(send("POST", "/v1/admin/wallets/" + walletId + "/sweep", admin, "{}", 201));
        assertEquals(newAddress.toLowerCase(), sweep.get("to").asText());
        String sweepId = sweep.get("txRequestIds").get(0).asText();
        PipelineWait.until(owner, sweepId, "APPROVAL_PENDING", null, Duration.ofSeconds(60), bank::logs);
        JsonNode status = owner.json("status", sweepId);
        assertEquals("SWEEP", status.get("kind").asText());
        assertEquals(newWalletId, status.get("sweepToWallet").asText());
        approver.json("approve", sweepId, "--comment", "sweep to the rotated wallet");

        JsonNode cosigned = owner.json("cosign", sweepId, "--yes");
        String txHash = cosigned.get("txHash").asText();
        // a locked key signs its sweep with SIGN only (the signer refuses online on it); its presignatures are gone
        assertEquals(0, new org.mpcwallet.desktop.core.PresignaturePool(owner.home).count(walletId));
        JsonNode fin = PipelineWait.until(owner, sweepId, "FINALIZED", anvil, Duration.ofSeconds(90), bank::logs);
        assertEquals(txHash, fin.get("txHash").asText());
        assertEquals(new BigInteger(fin.get("amount").asText()), anvil.balance(newAddress),
                "the funds are at the successor's address");
        JsonNode wallets = owner.json("list").get("wallets");
        for (JsonNode w : wallets) {
            if (w.get("id").asText().equals(walletId)) {
                assertEquals("RETIRED", w.get("status").asText());
            }
            if (w.get("id").asText().equals(newWalletId)) {
                assertEquals("ACTIVE", w.get("status").asText());
            }
        }
    }

    private static final String ADMIN_PASSWORD = "rotation-admin-password-1";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static String send(String method, String path, String token, String body, int expected)
            throws Exception {
        return org.mpcwallet.desktop.testing.BankHttp.send(bank.url(), method, path, token, body, expected);
    }

    @Test
    void balancesAndDepositsShowAnInboundTransfer() throws Exception {
        Device owner = device("funds");
        JsonNode created = owner.json("create", "funds");
        String walletId = created.get("wallet").asText();
        String address = created.get("address").asText();
        String funder = anvil.rpc("eth_accounts").get(0).asText();
        String amount = "1500000000000000000";
        java.util.Map<String, String> tx = java.util.Map.of("from", funder, "to", address, "value",
                "0x" + new BigInteger(amount).toString(16));
        String hash = anvil.rpc("eth_sendTransaction", tx).asText();
        anvil.mine(1);

        JsonNode deposit = null;
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (deposit == null && System.nanoTime() < until) {
            for (JsonNode d : owner.json("deposits", walletId).get("deposits")) {
                if (hash.equalsIgnoreCase(d.get("txHash").asText())) {
                    deposit = d;
                }
            }
            if (deposit == null) {
                anvil.mine(1);
                Thread.sleep(300);
            }
        }
        assertNotNull(deposit, "the bank recorded the inbound transfer as a deposit\n" + bank.logs());
        assertEquals("ETH", deposit.get("asset").asText());
        assertEquals(amount, deposit.get("amount").asText());
        assertEquals(funder.toLowerCase(), deposit.get("from").asText().toLowerCase());
        assertEquals(Long.decode(anvil.receipt(hash).get("blockNumber").asText()), deposit.get("blockNumber").asLong());
        assertTrue(deposit.get("blockNumber").isNumber() && deposit.get("logIndex").isNumber(), deposit.toString());
        assertEquals("ALLOW", deposit.get("kytVerdict").asText());

        JsonNode balances = owner.json("balances", walletId);
        assertEquals(walletId, balances.get("walletId").asText());
        assertEquals(address.toLowerCase(), balances.get("address").asText().toLowerCase());
        JsonNode eth = null;
        for (JsonNode b : balances.get("balances")) {
            if ("ETH".equals(b.get("asset").asText())) {
                eth = b;
            }
        }
        assertNotNull(eth, balances.toString());
        assertEquals(amount, eth.get("amount").asText());
        assertEquals(18, eth.get("decimals").asInt());
        assertTrue(eth.get("token").isNull(), eth.toString());
        CliRun human = CliRun.run(owner.env(), "--server", bank.url(), "--data-dir", owner.home.toString(), "balances",
                walletId);
        assertTrue(human.out().contains("ETH      1.5"), human.out());
    }

    @Test
    void sendRefusesBadInputBeforeCallingTheBank() {
        Device owner = device("bad-input");
        JsonNode e = owner.error("send", "00000000-0000-0000-0000-000000000000", "--to", "0x1234", "--amount", "1");
        assertTrue(e.get("error").asText().contains("--to must be 0x"), e.toString());
        e = owner.error("send", "00000000-0000-0000-0000-000000000000", "--to", TO, "--amount", "1.5");
        assertTrue(e.get("error").asText().contains("--amount must be a positive whole number"), e.toString());
    }
}
