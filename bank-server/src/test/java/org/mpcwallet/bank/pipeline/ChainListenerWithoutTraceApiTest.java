package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.chain.ChainReceipt;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.chain.MiniForwarder;
import org.mpcwallet.bank.chain.RpcMethodFilter;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.bank.pipeline.deposit.app.ChainListener;

/**
 * The chain listener behind a node that does not offer {@code debug_traceBlockByHash} (a real anvil behind a filter
 * answering "method not found", as public RPC providers do): ordinary deposits are still recorded, contract-made
 * ones cannot be, and the listener neither stalls nor retries the missing method every round.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainListenerWithoutTraceApiTest extends PipelineHarness {
    private RpcMethodFilter filter;

    @Override
    protected String bankRpcUrl() {
        try {
            filter = new RpcMethodFilter(anvil.rpcUrl(), Set.of("debug_traceBlockByHash"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return filter.url();
    }

    @AfterAll
    void stopFilter() {
        filter.close();
    }

    @Test
    void plainDepositsAreStillRecordedAndTheListenerKeepsGoing() throws Exception {
        User owner = user();
        ChainListener listener = context.getBean(ChainListener.class);
        PipelineFixture f = new PipelineFixture(http, dataSource, json, anvil);
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer());
             EthNode node = EthNode.connect(anvil.rpcUrl())) {
            Funded w = wallet(owner, "RETAIL", device);
            assertEquals(ChainListener.Outcome.DONE, listener.runOnce().outcome());
            String forwarder = f.deployForwarder(node, PipelineFixture.DEV);
            ChainReceipt viaContract = f.transact(node, PipelineFixture.DEV, forwarder, PipelineFixture.ETHER,
                    MiniForwarder.calldata(w.address(), false), BigInteger.valueOf(100_000));
            assertTrue(viaContract.success());
            ChainReceipt direct = f.sendEth(node, PipelineFixture.DEV, w.address(), PipelineFixture.ETHER);

            ChainListener.Round first = listener.runOnce();
            assertEquals(ChainListener.Outcome.DONE, first.outcome(), () -> "round: " + first);
            assertEquals(1, first.detected(), () -> "round: " + first);
            List<?> deposits = f.page(HttpRequest.GET("/v1/wallets/" + w.walletId() + "/deposits"), owner);
            assertEquals(1, deposits.size(), deposits::toString);
            assertEquals(direct.transactionHash(), ((Map<?, ?>) deposits.get(0)).get("txHash"));

            // later blocks: still scanned, the missing method is not what stops them
            f.transact(node, PipelineFixture.DEV, forwarder, PipelineFixture.ETHER,
                    MiniForwarder.calldata(w.address(), false), BigInteger.valueOf(100_000));
            ChainReceipt again = f.sendEth(node, PipelineFixture.DEV, w.address(), PipelineFixture.ETHER);
            ChainListener.Round second = listener.runOnce();
            assertEquals(ChainListener.Outcome.DONE, second.outcome(), () -> "round: " + second);
            assertEquals(1, second.detected());
            assertEquals(again.blockNumber(), second.cursor(), "the cursor reached the head");
            assertEquals(1, filter.refusals(), "asked once; not again in every round");
        }
    }
}
