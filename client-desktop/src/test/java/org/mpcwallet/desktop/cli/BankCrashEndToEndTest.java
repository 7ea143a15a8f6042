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
 * two rounds. Wallets are RETAIL (no approvals), made with the CLI and funded with {@code anvil_setBalance}.
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
        bank = BankProcesses.start(work, BankProcesses.Options.chain(anvil.rpcUrl(), 2, 3000));
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
}
