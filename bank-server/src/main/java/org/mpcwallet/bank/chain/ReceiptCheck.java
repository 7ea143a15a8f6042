package org.mpcwallet.bank.chain;

import java.util.Objects;
import java.util.Optional;

/**
 * Re-reads a transaction's receipt, as the pipeline does before CONFIRMED → FINALIZED: a transaction reorged out of
 * the canonical chain has no receipt any more (or one in another block), and goes back to BROADCASTED.
 *
 * <p>The receipt's block hash is checked against the canonical block at that height, so that a node answering from
 * a stale index mid-reorg is reported as {@link Status.Unavailable} (ask again) rather than as included.
 */
public final class ReceiptCheck {
    private final EthNode node;

    public ReceiptCheck(EthNode node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    /** What the node says about a transaction now. */
    public sealed interface Status {
        /** Mined in the canonical chain, with its confirmations at the current head. */
        record Included(ChainReceipt receipt, long confirmations) implements Status {
        }

        /** No receipt: pending again, dropped, or never mined (a reorg removed it). */
        record Missing(String hash) implements Status {
        }

        /** The node could not tell (unreachable, or inconsistent mid-reorg). */
        record Unavailable(String reason) implements Status {
        }
    }

    /** Re-reads the receipt of {@code hash}, its block and the head. */
    public Status recheck(String hash) {
        ChainResult<Optional<ChainReceipt>> receipt = node.receipt(hash);
        if (receipt instanceof ChainResult.Failed<Optional<ChainReceipt>> f) {
            return new Status.Unavailable(f.failure().toString());
        }
        Optional<ChainReceipt> found = receipt.orElseThrow();
        if (found.isEmpty()) {
            return new Status.Missing(EthNode.hash(hash));
        }
        ChainReceipt r = found.get();
        ChainResult<Optional<ChainBlock>> block = node.block(r.blockNumber());
        if (block instanceof ChainResult.Failed<Optional<ChainBlock>> f) {
            return new Status.Unavailable(f.failure().toString());
        }
        Optional<ChainBlock> canonical = block.orElseThrow();
        if (canonical.isEmpty() || !canonical.get().hash().equals(r.blockHash())) {
            return new Status.Unavailable("receipt names block " + r.blockNumber() + " " + r.blockHash()
                    + " but the canonical block at that height is "
                    + canonical.map(ChainBlock::hash).orElse("absent") + " (reorg in progress?)");
        }
        ChainResult<Long> head = node.blockNumber();
        if (head instanceof ChainResult.Failed<Long> f) {
            return new Status.Unavailable(f.failure().toString());
        }
        return new Status.Included(r, Confirmations.of(r.blockNumber(), head.orElseThrow()));
    }
}
