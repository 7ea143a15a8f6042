package org.mpcwallet.bank.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mpcwallet.bank.chain.ChainTestSupport.DEV;
import static org.mpcwallet.bank.chain.ChainTestSupport.GWEI;
import static org.mpcwallet.bank.chain.ChainTestSupport.hashOf;
import static org.mpcwallet.bank.chain.ChainTestSupport.sign;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.testing.AnvilProcess;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;

/** {@link EthNode#erc20Balance} and {@link EthNode#transferLogs} on {@link MiniErc20} deployed to a real anvil. */
class Erc20LogsTest {
    private static final String WATCHED_1 = "0x00000000000000000000000000000000000000a1";
    private static final String WATCHED_2 = "0x00000000000000000000000000000000000000a2";
    private static final String UNWATCHED = "0x00000000000000000000000000000000000000b3";
    private static final BigInteger GAS = BigInteger.valueOf(200_000);
    private static final BigInteger MAX_FEE = GWEI.multiply(BigInteger.valueOf(3));

    @Test
    void transfersToWatchedAddressesAreFoundAndBalancesRead() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            Broadcaster broadcaster = new Broadcaster(node);
            String deploy = sign(DEV, 0, "", BigInteger.ZERO, MiniErc20.creationCode(), GAS, GWEI, MAX_FEE);
            assertTrue(broadcaster.send(deploy, hashOf(deploy)).isSent());
            ChainReceipt deployed = ChainTestSupport.awaitReceipt(node, hashOf(deploy));
            assertTrue(deployed.success());
            String token = deployed.contractAddress().orElseThrow();
            assertEquals(MiniErc20.SUPPLY, node.erc20Balance(token, AnvilProcess.DEV_ADDRESS).orElseThrow());

            String[] recipients = {WATCHED_1, UNWATCHED, WATCHED_2, WATCHED_1};
            long[] amounts = {100, 200, 300, 400};
            for (int i = 0; i < recipients.length; i++) {
                String call = sign(DEV, i + 1, token, BigInteger.ZERO, transfer(recipients[i], amounts[i]), GAS, GWEI,
                        MAX_FEE);
                assertTrue(broadcaster.send(call, hashOf(call)).isSent());
                assertTrue(ChainTestSupport.awaitReceipt(node, hashOf(call)).success());
            }
            // a transfer above the balance reverts: no log
            String tooMuch = sign(DEV, 5, token, BigInteger.ZERO, transfer(WATCHED_1, 1).replace(
                    "0000000000000000000000000000000000000000000000000000000000000001",
                    "f".repeat(64)), GAS, GWEI, MAX_FEE);
            assertTrue(broadcaster.send(tooMuch, hashOf(tooMuch)).isSent());
            assertTrue(!ChainTestSupport.awaitReceipt(node, hashOf(tooMuch)).success());

            long head = node.blockNumber().orElseThrow();
            List<Erc20TransferLog> logs = node.transferLogs(0, head, Set.of(WATCHED_1, WATCHED_2), Set.of())
                    .orElseThrow();
            assertEquals(List.of(WATCHED_1, WATCHED_2, WATCHED_1), logs.stream().map(Erc20TransferLog::to).toList());
            assertEquals(List.of(BigInteger.valueOf(100), BigInteger.valueOf(300), BigInteger.valueOf(400)),
                    logs.stream().map(Erc20TransferLog::amount).toList());
            Erc20TransferLog first = logs.getFirst();
            assertEquals(token, first.token());
            assertEquals(AnvilProcess.DEV_ADDRESS, first.from());
            assertEquals(2L, first.blockNumber());
            assertEquals(node.block(2).orElseThrow().orElseThrow().transactions().getFirst().hash(),
                    first.transactionHash());
            assertEquals(0L, first.logIndex());

            // restricted to the token: same logs; to another contract address: none
            assertEquals(logs, node.transferLogs(0, head, Set.of(WATCHED_1, WATCHED_2), Set.of(token)).orElseThrow());
            assertEquals(List.of(), node.transferLogs(0, head, Set.of(WATCHED_1, WATCHED_2),
                    Set.of("0x00000000000000000000000000000000000000c4")).orElseThrow());
            // block range: only block 2's transfer
            assertEquals(List.of(first), node.transferLogs(2, 2, Set.of(WATCHED_1, WATCHED_2), Set.of()).orElseThrow());
            // the mint in the creation block is a Transfer from address zero to the deployer
            Erc20TransferLog mint = node.transferLogs(0, 1, Set.of(AnvilProcess.DEV_ADDRESS), Set.of()).orElseThrow()
                    .getFirst();
            assertEquals("0x0000000000000000000000000000000000000000", mint.from());
            assertEquals(MiniErc20.SUPPLY, mint.amount());

            assertEquals(BigInteger.valueOf(500), node.erc20Balance(token, WATCHED_1).orElseThrow());
            assertEquals(BigInteger.valueOf(300), node.erc20Balance(token, WATCHED_2).orElseThrow());
            assertEquals(MiniErc20.SUPPLY.subtract(BigInteger.valueOf(1000)),
                    node.erc20Balance(token, AnvilProcess.DEV_ADDRESS).orElseThrow());
        }
    }

    @Test
    void aBalanceFromAnAddressWithoutATokenIsAFailureNotZero() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            ChainFailure failure = assertInstanceOf(ChainResult.Failed.class,
                    node.erc20Balance(UNWATCHED, WATCHED_1)).failure();
            assertEquals(ChainFailure.Kind.BAD_RESPONSE, failure.kind());
            assertTrue(failure.message().contains("is there a token contract"), failure.message());
            assertEquals(List.of(), node.transferLogs(0, 0, Set.of(), Set.of()).orElseThrow());
        }
    }

    /** {@code transfer(to, amount)} call data, encoded by web3j's ABI encoder (independent of the assembler). */
    private static String transfer(String to, long amount) {
        return FunctionEncoder.encode(new Function("transfer",
                List.of(new Address(to), new Uint256(BigInteger.valueOf(amount))), List.of()));
    }
}
