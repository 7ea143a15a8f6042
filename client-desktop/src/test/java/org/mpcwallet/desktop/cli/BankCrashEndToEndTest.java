package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.TestAnvil;

/**
 * {@code kill -9} of the bank (SIGKILL of bank-server's process only; its PostgreSQL keeps running, as a database
 * server does) at three points of a transfer, then a restart on the same data directory and database: each request
 * still reaches FINALIZED and the wallet's address has sent exactly one transaction, the one the bank reports. anvil
 * mines only when the test says ({@code --no-mining}); the worker runs every 3 s so a status can be caught between
 * two rounds. Wallets are RETAIL (no approvals), made with the CLI and funded with {@code anvil_setBalance}. Also a
 * kill while P1 decrypts: the key is then locked for good.
 */
class BankCrashEndToEndTest {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String AMOUNT = "1000000000000000";
    private static final Duration STEP = Duration.ofSeconds(90);

    @TempDir
    static Path work;
    private static TestAnvil anvil;
    private static BankProcesses bank;

    @BeforeAll
    static void start() throws Exception {
        anvil = TestAnvil.startWithoutMining();
        // a short step timeout: a session left RUNNING by the killed process stops blocking a new one sooner
        bank = BankProcesses.start(work, new BankProcesses.Options(false, anvil.rpcUrl(), 2, 3000,
                java.util.Map.of("BANK_MPC_STEP_TIMEOUT_SECONDS", "10")));
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

    private record Funded(Device owner, String walletId, String address) {}

    private static Funded fundedWallet(String name) {
        Device owner = new Device(work.resolve(name), bank.url(), bank::logs).register();
        JsonNode created = owner.json("create", name);
        String address = created.get("address").asText();
        anvil.setBalance(address, new BigInteger("1000000000000000000"));
        return new Funded(owner, created.get("wallet").asText(), address);
    }

    private static String send(Funded w) {
        return w.owner().json("send", w.walletId(), "--to", TO, "--amount", AMOUNT).get("id").asText();
    }

    /** Request FINALIZED, its hash on chain from the wallet, and the wallet's address has sent exactly one tx. */
    private static void assertFinalizedOnce(Funded w, String id, String cosignedHash) throws Exception {
        JsonNode fin = PipelineWait.until(w.owner(), id, "FINALIZED", anvil, STEP, bank::logs);
        String txHash = fin.get("txHash").asText();
        assertEquals(cosignedHash, txHash, "the bank broadcast the transaction the device co-signed");
        JsonNode tx = anvil.transaction(txHash);
        assertNotNull(tx, "the transaction is on chain");
        assertEquals(w.address().toLowerCase(), tx.get("from").asText().toLowerCase());
        assertEquals("0x1", anvil.receipt(txHash).get("status").asText());
        assertEquals(1, anvil.transactionCount(w.address(), "latest"), "exactly one transaction from the wallet");
        assertEquals(1, anvil.transactionCount(w.address(), "pending"), "and nothing else waiting in the pool");
        assertEquals(0, Long.decode(tx.get("nonce").asText()));
    }

    @Test
    void killedInSignPendingBeforeTheCoSignature() throws Exception {
        Funded w = fundedWallet("crash-sign-pending");
        String id = send(w);
        JsonNode pending = PipelineWait.until(w.owner(), id, "SIGN_PENDING", null, STEP, bank::logs);
        // wait for the sign request (the same round that reaches SIGN_PENDING may not have made it yet)
        long until = System.nanoTime() + STEP.toNanos();
        while (pending.get("signRequestId").isNull() && System.nanoTime() < until) {
            Thread.sleep(200);
            pending = w.owner().json("status", id);
        }
        assertFalse(pending.get("signRequestId").isNull(), pending::toString);

        bank.kill9();
        assertFalse(bank.bankAlive());
        bank.restart();

        JsonNode after = w.owner().json("status", id);
        assertEquals("SIGN_PENDING", after.get("status").asText(), "nothing lost, nothing skipped");
        assertEquals(pending.get("nonce").asText(), after.get("nonce").asText(), "the nonce stays reserved");
        String hash = w.owner().json("cosign", id, "--yes").get("txHash").asText();
        assertFinalizedOnce(w, id, hash);
    }

    @Test
    void killedRightAfterTheCoSignatureInSignedOrBroadcastPending() throws Exception {
        Funded w = fundedWallet("crash-signed");
        String id = send(w);
        String hash = w.owner().json("cosign", id, "--yes", "--timeout", "90").get("txHash").asText();
        // the worker runs every 3 s: catch the request after it took the signature and before it is broadcast
        JsonNode r = PipelineWait.until(w.owner(), id, Set.of("SIGNED", "BROADCAST_PENDING", "BROADCASTED"), null,
                STEP, bank::logs);
        bank.kill9();
        String killedIn = r.get("status").asText();
        assertTrue(Set.of("SIGNED", "BROADCAST_PENDING").contains(killedIn) || anvil.transactionCount(w.address(),
                "pending") == 1, "killed in " + killedIn);
        assertEquals(0, anvil.transactionCount(w.address(), "latest"), "nothing mined while the bank was down");
        bank.restart();
        assertFinalizedOnce(w, id, hash);
    }

    @Test
    void killedWhileBroadcastedAndTheTransactionIsMinedWhileTheBankIsDown() throws Exception {
        Funded w = fundedWallet("crash-broadcasted");
        String id = send(w);
        String hash = w.owner().json("cosign", id, "--yes", "--timeout", "90").get("txHash").asText();
        // no block is mined: the request stays BROADCASTED with the transaction in anvil's pool
        PipelineWait.until(w.owner(), id, "BROADCASTED", null, STEP, bank::logs);
        assertEquals(1, anvil.transactionCount(w.address(), "pending"));
        assertEquals(0, anvil.transactionCount(w.address(), "latest"));
        bank.kill9();
        anvil.mine(3);
        assertNotNull(anvil.receipt(hash), "mined while the bank was down");
        bank.restart();
        assertFinalizedOnce(w, id, hash);
    }

    /**
     * Issue 9: kill -9 of the bank while a decryption is under way (the "decryption in progress" marker is committed,
     * the signature not yet released), then a restart: the key is locked for good and the signature never reached
     * anyone. A trigger the test installs on the bank's database holds the marker's removal, the first statement
     * after P1 decrypted and verified, so the kill lands inside that window every time.
     */
    @Test
    void killedDuringADecryptionTheKeyIsLockedAfterTheRestart() throws Exception {
        Funded w = fundedWallet("crash-decrypting");
        String id = send(w);
        PipelineWait.until(w.owner(), id, "SIGN_PENDING", null, STEP, bank::logs);
        sql("create or replace function test_hold_marker_removal() returns trigger language plpgsql as "
                + "$$ begin perform pg_sleep(600); return old; end $$",
                "create trigger test_hold_marker_removal before delete on signer_decryption for each row execute "
                        + "function test_hold_marker_removal()");
        String keysetId = scalar("select keyset_id from wallets where id = '" + w.walletId() + "'::uuid");
        java.util.concurrent.CompletableFuture<CliRun> cosign = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> w.owner().run("cosign", id, "--yes", "--timeout", "90"));
        long until = System.nanoTime() + STEP.toNanos();
        while (!"1".equals(scalar("select count(*) from pg_stat_activity where query like 'delete from "
                + "signer_decryption%' and wait_event = 'PgSleep'"))) {
            assertTrue(System.nanoTime() < until, "the decryption never reached the marker's removal\n" + bank.logs());
            Thread.sleep(50);
        }
        assertEquals("1", scalar("select count(*) from signer_decryption where keyset_id = '" + keysetId + "'"));
        bank.kill9();
        sql("select pg_terminate_backend(pid) from pg_stat_activity where query like 'delete from signer_decryption%'",
                "drop trigger test_hold_marker_removal on signer_decryption",
                "drop function test_hold_marker_removal()");
        CliRun cut = cosign.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(cut.code() != 0, "the device got no signature: " + cut);
        assertEquals("1", scalar("select count(*) from signer_decryption where keyset_id = '" + keysetId + "'"),
                "the marker survived the crash");
        // the threshold (30 s) stands for "no decryption takes that long": the test ages the marker instead of waiting
        sql("update signer_decryption set started_at = now() - interval '1 minute' where keyset_id = '" + keysetId
                + "'");

        bank.restart();
        // the killed process's session blocks a new one until it made no progress for a step (10 s) + 15 s
        JsonNode refused = w.owner().error("cosign", id, "--yes", "--timeout", "60");
        for (int i = 0; i < 30 && refused.toString().contains("already being co-signed"); i++) {
            Thread.sleep(1000);
            refused = w.owner().error("cosign", id, "--yes", "--timeout", "60");
        }
        assertTrue(refused.toString().contains("KEY_LOCKED"), refused.toString());
        assertEquals("1", scalar("select count(*) from keyset_lock where keyset_id = '" + keysetId + "'"),
                "the lock is stored");
        assertEquals(0, anvil.transactionCount(w.address(), "pending"), "no signature left the bank");
        assertEquals("1", scalar("select count(*) from incidents where wallet_id = '" + w.walletId()
                + "'::uuid and status = 'OPEN'"), "an incident is open");
    }

    private static void sql(String... statements) throws Exception {
        try (java.sql.Connection c = bank.db();
                java.sql.Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    private static String scalar(String query) throws Exception {
        try (java.sql.Connection c = bank.db();
                java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
