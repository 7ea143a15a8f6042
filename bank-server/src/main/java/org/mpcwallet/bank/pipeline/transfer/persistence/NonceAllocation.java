package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;

/**
 * A row of {@code nonce_allocations} (V7): the next nonce of one address (lower case) on one chain, keyed by chain and
 * address. The numbers are {@code numeric(78)}.
 */
@MappedEntity("nonce_allocations")
public record NonceAllocation(BigDecimal chainId, String address, BigDecimal nextNonce) {
}
