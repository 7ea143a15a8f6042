package org.mpcwallet.bank.pipeline.deposit.persistence;

import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;

/**
 * A row of {@code chain_blocks} (V8): the hash of a block the chain listener scanned, keyed by chain
 * ({@code numeric(78)}) and number.
 */
@MappedEntity("chain_blocks")
public record ChainBlockRow(BigDecimal chainId, long number, byte[] hash) {
}
