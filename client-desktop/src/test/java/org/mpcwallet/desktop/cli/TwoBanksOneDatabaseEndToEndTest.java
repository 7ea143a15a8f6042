package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.TestAnvil;

/**
 * Two bank-server processes on one PostgreSQL (the second with DATABASE_URL at the first's embedded database, its own
 * port and data directory, the same KEK and permit key files), both workers running: several transfers from two
 * wallets, created and co-signed through either instance, each reach FINALIZED with exactly one transaction on chain,
 * and no nonce is used twice (per wallet the nonces are 0..n-1 and the address sent exactly n transactions).
 */
class TwoBanksOneDatabaseEndToEndTest {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final Duration STEP = Duration.ofSeconds(120);

    @TempDir
    Path work;

    @Test
    void twoInstancesShareTheWorkWithoutSendingAnythingTwice() throws Exception {
        try (TestAnvil anvil = TestAnvil.startWithoutMining();
                BankProcesses a = BankProcesses.start(work.resolve("a"),
                        BankProcesses.Options.chain(anvil.rpcUrl(), 2, 100));
                BankProcesses b = a.secondInstance(work.resolve("b"))) {
            // wallet 1's owner talks to instance A, wallet 2's owner to instance B
            Device ownerA = new Device(work.resolve("owner-a"), a.url(), () -> a.logs() + b.logs()).register();
            Device ownerB = new Device(work.resolve("owner-b"), b.url(), () -> a.logs() + b.logs()).register();
            List<Device> owners = List.of(ownerA, ownerB);
            List<String> wallets = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (Device d : owners) {
                JsonNode c = d.json("create", "shared-" + d.username);
                wallets.add(c.get("wallet").asText());
                addresses.add(c.get("address").asText());
                anvil.setBalance(c.get("address").asText(), new BigInteger("1000000000000000000"));
            }
            int[] counts = {3, 2};
            List<List<String>> ids = List.of(new ArrayList<>(), new ArrayList<>());
            for (int w = 0; w < 2; w++) {
                for (int i = 0; i < counts[w]; i++) {
                    ids.get(w).add(owners.get(w).json("send", wallets.get(w), "--to", TO, "--amount",
                            Integer.toString(1000 + i)).get("id").asText());
                }
            }
            List<List<String>> hashes = List.of(new ArrayList<>(), new ArrayList<>());
            for (int w = 0; w < 2; w++) {
                for (String id : ids.get(w)) {
                    hashes.get(w).add(owners.get(w).json("cosign", id, "--yes", "--timeout", "120").get("txHash")
                            .asText());
                }
            }
            // mine in the background of the waits: the requests are spread over both instances' workers
            for (int w = 0; w < 2; w++) {
                Set<Long> nonces = new HashSet<>();
                for (int i = 0; i < counts[w]; i++) {
                    JsonNode fin = PipelineWait.until(owners.get(w), ids.get(w).get(i), "FINALIZED", anvil, STEP,
                            () -> a.logs() + b.logs());
                    String hash = fin.get("txHash").asText();
                    assertEquals(hashes.get(w).get(i), hash);
                    JsonNode tx = anvil.transaction(hash);
                    assertNotNull(tx);
                    assertEquals(addresses.get(w).toLowerCase(), tx.get("from").asText().toLowerCase());
                    long nonce = Long.decode(tx.get("nonce").asText());
                    assertEquals(Long.parseLong(fin.get("nonce").asText()), nonce, "the nonce the bank reserved");
                    assertEquals(true, nonces.add(nonce), "nonce " + nonce + " used twice");
                }
                assertEquals(counts[w], anvil.transactionCount(addresses.get(w), "latest"),
                        "wallet " + w + " sent exactly one transaction per request");
                assertEquals(counts[w], anvil.transactionCount(addresses.get(w), "pending"));
                Set<Long> expected = new HashSet<>();
                for (long n = 0; n < counts[w]; n++) {
                    expected.add(n);
                }
                assertEquals(expected, nonces, "nonces 0.." + (counts[w] - 1));
            }
        }
    }
}
