package org.mpcwallet.bank.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.web3j.protocol.core.methods.response.EthFeeHistory;

/**
 * Gas fees for a new transaction.
 *
 * <p><b>EIP-1559</b> (the node answers {@code eth_feeHistory} and its head block has a base fee): the priority fee
 * is the median, over the last {@link Config#blocks()} blocks, of each block's {@link Config#percentile()}-th
 * percentile of effective priority fees (blocks with no transactions report 0 and are left out), raised to
 * {@link Config#minPriorityFee()} and capped at {@link Config#maxPriorityFeeCap()}; the base fee is the one
 * {@code eth_feeHistory} forecasts for the next block; {@code maxFeePerGas = 2 * baseFee + priority} (room for six
 * consecutive full blocks of +12.5 %), capped at {@link Config#maxFeePerGasCap()}. If the next block's base fee
 * alone already exceeds the cap the quote is {@link FeeQuote.Refused}: a transaction under the cap could not be
 * included now, and the caller waits rather than overpays.
 *
 * <p><b>Legacy</b> (the node answers {@code eth_feeHistory} with a JSON-RPC error, e.g. method not found, or the
 * chain has no base fee yet): {@code eth_gasPrice}, returned as {@code Fees(gasPrice, gasPrice, legacy = true)},
 * refused above {@link Config#maxFeePerGasCap()}.
 *
 * <p>I/O and HTTP failures are {@link FeeQuote.Unavailable}, never a silent fallback to a default fee.
 */
public final class FeeOracle {
    private final EthNode node;
    private final Config config;

