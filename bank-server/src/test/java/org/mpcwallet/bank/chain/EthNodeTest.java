package org.mpcwallet.bank.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mpcwallet.bank.chain.ChainTestSupport.DEV;
import static org.mpcwallet.bank.chain.ChainTestSupport.ETHER;
import static org.mpcwallet.bank.chain.ChainTestSupport.OTHER;
import static org.mpcwallet.bank.chain.ChainTestSupport.hashOf;
import static org.mpcwallet.bank.chain.ChainTestSupport.transfer;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.testing.AnvilProcess;

/** {@link EthNode} against a real anvil started per test. */
class EthNodeTest {

    @Test
    void chainIdAndHeadOfAFreshAnvil() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            assertEquals(31337L, node.chainId().orElseThrow());
            assertEquals(0L, node.blockNumber().orElseThrow());
            ChainBlock genesis = node.latestBlock().orElseThrow();
            assertEquals(0L, genesis.number());
            assertTrue(genesis.baseFeePerGas().isPresent(), "anvil's default hardfork has EIP-1559");
        }
    }

    @Test
    void nonceAndBalanceFollowATransfer() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            String fresh = "0x000000000000000000000000000000000000beef";
            assertEquals(BigInteger.ZERO, node.pendingNonce(AnvilProcess.DEV_ADDRESS).orElseThrow());
            assertEquals(ETHER.multiply(BigInteger.valueOf(10_000)), node.balance(AnvilProcess.DEV_ADDRESS).orElseThrow());
            assertEquals(BigInteger.ZERO, node.balance(fresh).orElseThrow());

            String raw = transfer(DEV, 0, fresh, ETHER);
            assertInstanceOf(BroadcastResult.Accepted.class, new Broadcaster(node).send(raw, hashOf(raw)));
            ChainTestSupport.awaitReceipt(node, hashOf(raw));

            assertEquals(BigInteger.ONE, node.pendingNonce(AnvilProcess.DEV_ADDRESS).orElseThrow());
            assertEquals(ETHER, node.balance(fresh).orElseThrow());
            // checksummed input is accepted and normalised
            assertEquals(BigInteger.ONE, node.pendingNonce(DEV.getAddress().toUpperCase().replace("0X", "0x"))
                    .orElseThrow());
        }
    }

    @Test
    void transactionReceiptAndBlockOfAMinedTransfer() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            String raw = transfer(DEV, 0, OTHER, BigInteger.valueOf(12345));
            String hash = hashOf(raw);
            assertTrue(new Broadcaster(node).send(raw, hash).isSent());
            ChainTestSupport.awaitReceipt(node, hash);

            ChainTransaction tx = node.transaction(hash).orElseThrow().orElseThrow();
            assertEquals(hash, tx.hash());
            assertEquals(AnvilProcess.DEV_ADDRESS, tx.from());
            assertEquals(Optional.of(OTHER), tx.to());
            assertEquals(BigInteger.valueOf(12345), tx.value());
            assertEquals(Optional.of(1L), tx.blockNumber());

            ChainReceipt receipt = node.receipt(hash).orElseThrow().orElseThrow();
            assertTrue(receipt.success());
            assertEquals(1L, receipt.blockNumber());
            assertEquals(BigInteger.valueOf(21_000), receipt.gasUsed());
            assertTrue(receipt.effectiveGasPrice().isPresent());

            ChainBlock block = node.block(1).orElseThrow().orElseThrow();
            assertEquals(receipt.blockHash(), block.hash());
            assertEquals(1, block.transactions().size());
            assertEquals(hash, block.transactions().getFirst().hash());
            assertEquals(node.block(0).orElseThrow().orElseThrow().hash(), block.parentHash());
        }
    }

    @Test
    void unknownHashesAndFutureBlocksAreEmptyNotFailures() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            String unknown = "0x" + "ab".repeat(32);
            assertEquals(Optional.empty(), node.transaction(unknown).orElseThrow());
            assertEquals(Optional.empty(), node.receipt(unknown).orElseThrow());
            assertEquals(Optional.empty(), node.block(1_000).orElseThrow());
        }
    }

    @Test
    void estimateGasOfATransferAndOfARevertingCall() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            assertEquals(BigInteger.valueOf(21_000),
                    node.estimateGas(AnvilProcess.DEV_ADDRESS, OTHER, ETHER, null).orElseThrow());
            // a call that reverts (MiniErc20.transfer above the sender's balance): the node refuses, as a value
            String deploy = ChainTestSupport.sign(DEV, 0, "", BigInteger.ZERO, MiniErc20.creationCode(),
                    BigInteger.valueOf(200_000), ChainTestSupport.GWEI, ChainTestSupport.GWEI.multiply(BigInteger.TEN));
            assertTrue(new Broadcaster(node).send(deploy, hashOf(deploy)).isSent());
            String token = ChainTestSupport.awaitReceipt(node, hashOf(deploy)).contractAddress().orElseThrow();
            String transferTooMuch = "0xa9059cbb" + "0".repeat(24) + OTHER.substring(2) + "f".repeat(64);
            ChainResult<BigInteger> reverted = node.estimateGas(AnvilProcess.DEV_ADDRESS, token, BigInteger.ZERO,
                    transferTooMuch);
            ChainFailure failure = assertInstanceOf(ChainResult.Failed.class, reverted).failure();
            assertEquals(ChainFailure.Kind.NODE_ERROR, failure.kind());
            assertEquals("eth_estimateGas", failure.method());
            assertTrue(failure.message().contains("revert"), failure.message());
        }
    }

    @Test
    void aStoppedNodeIsAnIoFailureThatIsTransient() {
        AnvilProcess anvil = AnvilProcess.start();
        try (EthNode node = EthNode.connect(anvil.rpcUrl())) {
            anvil.close();
            assertFalse(anvil.isAlive());
            ChainFailure failure = assertInstanceOf(ChainResult.Failed.class, node.chainId()).failure();
            assertEquals(ChainFailure.Kind.IO, failure.kind());
            assertTrue(failure.isTransient());
            assertThrows(IllegalStateException.class, () -> node.blockNumber().orElseThrow());
        }
    }

    @Test
    void theRpcUrlsSecretPartsNeverAppear() {
        String withKey = "https://user:pa55@mainnet.example.org:8443/v3/SECRETKEY123?apikey=SECRETQUERY";
        assertEquals("https://mainnet.example.org:8443", EthNode.redact(withKey));
        try (EthNode node = EthNode.connect(withKey)) {
            assertEquals("EthNode[https://mainnet.example.org:8443]", node.toString());
        }
        // nothing listens on port 9 of localhost: the failure names the endpoint without its path or query
        try (EthNode node = EthNode.connect("http://127.0.0.1:9/v3/SECRETKEY123?apikey=SECRETQUERY")) {
            ChainFailure failure = assertInstanceOf(ChainResult.Failed.class, node.chainId()).failure();
            assertFalse(failure.toString().contains("SECRET"), failure.toString());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> EthNode.connect("ftp://host/SECRETKEY123"));
        assertFalse(bad.getMessage().contains("SECRET"), bad.getMessage());
    }

    @Test
    void malformedAddressesAreRejectedBeforeAnyCall() {
        try (EthNode node = EthNode.connect("http://127.0.0.1:9")) {
            assertThrows(IllegalArgumentException.class, () -> node.balance("0x1234"));
            assertThrows(IllegalArgumentException.class, () -> node.receipt("0xzz"));
        }
    }
}
