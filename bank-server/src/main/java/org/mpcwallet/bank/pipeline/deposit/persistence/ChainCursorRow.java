package org.mpcwallet.bank.pipeline.deposit.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A row of {@code chain_cursor} (V7, V8's {@code last_block_hash}): the chain listener's position on one chain
 * ({@code numeric(78)}); the hash is null for a cursor written before V8.
 */
@MappedEntity("chain_cursor")
public record ChainCursorRow(@Id BigDecimal chainId, long lastBlock, @Nullable byte[] lastBlockHash,
                             Instant updatedAt) {
}