    public FeeOracle(EthNode node, Config config) {
        this.node = Objects.requireNonNull(node, "node");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Configuration, validated.
     *
     * @param maxFeePerGasCap    the most the bank pays per gas (base fee + priority fee), wei
     * @param maxPriorityFeeCap  the most priority fee per gas, wei
     * @param minPriorityFee     the priority fee used when recent blocks show none (e.g. empty blocks), wei
     * @param blocks             how many recent blocks {@code eth_feeHistory} looks at (1..1024)
     * @param percentile         which percentile of each block's priority fees (0..100)
     */
    public record Config(BigInteger maxFeePerGasCap, BigInteger maxPriorityFeeCap, BigInteger minPriorityFee,
                         int blocks, double percentile) {
        public Config {
            Objects.requireNonNull(maxFeePerGasCap, "maxFeePerGasCap");
            Objects.requireNonNull(maxPriorityFeeCap, "maxPriorityFeeCap");
            Objects.requireNonNull(minPriorityFee, "minPriorityFee");
            if (maxFeePerGasCap.signum() <= 0) {
                throw new IllegalArgumentException("maxFeePerGasCap must be positive");
            }
            if (maxPriorityFeeCap.signum() < 0 || maxPriorityFeeCap.compareTo(maxFeePerGasCap) > 0) {
                throw new IllegalArgumentException("maxPriorityFeeCap must be in 0..maxFeePerGasCap");
            }
            if (minPriorityFee.signum() < 0 || minPriorityFee.compareTo(maxPriorityFeeCap) > 0) {
                throw new IllegalArgumentException("minPriorityFee must be in 0..maxPriorityFeeCap");
            }
            if (blocks < 1 || blocks > 1024) {
                throw new IllegalArgumentException("blocks must be in 1..1024");
            }
            if (!(percentile >= 0 && percentile <= 100)) {
                throw new IllegalArgumentException("percentile must be in 0..100");
            }
        }

        /** Caps as given; 1 gwei minimum priority fee, the 50th percentile over 20 blocks. */
        public static Config withCaps(BigInteger maxFeePerGasCap, BigInteger maxPriorityFeeCap) {
            BigInteger oneGwei = BigInteger.TEN.pow(9);
            return new Config(maxFeePerGasCap, maxPriorityFeeCap, oneGwei.min(maxPriorityFeeCap), 20, 50.0);
        }
    }

    /**
     * Fees to put in a transaction. For {@code legacy}, both fields are the gas price.
     *
     * @param maxFeePerGas         EIP-1559 {@code maxFeePerGas}, or the legacy gas price
     * @param maxPriorityFeePerGas EIP-1559 {@code maxPriorityFeePerGas}, or the legacy gas price
     * @param legacy               whether to build a legacy (EIP-155) transaction
     */
    public record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas, boolean legacy) {
        public Fees {
            Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
            Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
            if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
                throw new IllegalArgumentException("maxPriorityFeePerGas > maxFeePerGas");
            }
        }
    }

    /** The outcome of {@link #quote()}. */
    public sealed interface FeeQuote {
        /** Fees within the caps. {@code baseFee} is the next block's forecast (zero for legacy). */
        record Quoted(Fees fees, BigInteger baseFee) implements FeeQuote {
        }

        /** The network is above the configured caps right now. */
        record Refused(String reason) implements FeeQuote {
        }

        /** The node could not be asked. */
        record Unavailable(ChainFailure failure) implements FeeQuote {
        }
    }

    /** Asks the node and returns fees within the caps, a refusal, or the failure. */
    public FeeQuote quote() {
        ChainResult<EthFeeHistory.FeeHistory> history = node.feeHistory(config.blocks(), config.percentile());
        if (history instanceof ChainResult.Failed<EthFeeHistory.FeeHistory> f) {
            if (f.failure().kind() == ChainFailure.Kind.NODE_ERROR && !f.failure().isTransient()) {
                return legacy(); // the node does not support fee history
            }
            return new FeeQuote.Unavailable(f.failure());
        }
        EthFeeHistory.FeeHistory h = history.orElseThrow();
        List<BigInteger> baseFees;
        try {
            baseFees = h.getBaseFeePerGas();
        } catch (RuntimeException e) {
            return badAnswer("unparseable baseFeePerGas");
        }
        if (baseFees == null || baseFees.isEmpty()) {
            return legacy();
        }
        // pre-London blocks have no base fee; eth_feeHistory then reports zeros
        ChainResult<ChainBlock> head = node.latestBlock();
        if (head instanceof ChainResult.Failed<ChainBlock> f) {
            return new FeeQuote.Unavailable(f.failure());
        }
        if (head.orElseThrow().baseFeePerGas().isEmpty()) {
            return legacy();
        }
        BigInteger nextBaseFee = baseFees.getLast();
        if (nextBaseFee.compareTo(config.maxFeePerGasCap()) > 0) {
            return new FeeQuote.Refused("next block's base fee " + nextBaseFee + " wei exceeds maxFeePerGasCap "
                    + config.maxFeePerGasCap() + " wei");
        }
        BigInteger priority = medianReward(h).max(config.minPriorityFee()).min(config.maxPriorityFeeCap());
        BigInteger maxFee = nextBaseFee.shiftLeft(1).add(priority).min(config.maxFeePerGasCap());
        priority = priority.min(maxFee);
        return new FeeQuote.Quoted(new Fees(maxFee, priority, false), nextBaseFee);
    }

    private FeeQuote legacy() {
        ChainResult<BigInteger> price = node.gasPrice();
        if (price instanceof ChainResult.Failed<BigInteger> f) {
            return new FeeQuote.Unavailable(f.failure());
        }
        BigInteger gasPrice = price.orElseThrow();
        if (gasPrice.compareTo(config.maxFeePerGasCap()) > 0) {
            return new FeeQuote.Refused("gas price " + gasPrice + " wei exceeds maxFeePerGasCap "
                    + config.maxFeePerGasCap() + " wei");
        }
        return new FeeQuote.Quoted(new Fees(gasPrice, gasPrice, true), BigInteger.ZERO);
    }

    private static BigInteger medianReward(EthFeeHistory.FeeHistory h) {
        List<BigInteger> rewards = new ArrayList<>();
        List<List<BigInteger>> perBlock = h.getReward();
        if (perBlock != null) {
            for (List<BigInteger> block : perBlock) {
                if (block != null && !block.isEmpty() && block.getFirst().signum() > 0) {
                    rewards.add(block.getFirst());
                }
            }
        }
        if (rewards.isEmpty()) {
            return BigInteger.ZERO;
        }
        rewards.sort(null);
        return rewards.get(rewards.size() / 2);
    }

    private static FeeQuote badAnswer(String reason) {
        return new FeeQuote.Unavailable(new ChainFailure(ChainFailure.Kind.BAD_RESPONSE, "eth_feeHistory", 0, reason));
    }
}
