package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * A broadcast while the node is unreachable (the network between the bank and a real anvil is cut by a TCP proxy):
 * the request stays BROADCAST_PENDING with the transient error recorded, and once the node is reachable again the
 * same signed transaction is sent and the request is FINALIZED — one transaction on chain, never re-signed.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineBroadcastRetryTest extends PipelineHarness {
    private TcpProxy proxy;

    @Override
    protected String bankRpcUrl() {
        try {
            proxy = new TcpProxy(URI.create(anvil.rpcUrl()).getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return proxy.url();
    }

    @AfterAll
    void stopProxy() throws IOException {
        proxy.close();
    }

    @Test
    void aBroadcastWithTheNodeDownIsRetriedWithTheSameTransaction() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String id = (String) txRequest(owner, w.walletId(), TO, "12345").get("id");
            String signRequestId = (String) untilSignRequest(id, owner).get("signRequestId");
            Map<String, Object> done = cosign(device, owner, signRequestId, w.share());
            assertEquals("done", done.get("type"), () -> "got " + done);

            proxy.down();
            // SIGN_PENDING -> SIGNED -> BROADCAST_PENDING -> a failed attempt
            Map<?, ?> failed = get(id, owner);
            for (int i = 0; i < 100 && ((Number) failed.get("broadcastAttempts")).intValue() == 0; i++) {
                worker.runOnce();
                Thread.sleep(100);
                failed = get(id, owner);
            }
            Map<?, ?> seen = failed;
            assertEquals("BROADCAST_PENDING", seen.get("status"), () -> "got " + seen);
            assertTrue(((Number) failed.get("broadcastAttempts")).intValue() >= 1);
            assertNotNull(failed.get("lastError"), "the transient error is recorded");
            String hash = (String) failed.get("txHash");

            proxy.up();
            Thread.sleep(2_100); // the first retry waits 2 s
            Map<?, ?> fin = until(id, owner, "FINALIZED");
            assertEquals(hash, fin.get("txHash"), "the same signed transaction, not a new one");
            try (EthNode node = EthNode.connect(anvil.rpcUrl())) {
                assertEquals(BigInteger.ONE, ((ChainResult.Ok<BigInteger>) node.pendingNonce(w.address())).value(),
                        "exactly one transaction from the wallet");
            }
            assertTrue(audit.verify().ok());
        }
    }
}
