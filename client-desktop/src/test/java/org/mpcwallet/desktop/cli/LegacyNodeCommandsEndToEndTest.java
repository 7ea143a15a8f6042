package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.TestAnvil;

/**
 * The command-line wallet against the real bank on a node without EIP-1559 (anvil on the Berlin hardfork): the bank
 * prices a legacy EIP-155 transaction, the device rebuilds it from the sign request's stated type, shows its gas
 * price, recomputes the hash and co-signs; the node mines a type-0 transaction from the 2PC address and the request
 * is FINALIZED (docs/custody-pipeline.md "Signing").
 */
class LegacyNodeCommandsEndToEndTest {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String AMOUNT = "20000000000000000";

    @TempDir
    Path work;

    @Test
    void theCommandLineCoSignsALegacyTransactionThatIsMinedAndFinalized() throws Exception {
        try (TestAnvil anvil = TestAnvil.start("--no-mining", "--hardfork", "berlin");
             BankProcesses bank = BankProcesses.start(work, BankProcesses.Options.chain(anvil.rpcUrl(), 1, 200))) {
            Device owner = new Device(work.resolve("owner"), bank.url(), bank::logs).register();
            JsonNode created = owner.json("create", "legacy");
            String walletId = created.get("wallet").asText();
            String address = created.get("address").asText();
            anvil.setBalance(address, new BigInteger("1000000000000000000"));

            String id = owner.json("send", walletId, "--to", TO, "--amount", AMOUNT).get("id").asText();
            CliRun cosign = CliRun.run(owner.env(), "--server", bank.url(), "--data-dir", owner.home.toString(),
                    "cosign", id, "--yes", "--timeout", "60");
            assertEquals(0, cosign.code(), cosign::toString);
            assertTrue(cosign.out().contains("(legacy EIP-155 transaction)"), cosign.out());
            assertFalse(cosign.out().contains("max fee"), cosign.out());

            JsonNode fin = PipelineWait.until(owner, id, "FINALIZED", anvil, Duration.ofSeconds(90), bank::logs);
            String txHash = fin.get("txHash").asText();
            JsonNode tx = anvil.transaction(txHash);
            assertEquals("0x0", tx.get("type").asText(), "a legacy transaction");
            assertEquals("0x7a69", tx.get("chainId").asText(), "replay-protected for chain 31337 (EIP-155)");
            assertEquals(address.toLowerCase(), tx.get("from").asText().toLowerCase(), "sent by the 2PC wallet");
            assertEquals(TO, tx.get("to").asText().toLowerCase());
            assertEquals(new BigInteger(AMOUNT), new BigInteger(tx.get("value").asText().substring(2), 16));
            assertEquals("0x1", anvil.receipt(txHash).get("status").asText());
        }
    }
}
