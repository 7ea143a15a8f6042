package org.mpcwallet.bank.pipeline.transfer.domain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code tx_requests} (docs/custody-pipeline.md "Tables"). Byte arrays are copied in and out.
 *
 * @param asset        {@code ETH} or a registered token symbol
 * @param tokenAddress the token contract (lower case), null for ETH
 * @param amount       in the asset's base units (wei for ETH)
 */
public record TxRequest(UUID id, UUID walletId, UUID createdBy, TxStatus status, long version, String asset,
                        String tokenAddress, String toAddress, BigInteger amount, String note, String kytVerdict,
                        UUID kytCaseId, String policyResult, String policyRules, int requiredApprovals,
                        BigInteger chainId, BigInteger nonce, BigInteger maxFeePerGas,
                        BigInteger maxPriorityFeePerGas, BigInteger gasLimit, UUID signRequestId, int signFailures,
                        byte[] rawTransaction, byte[] txHash, int broadcastAttempts, Instant nextAttemptAt,
                        String lastError, Long blockNumber, int confirmations, Instant createdAt, Instant updatedAt) {
    public TxRequest {
        rawTransaction = rawTransaction == null ? null : rawTransaction.clone();
        txHash = txHash == null ? null : txHash.clone();
    }

    /**
     * A transfer as it is submitted (a payment or a sweep): SUBMITTED, version 0, due {@code now}; the fields of the
     * later steps (screening, policies, signing, broadcast) are not set yet.
     */
    public static TxRequest submitted(UUID id, UUID walletId, UUID createdBy, String asset, String tokenAddress,
                                      String toAddress, BigInteger amount, String note, Instant now) {
        return new TxRequest(id, walletId, createdBy, TxStatus.SUBMITTED, 0, asset, tokenAddress, toAddress, amount,
                note, null, null, null, null, 0, null, null, null, null, null, null, 0, null, null, 0, now, null, null,
                0, now, now);
    }

    @Override
    public byte[] rawTransaction() {
        return rawTransaction == null ? null : rawTransaction.clone();
    }

    @Override
    public byte[] txHash() {
        return txHash == null ? null : txHash.clone();
    }

    /** {@code 0x…} hash, or null before signing. */
    public String txHashHex() {
        return txHash == null ? null : "0x" + java.util.HexFormat.of().formatHex(txHash);
    }
}
