package org.mpcwallet.bank.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mpcwallet.bank.chain.ChainTestSupport.DEV;
import static org.mpcwallet.bank.chain.ChainTestSupport.ETHER;
import static org.mpcwallet.bank.chain.ChainTestSupport.GWEI;
import static org.mpcwallet.bank.chain.ChainTestSupport.OTHER;
import static org.mpcwallet.bank.chain.ChainTestSupport.TRANSFER_GAS;
import static org.mpcwallet.bank.chain.ChainTestSupport.hashOf;
import static org.mpcwallet.bank.chain.ChainTestSupport.sign;
import static org.mpcwallet.bank.chain.ChainTestSupport.transfer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.chain.Broadcaster.Category;
import org.mpcwallet.crypto.testing.AnvilProcess;
import org.web3j.crypto.Credentials;

/**
 * {@link Broadcaster} against a real anvil: every outcome comes from the node's own answer. The HTTP-status rows
 * (5xx, 429, 401) cannot be produced by anvil; a real HTTP server on 127.0.0.1 stands for a failing proxy in front
 * of the node there. Node messages of other clients are checked against the classification table directly.
 */
class BroadcasterTest {
    private static final BigInteger THREE_GWEI = GWEI.multiply(BigInteger.valueOf(3));

    @Test
    void acceptedThenTheSameBytesAgainAreAlreadyKnown() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            Broadcaster broadcaster = new Broadcaster(node);
            String raw = transfer(DEV, 0, OTHER, ETHER);
            String hash = hashOf(raw);
            assertEquals(new BroadcastResult.Accepted(hash), broadcaster.send(raw, hash));
            ChainTestSupport.awaitReceipt(node, hash);
            // automining: the transaction is already in block 1, the node says "nonce too low", our hash is on chain
            assertEquals(new BroadcastResult.AlreadyKnown(hash), broadcaster.send(raw, hash));
            assertEquals(new BroadcastResult.AlreadyKnown(hash), broadcaster.send(raw.toUpperCase().replace("0X", "0x"),
                    hash.toUpperCase().replace("0X", "0x")));
        }
    }

    @Test
    void theSameBytesAgainWhileStillInThePoolAreAlreadyKnown() {
        try (AnvilProcess anvil = AnvilProcess.start("--no-mining"); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            Broadcaster broadcaster = new Broadcaster(node);
            String raw = transfer(DEV, 0, OTHER, ETHER);
            String hash = hashOf(raw);
            assertEquals(new BroadcastResult.Accepted(hash), broadcaster.send(raw, hash));
            assertEquals(new BroadcastResult.AlreadyKnown(hash), broadcaster.send(raw, hash)); // "already imported"
            assertTrue(node.transaction(hash).orElseThrow().orElseThrow().isPending());
        }
    }

    @Test
    void aTooLowNonceForAnotherHashIsPermanent() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            Broadcaster broadcaster = new Broadcaster(node);
            String first = transfer(DEV, 0, OTHER, ETHER);
            assertTrue(broadcaster.send(first, hashOf(first)).isSent());
            ChainTestSupport.awaitReceipt(node, hashOf(first)); // mined, so the node says "nonce too low"
            String other = transfer(DEV, 0, OTHER, BigInteger.TWO); // same nonce, different transaction
            BroadcastResult.Permanent p = assertInstanceOf(BroadcastResult.Permanent.class,
                    broadcaster.send(other, hashOf(other)));
            assertTrue(p.reason().contains("nonce is already used by another transaction"), p.reason());
            assertTrue(p.reason().contains("nonce too low"), p.reason());
        }
    }

    @Test
    void aPooledTransactionWithTheSameNonceMakesAnotherHashPermanent() {
        try (AnvilProcess anvil = AnvilProcess.start("--no-mining"); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            Broadcaster broadcaster = new Broadcaster(node);
            String first = transfer(DEV, 0, OTHER, ETHER);
            assertTrue(broadcaster.send(first, hashOf(first)).isSent());
            String other = transfer(DEV, 0, OTHER, BigInteger.TWO); // same fees: not a valid replacement
            BroadcastResult.Permanent p = assertInstanceOf(BroadcastResult.Permanent.class,
                    broadcaster.send(other, hashOf(other)));
            assertTrue(p.reason().contains("replacement transaction underpriced"), p.reason());
        }
    }

    @Test
    void insufficientFundsIsPermanent() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            Credentials empty = Credentials.create("0x" + "11".repeat(32));
            String raw = transfer(empty, 0, OTHER, ETHER);
            BroadcastResult.Permanent p = assertInstanceOf(BroadcastResult.Permanent.class,
                    new Broadcaster(node).send(raw, hashOf(raw)));
            assertTrue(p.reason().toLowerCase().contains("insufficient funds"), p.reason());
        }
    }

    @Test
    void invalidTransactionsArePermanent() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            Broadcaster broadcaster = new Broadcaster(node);
            String lowGas = sign(DEV, 0, OTHER, BigInteger.ONE, "0x", BigInteger.valueOf(20_000), GWEI, THREE_GWEI);
            assertPermanent(broadcaster.send(lowGas, hashOf(lowGas)), "intrinsic gas too low");
            String belowBaseFee = sign(DEV, 0, OTHER, BigInteger.ONE, "0x", TRANSFER_GAS, BigInteger.ONE,
                    BigInteger.TEN);
            assertPermanent(broadcaster.send(belowBaseFee, hashOf(belowBaseFee)), "less than block base fee");
            String otherChain = ChainTestSupport.sign(DEV, 1, 0, OTHER, BigInteger.ONE, "0x", TRANSFER_GAS, GWEI,
                    THREE_GWEI);
            assertPermanent(broadcaster.send(otherChain, hashOf(otherChain)), "chain id");
            assertPermanent(broadcaster.send("0x02f8", hashOf("0x02f8")), "decode");
            assertEquals(BigInteger.ZERO, node.pendingNonce(AnvilProcess.DEV_ADDRESS).orElseThrow());
        }
    }

    @Test
    void bytesThatDoNotMatchTheExpectedHashAreNeverSent() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            Broadcaster broadcaster = new Broadcaster(node);
            String raw = transfer(DEV, 0, OTHER, ETHER);
            String wrong = hashOf(transfer(DEV, 0, OTHER, BigInteger.TWO));
            assertPermanent(broadcaster.send(raw, wrong), "not the expected");
            assertPermanent(broadcaster.send("02f8", hashOf(raw)), "not 0x-prefixed hex");
            assertPermanent(broadcaster.send(raw, "0x1234"), "not a 32-byte hex hash");
            assertEquals(BigInteger.ZERO, node.pendingNonce(AnvilProcess.DEV_ADDRESS).orElseThrow());
            assertEquals(Optional.empty(), node.transaction(hashOf(raw)).orElseThrow());
        }
    }

    @Test
    void aStoppedNodeIsTransient() {
        AnvilProcess anvil = AnvilProcess.start();
        try (EthNode node = EthNode.connect(anvil.rpcUrl())) {
            anvil.close();
            String raw = transfer(DEV, 0, OTHER, ETHER);
            BroadcastResult.Transient t = assertInstanceOf(BroadcastResult.Transient.class,
                    new Broadcaster(node).send(raw, hashOf(raw)));
            assertTrue(t.reason().contains("IO"), t.reason());
            assertFalse(t.reason().contains(raw.substring(2, 40)), "no raw transaction in the reason");
        }
    }

    @Test
    void httpErrorsOfAProxyInFrontOfTheNodeAreTransient() throws IOException {
        for (int status : new int[] {502, 503, 429, 401}) {
            HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            proxy.createContext("/", exchange -> {
                byte[] body = "<html>upstream unavailable</html>".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            proxy.start();
            try (EthNode node = EthNode.connect("http://127.0.0.1:" + proxy.getAddress().getPort() + "/rpc/KEY")) {
                String raw = transfer(DEV, 0, OTHER, ETHER);
                BroadcastResult.Transient t = assertInstanceOf(BroadcastResult.Transient.class,
                        new Broadcaster(node).send(raw, hashOf(raw)));
                assertTrue(t.reason().contains("HTTP " + status), t.reason());
                assertFalse(t.reason().contains("KEY"), t.reason());
                assertFalse(t.reason().contains("upstream"), "the proxy's body is not kept: " + t.reason());
            } finally {
                proxy.stop(0);
            }
        }
    }

    /** Messages as other clients word them (geth, Besu, Nethermind, Erigon, hosted providers). */
    @Test
    void theClassificationTableReadsOtherClientsWording() {
        assertCategory(Category.ALREADY_KNOWN, -32000, "already known");
        assertCategory(Category.ALREADY_KNOWN, -32000, "Known transaction");
        assertCategory(Category.ALREADY_KNOWN, -32010, "TRANSACTION_ALREADY_KNOWN");
        assertCategory(Category.ALREADY_KNOWN, -32010, "AlreadyKnown");
        assertCategory(Category.ALREADY_KNOWN, -32003, "transaction already imported");
        assertCategory(Category.NONCE_TAKEN, -32000, "nonce too low: address 0xabc, tx: 5 state: 7");
        assertCategory(Category.NONCE_TAKEN, -32001, "NONCE_TOO_LOW");
        assertCategory(Category.NONCE_TAKEN, -32010, "OldNonce");
        assertCategory(Category.NONCE_TAKEN, -32000, "replacement transaction underpriced");
        assertCategory(Category.TRANSIENT, -32005, "request rate exceeded");
        assertCategory(Category.TRANSIENT, -32000, "txpool is full");
        assertCategory(Category.TRANSIENT, 429, "Too Many Requests");
        assertCategory(Category.TRANSIENT, -32000, "nonce too high");
        assertCategory(Category.PERMANENT, -32000, "insufficient funds for gas * price + value");
        assertCategory(Category.PERMANENT, -32000, "intrinsic gas too low");
        assertCategory(Category.PERMANENT, -32000, "max fee per gas less than block base fee");
        assertCategory(Category.PERMANENT, -32000, "fee cap less than base fee");
        assertCategory(Category.PERMANENT, -32000, "transaction underpriced");
        assertCategory(Category.PERMANENT, -32000, "exceeds block gas limit");
        assertCategory(Category.PERMANENT, -32000, "invalid sender");
        assertCategory(Category.PERMANENT, -32000, "tx fee (1.10 ether) exceeds the configured cap (1.00 ether)");
        assertCategory(Category.PERMANENT, -32000, "transaction type not supported");
        assertCategory(Category.UNCLASSIFIED, -32000, "something new");
    }

    private static void assertCategory(Category expected, int code, String message) {
        assertEquals(expected, Broadcaster.category(
                new ChainFailure(ChainFailure.Kind.NODE_ERROR, "eth_sendRawTransaction", code, message)), message);
    }

    private static void assertPermanent(BroadcastResult result, String reasonPart) {
        BroadcastResult.Permanent p = assertInstanceOf(BroadcastResult.Permanent.class, result);
        assertTrue(p.reason().toLowerCase().contains(reasonPart.toLowerCase()), p.reason());
    }
}
