package org.mpcwallet.bank.pipeline;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.math.BigInteger;

/**
 * The custody pipeline's settings (prefix {@code bank.pipeline}; docs/custody-pipeline.md).
 *
 * @param ethRpcUrl            ETH_RPC_URL: the Ethereum JSON-RPC node; blank: no chain (scripts/bank starts a local
 *                             anvil for development and sets it)
 * @param confirmationBlocks   CONFIRMATION_BLOCKS: confirmations before CONFIRMED (the mined block counts as 1)
 * @param kytBlacklist         KYT_BLACKLIST: comma-separated addresses screened BLOCK
 * @param kytGraylist          KYT_GRAYLIST: comma-separated addresses screened REVIEW (a case is opened)
 * @param maxFeePerGasCapWei   BANK_MAX_FEE_PER_GAS_WEI: the highest maxFeePerGas the bank signs
 * @param maxPriorityFeeCapWei BANK_MAX_PRIORITY_FEE_WEI: the highest priority fee the bank signs
 * @param workerIntervalMillis BANK_PIPELINE_INTERVAL_MS: how often the worker claims work (0: never by itself)
 * @param workerBatch          BANK_PIPELINE_BATCH: requests claimed per round
 * @param workerThreads        BANK_PIPELINE_THREADS: claimed requests stepped at once (each in its own transactions)
 * @param stepsPerRound        BANK_PIPELINE_STEPS_PER_ROUND: steps a request may take in one round while each moves
 *                             it and leaves it due at once (SUBMITTED to SIGN_PENDING, SIGNED to BROADCASTED, …)
 * @param traceInternalTransfers BANK_TRACE_INTERNAL_TRANSFERS: the chain listener also finds ETH deposits made by
 *                             contracts, from the node's call traces (docs/custody-pipeline.md "What is a deposit")
 * @param approvalWindowHours  BANK_APPROVAL_WINDOW_HOURS: how long a transfer waits in APPROVAL_PENDING for its votes;
 *                             then it is REJECTED as expired (docs/admin-console.md "Approvals queue")
 */
@ConfigurationProperties("bank.pipeline")
public record PipelineConfig(
        @Nullable String ethRpcUrl,
        @Min(1) @Max(1000) int confirmationBlocks,
        @Nullable String kytBlacklist,
        @Nullable String kytGraylist,
        @Min(1) long maxFeePerGasCapWei,
        @Min(0) long maxPriorityFeeCapWei,
        @Min(0) @Max(60_000) int workerIntervalMillis,
        @Min(1) @Max(1000) int workerBatch,
        @Bindable(defaultValue = "4") @Min(1) @Max(64) int workerThreads,
        @Bindable(defaultValue = "8") @Min(1) @Max(100) int stepsPerRound,
        @Bindable(defaultValue = "true") boolean traceInternalTransfers,
        @Bindable(defaultValue = "72") @Min(1) @Max(24 * 90) int approvalWindowHours) {

    public PipelineConfig {
        ethRpcUrl = ethRpcUrl == null || ethRpcUrl.isBlank() ? null : ethRpcUrl.strip();
        kytBlacklist = kytBlacklist == null ? "" : kytBlacklist;
        kytGraylist = kytGraylist == null ? "" : kytGraylist;
    }

    public BigInteger maxFeeCap() {
        return BigInteger.valueOf(maxFeePerGasCapWei);
    }

    public BigInteger priorityCap() {
        return BigInteger.valueOf(maxPriorityFeeCapWei);
    }
}
