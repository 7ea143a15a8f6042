package org.mpcwallet.bank.pipeline.deposit.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code deposits} (V7, V8's {@code block_hash}, {@code token_address} and {@code updated_at}): a transfer
 * to a wallet, unique per {@code (chain_id, tx_hash, log_index)}. {@code chain_id} and {@code amount} are
 * {@code numeric(78)}, the hashes {@code bytea}.
 */
@MappedEntity("deposits")
public record DepositRow(@Id UUID id, UUID walletId, BigDecimal chainId, byte[] txHash, int logIndex, String asset,
                         @Nullable String tokenAddress, String fromAddress, BigDecimal amount, long blockNumber,
                         @Nullable byte[] blockHash, @Nullable String kytVerdict, @Nullable UUID kytCaseId,
                         String status, Instant createdAt, @Nullable Instant updatedAt) {

    /** The deposit this row holds (hashes as 0x-hex lower case). */
    DepositRepository.Deposit toDeposit() {
        return new DepositRepository.Deposit(id, walletId, chainId.longValueExact(), DepositRepository.hex(txHash),
                logIndex, asset, tokenAddress, fromAddress, amount.toBigIntegerExact(), blockNumber,
                DepositRepository.hex(blockHash), kytVerdict, kytCaseId, status, createdAt);
    }
}
