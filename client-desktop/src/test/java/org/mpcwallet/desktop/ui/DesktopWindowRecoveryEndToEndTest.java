package org.mpcwallet.desktop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javafx.scene.control.TableView;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.cli.WalletCli;
import org.mpcwallet.desktop.testing.BankOnChain;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.TestAnvil;
import org.mpcwallet.desktop.ui.model.WalletRow;

/**
 * The window when things go wrong or must be recovered, against the real bank jar (its embedded PostgreSQL) and a
 * real anvil: the session survives closing and reopening the window; a keygen cancelled in the window leaves no
 * share; the bank killed in the middle of the SIGN session is a clear message with nothing lost, and co-signing
 * works once it is back; the bank killed after the co-signature is followed through ("Retrying…") to FINALIZED after its restart; an
 * ADMIN-authorized key refresh runs in the window with its progress and asks for a new backup; a backup made in the
 * window is restored by the command line on another device directory and co-signs there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesktopWindowRecoveryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String PASSWORD = "carol-login-password-1";
    private static final String SECRET = "carol's wallet secret, long";

    @TempDir
    static Path work;
    private static BankOnChain chain;
    private static TestAnvil anvil;
    private static BankProcesses bank;
    private static WindowHarness h;
    private static Path home;
    private static String walletId;
    private static String address;

    @BeforeAll
    static void start() throws Exception {
        // a step may take 10 s: a session cut off by a restart is given up after 10 + 15 s without progress
        chain = BankOnChain.start(work, 1, Map.of("BANK_MPC_STEP_TIMEOUT_SECONDS", "10"));
        anvil = chain.anvil;
        bank = chain.bank;
        home = work.resolve("carol-home");
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

    private static long vaultFiles(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".vault")).count();
        }
    }

    private static TableView<WalletRow> wallets() {
        return h.await(60, "#wallets");
    }

    private static void createWallet(String name) {
        h.robot.clickOn("#newWallet");
        h.await(10, "#walletName");
        h.type("#walletName", name);
        h.type("#walletSecret", SECRET);
        if (h.shown("#repeatWalletSecret")) {
            h.type("#repeatWalletSecret", SECRET);
        }
        h.robot.clickOn("#create");
    }

    @Test
    @Order(1)
    void theSessionSurvivesClosingTheWindowAndACancelledKeygenLeavesNoShare() throws Exception {
        h = WindowHarness.open(home, bank.url(), null);
        h.await(30, "#toggleRegister");
        h.robot.clickOn("#toggleRegister");
        h.type("#username", "carol");
        h.type("#password", PASSWORD);
        h.type("#repeatPassword", PASSWORD);
        h.robot.clickOn("#signIn");
        wallets();
        h.close();

        long t0 = System.nanoTime();
        h = WindowHarness.open(home, bank.url(), null);
        TableView<WalletRow> table = wallets();
        System.out.printf("BENCH desktop window reopened to its wallets page (session resumed, warm JVM): %.0f ms%n",
                (System.nanoTime() - t0) / 1e6);
        assertTrue(h.text("#who").startsWith("carol"), "signed in without typing anything: " + h.text("#who"));

        createWallet("to be cancelled");
        h.waitFor(60, "keygen under way", () -> h.text("#keygenStep").startsWith("Step 1")
                || h.text("#keygenStep").startsWith("Step 2"));
        h.robot.clickOn("#cancel");
        h.waitFor(30, "the cancellation said", () -> h.text("#createMessage").startsWith("Cancelled"));
        h.shot("r1-keygen-cancelled");
        Thread.sleep(2000); // a keygen that was not stopped would seal its share within this time
        assertEquals(0, vaultFiles(home), "no share of a cancelled keygen");
        h.robot.clickOn("#cancel");
        table = wallets();
        TableView<WalletRow> t = table;
        h.waitFor(30, "the unfinished wallet listed", () -> t.getItems().size() == 1);
        WalletRow row = WindowHarness.onFx(() -> t.getItems().get(0));
        assertTrue(!row.active(), "the cancelled wallet is not usable: " + row);
    }

    @Test
    @Order(2)
    void theBankKilledMidSignLosesNothingAndTheTransferFinishesAfterItsRestart() throws Exception {
        createWallet("everyday");
        h.await(120, "#newAddress");
        address = h.text("#newAddress");
        anvil.setBalance(address, new BigInteger("1000000000000000000"));
        h.robot.clickOn("#backToWallets");
        TableView<WalletRow> table = wallets();
        h.waitFor(30, "the funded wallet", () -> table.getItems().stream().anyMatch(r -> r.active()
                && r.balances().equals("1 ETH")));
        WindowHarness.fx(() -> {
            for (WalletRow r : table.getItems()) {
                if (r.active()) {
                    table.getSelectionModel().select(r);
                    walletId = r.id();
                }
            }
        });
        h.robot.clickOn("#send");
        h.await(10, "#recipient");
        h.type("#recipient", TO);
        h.type("#amount", "0.01");
        h.robot.clickOn("#submitSend");
        h.await(60, "#cosignTitle");
        Window dialog = h.dialog();
        assertNotNull(dialog);

        // killed in the middle of the SIGN session: as soon as the bank started it (step 1, before the device's last
        // message, so the bank never began a decryption and the key stays usable)
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        WindowHarness.fx(() -> ((javafx.scene.control.Label) h.robot.lookup("#cosignStep").query()).textProperty()
                .addListener((o, a, b) -> {
                    if (b.startsWith("Step 1") && killed.compareAndSet(false, true)) {
                        Thread.ofVirtual().start(() -> {
                            try {
                                bank.kill9();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    }
                }));
        h.type("#walletSecret", SECRET);
        h.robot.clickOn("#cosign");
        h.waitFor(60, "the lost connection explained", () -> h.text("#cosignVerdict").startsWith("The connection to "
                + "the bank was lost") || h.text("#cosignVerdict").startsWith("The bank at ")
                || h.text("#cosignVerdict").startsWith("Cannot open the signing connection"));
        assertTrue(killed.get(), "the bank was killed during the session");
        WindowHarness.shot(dialog, "r2-cosign-bank-down");
        assertTrue(h.shown("#cosign"), "co-signing can be retried");

        bank.restart();
        // the session the killed process left counts until it made no progress for 25 s: the window says so, and
        // the user tries again
        for (int attempt = 0; attempt < 12 && !h.text("#cosignVerdict").startsWith("Co-signed"); attempt++) {
            h.type("#walletSecret", SECRET);
            h.robot.clickOn("#cosign");
            h.waitFor(90, "an answer", () -> h.text("#cosignVerdict").startsWith("Co-signed")
                    || h.text("#cosignVerdict").startsWith("The bank still holds an unfinished co-signing session"));
            if (h.text("#cosignVerdict").startsWith("The bank still holds")) {
                WindowHarness.shot(dialog, "r2b-cosign-session-still-open");
                Thread.sleep(5000);
            }
        }
        h.waitFor(10, "co-signed after the restart", () -> h.text("#cosignVerdict").startsWith("Co-signed"));
        h.robot.clickOn("#notNow");

        bank.kill9();
        h.waitFor(30, "the lost connection said on the transfer page",
                () -> h.text("#transferMessage").endsWith("Retrying…"));
        h.shot("r3-transfer-bank-down");
        bank.restart();
        for (int i = 0; i < 240 && !h.text("#transferHeadline").startsWith("Done"); i++) {
            anvil.mine(1);
            Thread.sleep(500);
        }
        h.waitFor(60, "the transfer final after the restart", () -> h.text("#transferHeadline").startsWith("Done"));
        assertEquals(1, anvil.transactionCount(address, "latest"), "exactly one transaction left the wallet");
    }

    @Test
    @Order(3)
    void anAuthorizedRefreshRunsInTheWindowAndItsBackupRestoresOnAnotherDevice() throws Exception {
        chain.send("POST", "/v1/admin/wallets/" + walletId + "/refresh", chain.admin(),
                "{\"reason\":\"routine rotation of device shares\"}", 201);
        h.robot.clickOn("#backToWallets");
        TableView<WalletRow> table = wallets();
        h.waitFor(30, "the wallet listed", () -> table.getItems().stream().anyMatch(WalletRow::active));
        WindowHarness.fx(() -> table.getItems().stream().filter(WalletRow::active).findFirst()
                .ifPresent(r -> table.getSelectionModel().select(r)));
        h.robot.clickOn("#openWallet");
        h.await(30, "#refreshKey");
        h.robot.clickOn("#refreshKey");
        h.await(10, "#runRefresh");
        h.type("#walletSecret", SECRET);
        h.robot.clickOn("#runRefresh");
        h.await(120, "#refreshDone");
        assertTrue(h.text("#refreshDone").contains("epoch 1"), h.text("#refreshDone"));
        assertTrue(h.text("#refreshMessage").startsWith("Make a new backup now"));
        h.shot("r4-refresh-done");

        h.robot.clickOn("#backupNow");
        h.await(10, "#backupFile");
        Path file = work.resolve("carol-backup.json");
        h.type("#backupFile", file.toString());
        h.type("#walletSecret", SECRET);
        h.robot.clickOn("#runBackup");
        h.waitFor(60, "the backup written", () -> h.text("#backupMessage").startsWith("Backed up"));
        h.shot("r5-backup-done");
        assertTrue(Files.size(file) > 0);

        // another device directory: the command line restores the window's backup and co-signs with it
        Path other = work.resolve("carol-cli");
        Map<String, String> env = Map.of("WALLET_PASSWORD", PASSWORD, "WALLET_SECRET", SECRET, "HOME",
                work.toString());
        assertTrue(cli(env, other, "login", "carol").contains("logged in"));
        String restored = cli(env, other, "--json", "restore", file.toString());
        assertEquals(walletId, JSON.readTree(restored).get("restored").get(0).asText(), restored);
        String tx = JSON.readTree(cli(env, other, "--json", "send", walletId, "--to", TO, "--amount", "1000"))
                .get("id").asText();
        String cosigned = cli(env, other, "--json", "cosign", tx, "--yes");
        assertEquals(tx, JSON.readTree(cosigned).get("txRequest").asText(), cosigned);
    }

    private static String cli(Map<String, String> env, Path dataDir, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--server", bank.url(), "--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WalletCli.run(all.toArray(String[]::new), env, InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, () -> String.join(" ", args) + ": " + out.toString(StandardCharsets.UTF_8)
                + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
