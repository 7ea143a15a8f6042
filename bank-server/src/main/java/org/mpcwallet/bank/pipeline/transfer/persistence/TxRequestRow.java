package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.domain.TxStatus;

/**
 * The columns of {@code tx_requests} (V7, V22's {@code status_since} and V9's {@code tx_type} and {@code gas_price}
 * left out) that make a {@link TxRequest}. The amounts are {@code numeric(78)}. Read only through the repository's
 * native queries and {@code JdbcOperations.readEntity}; written by its statements as they are.
 */
@MappedEntity("tx_requests")
public record TxRequestRow(@Id UUID id, UUID walletId, UUID createdBy, String status, long version, String asset,
                           @Nullable String tokenAddress, String toAddress, BigDecimal amount, @Nullable String note,
                           @Nullable String kytVerdict, @Nullable UUID kytCaseId, @Nullable String policyResult,
                           @Nullable String policyRules, int requiredApprovals, @Nullable BigDecimal chainId,
                           @Nullable BigDecimal nonce, @Nullable BigDecimal maxFeePerGas,
                           @Nullable BigDecimal maxPriorityFeePerGas, @Nullable BigDecimal gasLimit,
                           @Nullable UUID signRequestId, int signFailures, @Nullable byte[] rawTransaction,
                           @Nullable byte[] txHash, int broadcastAttempts, Instant nextAttemptAt,
                           @Nullable String lastError, @Nullable Long blockNumber, int confirmations,
                           Instant createdAt, Instant updatedAt) {

    /** The columns of a row, in the record's order. */
    static final String COLUMNS = "id, wallet_id, created_by, status, version, asset, token_address, "
            + "to_address, amount, note, kyt_verdict, kyt_case_id, policy_result, policy_rules, required_approvals, "
            + "chain_id, nonce, max_fee_per_gas, max_priority_fee_per_gas, gas_limit, sign_request_id, sign_failures, "
            + "raw_transaction, tx_hash, broadcast_attempts, next_attempt_at, last_error, block_number, confirmations, "
            + "created_at, updated_at";

    /** The domain request this row holds. */
    TxRequest toTxRequest() {
        return new TxRequest(id, walletId, createdBy, TxStatus.valueOf(status), version, asset, tokenAddress,
                toAddress, big(amount), note, kytVerdict, kytCaseId, policyResult, policyRules, requiredApprovals,
                big(chainId), big(nonce), big(maxFeePerGas), big(maxPriorityFeePerGas), big(gasLimit), signRequestId,
                signFailures, rawTransaction, txHash, broadcastAttempts, nextAttemptAt, lastError, blockNumber,
                confirmations, createdAt, updatedAt);
    }

    /**
     * The row of a result set that has the columns of {@code tx_requests} by name (a join's {@code t.*}), read by
     * hand: for the approvals queue's page ({@code ApprovalQueueStore}: a join whose SQL is built at run time).
     */
    static TxRequestRow read(ResultSet rs) throws SQLException {
        long block = rs.getLong("block_number");
        Long blockNumber = rs.wasNull() ? null : block;
        return new TxRequestRow(rs.getObject("id", UUID.class), rs.getObject("wallet_id", UUID.class),
                rs.getObject("created_by", UUID.class), rs.getString("status"), rs.getLong("version"),
                rs.getString("asset"), rs.getString("token_address"), rs.getString("to_address"),
                rs.getBigDecimal("amount"), rs.getString("note"), rs.getString("kyt_verdict"),
                rs.getObject("kyt_case_id", UUID.class), rs.getString("policy_result"), rs.getString("policy_rules"),
                rs.getInt("required_approvals"), rs.getBigDecimal("chain_id"), rs.getBigDecimal("nonce"),
                rs.getBigDecimal("max_fee_per_gas"), rs.getBigDecimal("max_priority_fee_per_gas"),
                rs.getBigDecimal("gas_limit"), rs.getObject("sign_request_id", UUID.class), rs.getInt("sign_failures"),
                rs.getBytes("raw_transaction"), rs.getBytes("tx_hash"), rs.getInt("broadcast_attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(), rs.getString("last_error"), blockNumber,
                rs.getInt("confirmations"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static BigInteger big(BigDecimal d) {
        return d == null ? null : d.toBigIntegerExact();
    }
}
