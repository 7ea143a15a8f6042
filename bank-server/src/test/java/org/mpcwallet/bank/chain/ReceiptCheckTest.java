package org.mpcwallet.bank.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mpcwallet.bank.chain.ChainTestSupport.DEV;
import static org.mpcwallet.bank.chain.ChainTestSupport.ETHER;
import static org.mpcwallet.bank.chain.ChainTestSupport.OTHER;
import static org.mpcwallet.bank.chain.ChainTestSupport.hashOf;
import static org.mpcwallet.bank.chain.ChainTestSupport.mine;
import static org.mpcwallet.bank.chain.ChainTestSupport.revert;
import static org.mpcwallet.bank.chain.ChainTestSupport.snapshot;
import static org.mpcwallet.bank.chain.ChainTestSupport.transfer;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.chain.ReceiptCheck.Status;
import org.mpcwallet.crypto.testing.AnvilProcess;

/** Receipts, confirmations and the reorg re-check against a real anvil that mines only when told. */
class ReceiptCheckTest {

    @Test
    void aReceiptAppearsWhenMinedAndConfirmationsGrowWithTheHead() {
        try (AnvilProcess anvil = AnvilProcess.start("--no-mining"); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            String raw = transfer(DEV, 0, OTHER, ETHER);
            String hash = hashOf(raw);
            assertTrue(new Broadcaster(node).send(raw, hash).isSent());
            ReceiptCheck check = new ReceiptCheck(node);
            assertEquals(Optional.empty(), node.receipt(hash).orElseThrow(), "pending: no receipt");
            assertEquals(new Status.Missing(hash), check.recheck(hash));

            mine(anvil, 1);
            ChainReceipt receipt = node.receipt(hash).orElseThrow().orElseThrow();
            assertEquals(1L, receipt.blockNumber());
            assertEquals(1L, Confirmations.of(receipt.blockNumber(), node.blockNumber().orElseThrow()));

            mine(anvil, 5);
            assertEquals(6L, Confirmations.of(receipt.blockNumber(), node.blockNumber().orElseThrow()));
            Status.Included included = assertInstanceOf(Status.Included.class, check.recheck(hash));
            assertEquals(receipt, included.receipt());
            assertEquals(6L, included.confirmations());
            assertTrue(Confirmations.reached(included.confirmations(), 6));
        }
    }

    @Test
    void aReorgedOutTransactionIsReportedMissing() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            mine(anvil, 2);
            String before = snapshot(anvil);
            String raw = transfer(DEV, 0, OTHER, ETHER);
            String hash = hashOf(raw);
            assertTrue(new Broadcaster(node).send(raw, hash).isSent()); // automined into block 3
            ChainTestSupport.awaitReceipt(node, hash);
            mine(anvil, 3);
            ReceiptCheck check = new ReceiptCheck(node);
            Status.Included included = assertInstanceOf(Status.Included.class, check.recheck(hash));
            assertEquals(3L, included.receipt().blockNumber());
            assertEquals(4L, included.confirmations());

            // the chain goes back to block 2, as a reorg to a branch without our transaction would
            assertTrue(revert(anvil, before));
            assertEquals(2L, node.blockNumber().orElseThrow());
            assertEquals(new Status.Missing(hash), check.recheck(hash));
            assertEquals(Optional.empty(), node.receipt(hash).orElseThrow());
        }
    }

    @Test
    void aStoppedNodeCannotTell() {
        AnvilProcess anvil = AnvilProcess.start();
        try (EthNode node = EthNode.connect(anvil.rpcUrl())) {
            anvil.close();
            assertInstanceOf(Status.Unavailable.class, new ReceiptCheck(node).recheck("0x" + "ab".repeat(32)));
        }
    }
}
