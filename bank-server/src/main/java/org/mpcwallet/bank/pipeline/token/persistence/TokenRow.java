package org.mpcwallet.bank.pipeline.token.persistence;

import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A row of {@code tokens} (V7): an ERC-20 contract the bank handles on a chain, keyed by chain and symbol (the
 * address is unique per chain too). Only {@link TokenRepository} sees it; callers get {@link TokenRepository.Token}.
 */
@MappedEntity("tokens")
public record TokenRow(BigDecimal chainId, String symbol, String address, int decimals, Instant createdAt) {
}
