package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.TestAnvil;
import org.mpcwallet.web.BrowserHarness;
import org.mpcwallet.web.PageDriver;

/**
 * Issue 15's first flow with every part real: the bank's jar with the staff's second factor and four eyes required
 * (the production defaults), a customer's command-line wallet (this module's {@code WalletCli}) that creates a
 * TREASURY wallet and a transfer, two approvers who sign in to the admin console in Chromium with password and passkey
 * (the DevTools protocol's virtual authenticator) and approve there, each vote confirmed with the passkey again; the
 * customer's {@code cosign} then checks the sign request against the transfer and co-signs; the bank broadcasts on
 * anvil and the transfer reaches FINALIZED. Screenshots in {@code target/screenshots/console-cli/}.
 */
class ConsoleApprovalEndToEndTest {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String AMOUNT = "250000000000000000"; // 0.25 ETH

    @TempDir
    static Path work;
    private static TestAnvil anvil;
    private static BankProcesses bank;
    private static PageDriver page;

    @BeforeAll
    static void start() throws Exception {
        BrowserHarness h = BrowserHarness.require("the console approval test", List.of());
        anvil = TestAnvil.startWithoutMining();
        bank = BankProcesses.start(work, new BankProcesses.Options(false, anvil.rpcUrl(), 2, 200,
                Map.of("BANK_STAFF_SECOND_FACTOR", "required", "BANK_FOUR_EYES", "required")));
        page = PageDriver.start(h, Path.of("target/screenshots/console-cli").toAbsolutePath());
        page.addVirtualPasskey();
    }

    @AfterAll
    static void stop() {
        if (page != null) {
            page.close();
        }
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

    /**
     * The bank's decisions that are not this test's subject, made in its database: {@code d} is a SIGNATORY the bank
     * registered and an APPROVER of the wallet (both are four-eyes changes in the console, tested in bank-server).
     */
    private static void approverOf(String walletId, Device d, Device grantedBy) throws Exception {
        try (Connection c = bank.db()) {
            try (PreparedStatement ps = c.prepareStatement("update users set roles = '{SIGNATORY}' where id = ?::uuid")) {
                ps.setString(1, d.userId);
                assertEquals(1, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("insert into wallet_roles (wallet_id, user_id, role, "
                    + "granted_at, granted_by) values (?::uuid, ?::uuid, 'APPROVER', now(), ?::uuid)")) {
                ps.setString(1, walletId);
                ps.setString(2, d.userId);
                ps.setString(3, grantedBy.userId);
                assertEquals(1, ps.executeUpdate());
            }
        }
    }

    /** The console at the bank's origin by host name (a passkey's relying party is a name, never an IP address). */
    private static String console() {
        return bank.url().replace("127.0.0.1", "localhost") + "/admin/";
    }

    private static void signIn(Device d) {
        page.go(console());
        page.waitVisible("#sign-in-form", 20);
        page.fill("#username", d.username);
        page.fill("#password", d.password);
        page.click("#sign-in");
        page.waitText("#passkey-title", "Register your passkey", 20);
        page.click("#use-passkey");
        page.waitText("#me", d.username, 20);
    }

    @Test
    void approversDecideInTheConsoleAndTheCustomersCommandLineCoSignsToFinal() throws Exception {
        Device owner = device("owner");
        Device approver1 = device("approver1");
        Device approver2 = device("approver2");
        JsonNode created = owner.json("create", "treasury", "--type", "TREASURY");
        String walletId = created.get("wallet").asText();
        String address = created.get("address").asText();
        anvil.setBalance(address, new BigInteger("10000000000000000000"));
        approverOf(walletId, approver1, owner);
        approverOf(walletId, approver2, owner);

        String id = owner.json("send", walletId, "--to", TO, "--amount", AMOUNT, "--note", "invoice 2026-118")
                .get("id").asText();
        PipelineWait.until(owner, id, "APPROVAL_PENDING", null, Duration.ofSeconds(60), bank::logs);

        signIn(approver1);
        String row = "tr[data-id='" + id + "']";
        page.waitVisible(row, 15);
        String shown = page.text(row);
        assertTrue(shown.contains("0.25 ETH") && shown.contains(owner.username) && shown.contains("0 of 2")
                && shown.contains("TREASURY") && shown.contains("invoice 2026-118"), shown);
        page.shot("approver1-queue");
        page.fill(row + " input.comment", "Invoice 2026-118 matches the contract");
        page.click(row + " button.approve");
        page.waitText("#decided", "1 of 2", 30);
        page.click("#sign-out");
        page.waitVisible("#sign-in-form", 15);

        // the customer's cosign waits while approvals are missing, and signs nothing
        JsonNode early = owner.error("cosign", id, "--yes", "--timeout", "1");
        assertTrue(early.get("error").asText().contains("APPROVAL_PENDING, 1 of 2 approvals"), early.toString());

        signIn(approver2);
        page.waitVisible(row, 15);
        page.fill(row + " input.comment", "ok");
        page.click(row + " button.approve");
        page.waitText("#decided", "all approvals are in", 30);
        page.shot("approver2-approved");
        page.click("#sign-out");

        JsonNode cosigned = owner.json("cosign", id, "--yes");
        String txHash = cosigned.get("txHash").asText();
        JsonNode fin = PipelineWait.until(owner, id, "FINALIZED", anvil, Duration.ofSeconds(90), bank::logs);
        assertEquals(txHash, fin.get("txHash").asText());
        JsonNode tx = anvil.transaction(txHash);
        assertEquals(address.toLowerCase(), tx.get("from").asText().toLowerCase(), "sent by the 2PC wallet");
        assertEquals(TO, tx.get("to").asText().toLowerCase());
        assertEquals(new BigInteger(AMOUNT), new BigInteger(tx.get("value").asText().substring(2), 16));
        JsonNode votes = fin.get("votes");
        assertEquals(2, votes.size(), fin.toString());
        assertEquals("Invoice 2026-118 matches the contract", votes.get(0).get("comment").asText());
    }
}
