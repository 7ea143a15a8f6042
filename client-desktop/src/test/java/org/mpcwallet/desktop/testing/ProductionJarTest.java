package org.mpcwallet.desktop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 6: the bank's production jar (bank-server with bank-signer and shared-crypto inside, as deployed) holds
 * none of the test support that shared-crypto keeps in its test sources: no seeded randomness, no in-process protocol
 * runs, no fixed ring-Pedersen parameters, no parity runner, and (issue 11) no anvil launcher.
 */
class ProductionJarTest {
    @Test
    void theBankJarCarriesNoTestHook() throws IOException {
        try (JarFile jar = new JarFile(BankProcesses.bankJar().toFile())) {
            List<String> hooks = jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("org/mpcwallet/crypto/parity/")
                            || n.equals("org/mpcwallet/crypto/core/DeterministicRandom.class")
                            || n.startsWith("org/mpcwallet/crypto/testing/") // issue 11: the anvil launcher too
                            || n.startsWith("org/mpcwallet/bank/chain/AnvilProcess"))
                    .toList();
            assertEquals(List.of(), hooks, "test support in " + BankProcesses.bankJar());
            assertTrue(jar.getEntry("org/mpcwallet/crypto/protocol/sign/P1KeyHolder.class") != null,
                    "the jar does hold shared-crypto's production classes (the check above can fail)");
        }
    }
}
