package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * A node without EIP-1559 (anvil on the Berlin hardfork): the bank does not sign a transaction the node would refuse;
 * the request waits in SIGN_PENDING with a clear error and no sign request.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineLegacyNodeTest extends PipelineHarness {

    @Override
    protected String[] anvilArgs() {
        return new String[] {"--hardfork", "berlin"};
    }

    @Test
    void aNodeWithoutEip1559GetsAClearErrorInsteadOfAnUnsendableSignature() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String id = (String) txRequest(owner, w.walletId(), TO, "1000").get("id");
            Map<?, ?> r = until(id, owner, "SIGN_PENDING");
            for (int i = 0; i < 40 && r.get("lastError") == null; i++) {
                worker.runOnce();
                Thread.sleep(100);
                r = get(id, owner);
            }
            Map<?, ?> seen = r;
            assertTrue(String.valueOf(seen.get("lastError")).contains("EIP-1559"), () -> "got " + seen);
            assertNull(seen.get("signRequestId"), "nothing was put up for signing");
            assertEquals("SIGN_PENDING", seen.get("status"));
        }
    }
}
