package org.mpcwallet.desktop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.desktop.core.PresignaturePool;
import org.mpcwallet.desktop.testing.BankOnChain;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.TestAnvil;
import org.mpcwallet.desktop.ui.model.WalletRow;

/**
 * The desktop wallet's window against the real bank (bank-server's jar on its embedded PostgreSQL, the in-process
 * signer) and a real anvil that mines only when told, driven by TestFX's robot on JavaFX's headless platform: a
 * customer registers, creates a TREASURY wallet (the keygen's progress seen), it is funded, they send 0.1 ETH, two
 * approvers approve over the API, the co-sign dialog shows what the device decoded, a wrong wallet secret is refused
 * with nothing signed, the right one co-signs, and the window shows the transfer FINALIZED with the chain holding
 * exactly that transaction. Then a sign request tampered at the bank (another recipient, its hash recomputed so it
 * is self-consistent) is refused in the dialog with no way to sign. Screenshots of every key screen go to
 * {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesktopWindowEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String OTHER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    private static final String PASSWORD = "alice-login-password-1";
    private static final String SECRET = "correct horse battery staple";

    @TempDir
    static Path work;
    private static BankOnChain chain;
    private static TestAnvil anvil;
    private static BankProcesses bank;
    private static WindowHarness h;
    private static String walletId;
    private static String address;
    private static final List<String> approvers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        chain = BankOnChain.start(work, 2);
        anvil = chain.anvil;
        bank = chain.bank;
        h = WindowHarness.open(work.resolve("alice-home"), bank.url(), "https://explorer.example/tx/{tx}");
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    /** A staff member the bank's ADMIN makes a signatory and an APPROVER of the wallet; returns their token. */
    private static String approver(String name) throws Exception {
        String pw = name + "-password-123";
        String id = JSON.readTree(chain.send("POST", "/v1/auth/register", null, "{\"username\":\"" + name
                + "\",\"password\":\"" + pw + "\"}", 201)).get("id").asText();
        chain.send("PUT", "/v1/admin/users/" + id + "/roles", chain.admin(),
                "{\"roles\":[\"CUSTOMER\",\"SIGNATORY\"]}", 200);
        chain.send("POST", "/v1/wallets/" + walletId + "/roles", chain.admin(),
                "{\"userId\":\"" + id + "\",\"role\":\"APPROVER\"}",
                201);
        return chain.login(name, pw);
    }

    private static void approve(String token, String txId, String comment) throws Exception {
        chain.send("POST", "/v1/tx-requests/" + txId + "/approve", token, "{\"decision\":\"APPROVE\",\"comment\":\""
                + comment + "\"}", 200);
    }

    @Test
    @Order(1)
    void registerAndCreateAWalletWithProgress() throws Exception {
        h.await(30, "#toggleRegister");
        h.robot.clickOn("#toggleRegister");
        h.type("#username", "alice");
        h.type("#password", PASSWORD);
        h.type("#repeatPassword", PASSWORD);
        h.shot("01-register");
        h.robot.type(KeyCode.ENTER);
        TableView<WalletRow> table = h.await(30, "#wallets");
        h.waitFor(10, "the empty list", () -> table.getItems().isEmpty() && h.text("#who").startsWith("alice"));
        h.shot("02-wallets-empty");

        h.robot.press(KeyCode.CONTROL).press(KeyCode.N).release(KeyCode.N).release(KeyCode.CONTROL);
        h.await(10, "#walletName");
        h.type("#walletName", "Company treasury");
        WindowHarness.fx(() -> ((ChoiceBox<String>) h.robot.lookup("#walletType").query()).setValue("TREASURY"));
        h.type("#walletSecret", SECRET);
        h.type("#repeatWalletSecret", SECRET);
        List<String> steps = new ArrayList<>();
        List<Double> fractions = new ArrayList<>();
        WindowHarness.fx(() -> {
            javafx.scene.control.Label step = h.robot.lookup("#keygenStep").query();
            step.textProperty().addListener((o, a, b) -> steps.add(b));
            ProgressBar bar = h.robot.lookup("#keygenProgress").query();
            bar.progressProperty().addListener((o, a, b) -> fractions.add(b.doubleValue()));
        });
        FxStallMeter stalls = new FxStallMeter();
        long started = System.nanoTime();
        h.robot.clickOn("#create");
        h.waitFor(60, "a keygen step beyond the start", () -> steps.stream().anyMatch(s -> s.startsWith("Step 2")));
        h.shot("03-create-progress");
        h.await(120, "#newAddress");
        stalls.close();
        System.out.printf("BENCH desktop window keygen: %.0f ms from the click to the address; longest UI-thread "
                + "stall %.1f ms over %d samples%n", (System.nanoTime() - started) / 1e6, stalls.maxMillis(),
                stalls.samples());
        System.out.printf("BENCH command-line keygen on the same bank: %.0f ms for `create` (first on its device "
                + "too)%n", cliCreateMillis());
        address = h.text("#newAddress");
        h.shot("04-wallet-created");
        assertTrue(address.matches("0x[0-9a-fA-F]{40}"), address);
        assertEquals(EthAddress.parse(address).toChecksumHex(), address, "shown in its EIP-55 form");
        for (String label : List.of("Exchanging commitments", "Checking the bank's key", "Waiting for the bank")) {
            assertTrue(steps.stream().anyMatch(s -> s.contains(label)), label + " in " + steps);
        }
        for (int i = 1; i < fractions.size(); i++) {
            assertTrue(fractions.get(i) >= fractions.get(i - 1), "the bar never goes back: " + fractions);
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(work.resolve("alice-home"))) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".vault")).count(), "the share is sealed on this "
                    + "device");
        }
        // after the address is shown, the window makes the wallet's presignatures in the background
        h.waitFor(60, "the presignature pool filled", () -> presignatureFiles() == PresignaturePool.TARGET);
    }

    /** The presignature records under the window's data directory. */
    private static long presignatureFiles() {
        Path dir = work.resolve("alice-home").resolve("presignatures");
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".presig")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int completedOnlineSessions() throws Exception {
        try (Connection c = bank.db(); PreparedStatement st = c.prepareStatement(
                "select count(*) from mpc_sessions where kind = 'ONLINE' and status = 'COMPLETED'");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    @Order(2)
    void theFundedWalletShowsItsBalanceInUnits() throws Exception {
        anvil.setBalance(address, new BigInteger("2500000000000000000"));
        h.robot.clickOn("#backToWallets");
        TableView<WalletRow> table = h.await(30, "#wallets");
        h.waitFor(30, "the wallet listed", () -> table.getItems().size() == 1);
        WalletRow row = WindowHarness.onFx(() -> table.getItems().get(0));
        walletId = row.id();
        assertEquals("Company treasury", row.name());
        assertEquals("TREASURY", row.type());
        assertEquals("Active", row.status());
        assertEquals(address, row.address());
        assertEquals("2.5 ETH", row.balances());
        assertTrue(row.key().startsWith("Epoch 0"), row.key());
        h.shot("05-wallets-funded");
        h.robot.clickOn("#showQr");
        h.await(10, "#qrImage");
        Window qr = h.dialog();
        assertNotNull(qr);
        assertEquals(address, h.text("#qrAddress"));
        WindowHarness.shot(qr, "06-receive-qr");
        h.robot.type(KeyCode.ESCAPE);
        h.waitFor(10, "the QR window closed", () -> h.dialog() == null);
    }

    @Test
    @Order(3)
    void sendApproveCoSignAndFollowToFinal() throws Exception {
        approvers.add(approver("approver-one"));
        approvers.add(approver("approver-two"));
        h.robot.clickOn("#send");
        h.await(10, "#recipient");
        h.type("#recipient", OTHER.toLowerCase());
        h.waitFor(10, "a recipient without checksum refused as typed",
                () -> h.text("#recipientError").contains("no checksum"));
        h.type("#recipient", EthAddress.parse(TO).toChecksumHex());
        h.type("#amount", "0.1234567890123456789");
        h.type("#note", "office rent");
        h.robot.clickOn("#submitSend");
        h.waitFor(10, "too many decimals refused next to the amount", () -> h.text("#amountError").contains("18"));
        h.shot("07-send-errors");
        h.type("#amount", "0.1");
        h.waitFor(10, "the balance shown", () -> h.text("#available").contains("2.5 ETH"));
        h.shot("08-send-form");
        h.robot.clickOn("#submitSend");

        h.await(30, "#transferHeadline");
        h.waitFor(60, "waiting for approvals",
                () -> h.text("#transferHeadline").startsWith("Waiting for approval: 0 of 2"));
        h.shot("09-transfer-awaiting-approval");
        String txId = txIdShown();
        approve(approvers.get(0), txId, "checked the invoice");
        h.waitFor(30, "one approval shown, by name", () -> h.text("#stageDetail-2").equals("1 of 2 approvals — "
                + "approved by approver-one (\"checked the invoice\"); 1 still needed"));
        approve(approvers.get(1), txId, "ok");

        h.await(60, "#cosignTitle");
        Window dialog = h.dialog();
        assertNotNull(dialog, "the co-sign dialog opened by itself");
        assertEquals(EthAddress.parse(TO).toChecksumHex(), h.text("#review-pays"));
        assertEquals("0.1 ETH", h.text("#review-amount"));
        assertTrue(h.text("#review-network").contains("31337"), h.text("#review-network"));
        assertTrue(h.text("#review-maximum-fee").matches("0\\.[0-9]+ ETH"), h.text("#review-maximum-fee"));
        assertTrue(h.text("#cosignVerdict").startsWith("This is exactly the transfer you created"));
        WindowHarness.shot(dialog, "10-cosign-review");

        h.type("#walletSecret", "not my wallet secret at all");
        h.robot.clickOn("#cosign");
        h.waitFor(30, "a wrong wallet secret refused next to the field",
                () -> h.text("#walletSecretError").contains("wrong wallet secret"));
        assertTrue(h.text("#walletSecretError").contains("Nothing was signed"));
        WindowHarness.shot(dialog, "11-cosign-wrong-secret");
        assertEquals("SIGN_PENDING", status(txId), "nothing changed at the bank");

        h.type("#walletSecret", SECRET);
        FxStallMeter stalls = new FxStallMeter();
        long started = System.nanoTime();
        h.robot.type(KeyCode.ENTER);
        h.waitFor(90, "co-signed", () -> h.text("#cosignVerdict").startsWith("Co-signed"));
        stalls.close();
        System.out.printf("BENCH desktop window co-sign: %.0f ms from Enter to the verified signature; longest "
                + "UI-thread stall %.1f ms over %d samples%n", (System.nanoTime() - started) / 1e6, stalls.maxMillis(),
                stalls.samples());
        WindowHarness.shot(dialog, "12-cosign-done");
        assertEquals(1, completedOnlineSessions(), "co-signed online with a presignature from the pool");
        h.waitFor(60, "the pool topped up again", () -> presignatureFiles() == PresignaturePool.TARGET);
        h.robot.clickOn("#notNow");
        h.waitFor(10, "the dialog closed", () -> h.dialog() == null);

        // the bank broadcasts; anvil mines only when told: one block at a time until the window shows it final
        for (int i = 0; i < 120 && !h.text("#transferHeadline").startsWith("Done"); i++) {
            if (status(txId).matches("BROADCASTED|CONFIRMING|CONFIRMED")) {
                anvil.mine(1);
            }
            Thread.sleep(500);
        }
        h.waitFor(60, "the transfer shown final", () -> h.text("#transferHeadline").startsWith("Done"));
        h.shot("13-transfer-final");
        String txHash = h.text("#stageDetail-4").substring("Transaction ".length());
        JsonNode tx = anvil.transaction(txHash);
        assertEquals(address.toLowerCase(), tx.get("from").asText().toLowerCase(), "sent by the 2PC wallet");
        assertEquals(TO, tx.get("to").asText().toLowerCase());
        assertEquals(new BigInteger("100000000000000000"), new BigInteger(tx.get("value").asText().substring(2), 16));
        h.robot.clickOn("#explorerLink");
        h.waitFor(5, "the explorer link opened", () -> h.openedLinks.toString().contains(
                "https://explorer.example/tx/" + txHash));
    }

    @Test
    @Order(4)
    void aSignRequestTamperedAtTheBankIsRefusedInTheDialog() throws Exception {
        h.robot.clickOn("#backToWallets");
        TableView<WalletRow> table = h.await(30, "#wallets");
        h.waitFor(30, "the wallet listed", () -> table.getItems().size() == 1);
        h.robot.clickOn("#send");
        h.await(10, "#recipient");
        h.type("#recipient", EthAddress.parse(TO).toChecksumHex());
        h.type("#amount", "0.05");
        h.robot.clickOn("#submitSend");
        h.await(30, "#transferHeadline");
        h.waitFor(60, "waiting for approvals", () -> h.text("#transferHeadline").startsWith("Waiting for approval"));
        String txId = txIdShown();
        // leave the transfer's page: the sign request is tampered before the device looks at it
        h.robot.clickOn("#backToWallets");
        h.await(30, "#wallets");
        approve(approvers.get(0), txId, "fine");
        approve(approvers.get(1), txId, "fine");
        waitStatus(txId, "SIGN_PENDING");
        waitForSignRequest(txId);
        tamperRecipient(txId, OTHER);

        h.robot.clickOn("#refresh");
        h.await(30, "#review-" + txId);
        h.shot("14-wallets-cosign-waiting");
        h.robot.clickOn("#review-" + txId);
        h.await(60, "#cosignTitle");
        Window dialog = h.dialog();
        assertNotNull(dialog);
        assertTrue(h.text("#cosignTitle").startsWith("Refused"), h.text("#cosignTitle"));
        assertTrue(h.text("#cosignVerdict").contains(OTHER) || h.text("#cosignVerdict").toLowerCase().contains(
                OTHER.toLowerCase()), h.text("#cosignVerdict"));
        assertFalse(h.shown("#cosign"), "no button to sign a refused request");
        assertFalse(h.shown("#walletSecret"), "no wallet secret is asked for");
        WindowHarness.shot(dialog, "15-cosign-refused");
        h.robot.type(KeyCode.ESCAPE);
        h.waitFor(10, "the dialog closed", () -> h.dialog() == null);
        assertEquals("SIGN_PENDING", status(txId), "nothing was signed");
    }

    /** The command line's {@code create} on a fresh device of another user, timed as the window's is. */
    private static double cliCreateMillis() {
        java.util.Map<String, String> env = java.util.Map.of("WALLET_PASSWORD", "bob-login-password-1",
                "WALLET_SECRET", "bob's own wallet secret", "HOME", work.toString());
        String[] common = {"--server", bank.url(), "--data-dir", work.resolve("bob-cli").toString()};
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream sink = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, org.mpcwallet.desktop.cli.WalletCli.run(concat(common, "register", "bob"), env,
                java.io.InputStream.nullInputStream(), sink, sink), out::toString);
        long t0 = System.nanoTime();
        assertEquals(0, org.mpcwallet.desktop.cli.WalletCli.run(concat(common, "create", "bob's wallet"), env,
                java.io.InputStream.nullInputStream(), sink, sink), out::toString);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    @Order(5)
    void theWalletPageShowsADepositAndTheTransfers() throws Exception {
        String funder = anvil.rpc("eth_accounts").get(0).asText();
        String hash = anvil.rpc("eth_sendTransaction", java.util.Map.of("from", funder, "to", address, "value",
                "0x" + new BigInteger("500000000000000000").toString(16))).asText();
        anvil.mine(3);
        h.robot.clickOn("#backToWallets");
        TableView<WalletRow> table = h.await(30, "#wallets");
        h.waitFor(30, "the wallet listed", () -> table.getItems().size() == 1);
        WindowHarness.fx(() -> table.getSelectionModel().select(0));
        h.robot.clickOn("#wallets").type(KeyCode.ENTER);
        TableView<org.mpcwallet.desktop.core.Deposit> deposits = h.await(30, "#deposits");
        // the bank sees the deposit, then counts its confirmations: a block at a time, F5 reloads the page
        for (int i = 0; i < 60 && !WindowHarness.onFx(() -> deposits.getItems().size() == 1
                && "CONFIRMED".equals(deposits.getItems().get(0).status())); i++) {
            anvil.mine(1);
            Thread.sleep(500);
            h.robot.type(KeyCode.F5);
        }
        h.waitFor(30, "the deposit confirmed", () -> deposits.getItems().size() == 1
                && "CONFIRMED".equals(deposits.getItems().get(0).status()));
        org.mpcwallet.desktop.core.Deposit d = WindowHarness.onFx(() -> deposits.getItems().get(0));
        assertEquals(hash.toLowerCase(), d.txHash().toLowerCase());
        assertEquals("0.5 ETH", org.mpcwallet.desktop.ui.model.DepositView.amount(d));
        TableView<org.mpcwallet.desktop.core.TxRequestInfo> transfers = h.await(30, "#transfers");
        h.waitFor(30, "both transfers listed", () -> transfers.getItems().size() == 2);
        assertTrue(WindowHarness.onFx(() -> transfers.getItems().stream().anyMatch(r -> r.status().equals(
                "FINALIZED"))));
        h.shot("16-wallet-detail");
    }

    private static String txIdShown() {
        String summary = h.text("#transferSummary");
        int at = summary.indexOf("Transfer ");
        return summary.substring(at + "Transfer ".length()).split("[ ,]")[0];
    }

    private static String status(String txId) throws Exception {
        try (Connection c = bank.db(); PreparedStatement ps = c.prepareStatement(
                "select status from tx_requests where id = ?::uuid")) {
            ps.setString(1, txId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private static void waitStatus(String txId, String want) throws Exception {
        for (int i = 0; i < 120 && !want.equals(status(txId)); i++) {
            Thread.sleep(500);
        }
        assertEquals(want, status(txId));
    }

    private static void waitForSignRequest(String txId) throws Exception {
        for (int i = 0; i < 120; i++) {
            try (Connection c = bank.db(); PreparedStatement ps = c.prepareStatement(
                    "select sign_request_id from tx_requests where id = ?::uuid")) {
                ps.setString(1, txId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null) {
                        return;
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the bank opened no sign request for " + txId + ": " + bank.logs());
    }

    /**
     * What a bank insider could do: point the transfer's sign request at {@code to} and store the hash of that
     * transaction, so the request is consistent in itself and only the device's comparison with the transfer the
     * user created catches it.
     */
    private static void tamperRecipient(String txId, String to) throws Exception {
        try (Connection c = bank.db()) {
            String id;
            Eip1559Transaction tx;
            try (PreparedStatement ps = c.prepareStatement("select id, chain_id, nonce, max_priority_fee_per_gas, "
                    + "max_fee_per_gas, gas_limit, value_wei, data from sign_requests where status = 'PENDING' "
                    + "and id = (select sign_request_id from tx_requests where id = ?::uuid)")) {
                ps.setString(1, txId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "a pending sign request");
                    id = rs.getString(1);
                    tx = new Eip1559Transaction(rs.getBigDecimal(2).toBigInteger(), rs.getBigDecimal(3)
                            .toBigInteger(), rs.getBigDecimal(4).toBigInteger(), rs.getBigDecimal(5).toBigInteger(),
                            rs.getBigDecimal(6).toBigInteger(), EthAddress.parse(to), rs.getBigDecimal(7)
                            .toBigInteger(), rs.getBytes(8));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update sign_requests set to_address = ?, signing_hash = ? "
                    + "where id = ?::uuid")) {
                ps.setString(1, to.toLowerCase());
                ps.setBytes(2, tx.signingHash());
                ps.setString(3, id);
                assertEquals(1, ps.executeUpdate());
            }
            assertEquals(64, Bytes.toHex(tx.signingHash()).length());
        }
    }
}
