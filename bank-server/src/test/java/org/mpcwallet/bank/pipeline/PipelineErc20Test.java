package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.chain.MiniErc20;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.testing.AnvilProcess;

/**
 * An ERC-20 transfer through the pipeline: a small token deployed on anvil and registered, the wallet holds some,
 * the request for the token becomes an EIP-1559 call of {@code transfer(to, amount)} on the token contract, co-signed
 * by the device and finalized; the recipient's token balance on chain is the requested amount.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineErc20Test extends PipelineHarness {

    @Test
    void anErc20TransferIsSignedAndFinalized() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String deployTx = (String) rpcResult("eth_sendTransaction", List.of(Map.of("from",
                    AnvilProcess.DEV_ADDRESS, "data", MiniErc20.creationCode(), "gas", "0x100000")));
            String token = (String) ((Map<?, ?>) awaitReceipt(deployTx)).get("contractAddress");
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "insert into tokens (chain_id, symbol, address, decimals) values (31337, 'TKN', ?, 18)")) {
                ps.setString(1, token);
                ps.executeUpdate();
            }
            BigInteger holding = BigInteger.TEN.pow(21);
            String fund = (String) rpcResult("eth_sendTransaction", List.of(Map.of("from", AnvilProcess.DEV_ADDRESS,
                    "to", token, "gas", "0x30000", "data", "0x" + HexFormat.of().formatHex(
                            Erc20.transferCalldata(EthAddress.parse(w.address()), holding)))));
            awaitReceipt(fund);

            BigInteger amount = new BigInteger("250000000000000000000");
            Map<?, ?> created = send(io.micronaut.http.HttpRequest.POST("/v1/tx-requests", Map.of("walletId",
                    w.walletId(), "asset", "TKN", "to", TO, "amount", amount.toString())), owner);
            String id = (String) created.get("id");
            assertEquals(token.toLowerCase(), created.get("tokenAddress"));
            String signRequestId = (String) untilSignRequest(id, owner).get("signRequestId");
            Map<?, ?> sr = send(io.micronaut.http.HttpRequest.GET("/v1/sign-requests/" + signRequestId), owner);
            assertEquals(token.toLowerCase(), ((String) sr.get("to")).toLowerCase(), "the call goes to the token");
            assertEquals("0", sr.get("valueWei"));
            assertEquals("0x" + HexFormat.of().formatHex(Erc20.transferCalldata(EthAddress.parse(TO), amount)),
                    sr.get("data"));
            Map<String, Object> done = cosign(device, owner, signRequestId, w.share());
            assertEquals("done", done.get("type"), () -> "got " + done);
            until(id, owner, "FINALIZED");
            try (EthNode node = EthNode.connect(anvil.rpcUrl())) {
                assertEquals(amount, ((ChainResult.Ok<BigInteger>) node.erc20Balance(token, TO)).value());
                assertEquals(holding.subtract(amount), ((ChainResult.Ok<BigInteger>) node.erc20Balance(token,
                        w.address())).value());
            }
            assertTrue(audit.verify().ok());
        }
    }

    private Object awaitReceipt(String hash) throws Exception {
        for (int i = 0; i < 50; i++) {
            Object r = rpcResult("eth_getTransactionReceipt", List.of(hash));
            if (r != null) {
                assertEquals("0x1", ((Map<?, ?>) r).get("status"));
                return r;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no receipt for " + hash);
    }
}
