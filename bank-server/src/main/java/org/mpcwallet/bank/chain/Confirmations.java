package org.mpcwallet.bank.chain;

/**
 * Confirmation count: a transaction in block {@code b} with the head at {@code h} has {@code h - b + 1}
 * confirmations (one as soon as it is mined), and 0 if the node's head is behind the receipt's block (a lagging
 * node behind a load balancer, or a reorg in progress).
 */
public final class Confirmations {
    private Confirmations() {
    }

    /** Confirmations of a transaction mined in {@code receiptBlock} when the head is {@code head}. */
    public static long of(long receiptBlock, long head) {
        if (receiptBlock < 0 || head < 0) {
            throw new IllegalArgumentException("block numbers must be >= 0");
        }
        return head < receiptBlock ? 0 : head - receiptBlock + 1;
    }

    /** Whether {@code confirmations} reach the configured {@code required} (CONFIRMATION_BLOCKS, at least 1). */
    public static boolean reached(long confirmations, long required) {
        if (required < 1) {
            throw new IllegalArgumentException("required confirmations must be >= 1");
        }
        return confirmations >= required;
    }
}
