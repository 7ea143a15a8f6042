package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.mpc.SignRequestFields;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.crypto.eth.LegacyTransaction;

/**
 * A node without EIP-1559 (anvil on the Berlin hardfork, before London): the fee quote falls back to
 * {@code eth_gasPrice} and the pipeline signs a legacy EIP-155 transaction (docs/custody-pipeline.md "Signing"),
 * which the node mines; the request ends FINALIZED like any other.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineLegacyNodeTest extends PipelineHarness {

    @Override
    protected String[] anvilArgs() {
        return new String[] {"--hardfork", "berlin"};
    }

    @Test
    void aNodeWithoutEip1559GetsALegacyEip155TransactionThatIsMinedAndFinalized() throws Exception {
        User owner = user();
        User admin = user("ADMIN");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String id = (String) txRequest(owner, w.walletId(), TO, "1000").get("id");
            Map<?, ?> pending = untilSignRequest(id, owner);
            assertEquals("SIGN_PENDING", pending.get("status"));
            assertNull(pending.get("lastError"), () -> "priced without error: " + pending);

            Map<?, ?> sr = send(HttpRequest.GET("/v1/sign-requests/" + pending.get("signRequestId")), owner);
            assertEquals("LEGACY", sr.get("type"));
            assertNull(sr.get("maxFeePerGas"));
            assertNull(sr.get("maxPriorityFeePerGas"));
            BigInteger nodeGasPrice = new BigInteger(((String) rpcResult("eth_gasPrice", List.of())).substring(2), 16);
            LegacyTransaction tx = (LegacyTransaction) SignRequestFields.tx(sr);
            assertEquals(nodeGasPrice, tx.gasPrice(), "the node's gas price, within the cap");
            assertEquals(BigInteger.valueOf(31337), tx.chainId());

            Map<String, Object> done = cosign(device, owner, (String) pending.get("signRequestId"), w.share());
            assertEquals("done", done.get("type"), () -> "got " + done);
            String raw = (String) done.get("rawTransaction");
            assertTrue(raw.startsWith("0xf8") || raw.startsWith("0xf9"), "an untyped RLP list, not 0x02 || ...");

            Map<?, ?> fin = until(id, owner, "FINALIZED");
            assertEquals(done.get("txHash"), fin.get("txHash"));

            // the node's view: a type-0 transaction from the 2PC address, replay-protected for chain 31337
            Map<?, ?> onChain = (Map<?, ?>) rpcResult("eth_getTransactionByHash", List.of(fin.get("txHash")));
            assertEquals("0x0", onChain.get("type"));
            assertEquals(w.address().toLowerCase(Locale.ROOT), ((String) onChain.get("from")).toLowerCase(Locale.ROOT));
            assertEquals(TO, ((String) onChain.get("to")).toLowerCase(Locale.ROOT));
            assertEquals("0x3e8", onChain.get("value"));
            assertEquals("0x7a69", onChain.get("chainId"));
            BigInteger v = new BigInteger(((String) onChain.get("v")).substring(2), 16);
            assertTrue(v.equals(BigInteger.valueOf(35 + 2 * 31337)) || v.equals(BigInteger.valueOf(36 + 2 * 31337)),
                    "EIP-155 v, never 27/28: " + v);
            Map<?, ?> receipt = (Map<?, ?>) rpcResult("eth_getTransactionReceipt", List.of(fin.get("txHash")));
            assertEquals("0x1", receipt.get("status"));

            Map<?, ?> pkg = send(HttpRequest.GET("/v1/audit/packages/" + id), admin);
            assertEquals(Boolean.TRUE, pkg.get("intact"));
            Map<?, ?> cosignRequested = ((List<?>) pkg.get("events")).stream().map(e -> (Map<?, ?>) e)
                    .filter(e -> "COSIGN_REQUESTED".equals(e.get("type"))).findFirst().orElseThrow();
            assertTrue(String.valueOf(cosignRequested.get("payload")).contains("LEGACY"),
                    () -> "the audit trail names the transaction type: " + cosignRequested);
            assertTrue(audit.verify().ok());
        }
    }
}
