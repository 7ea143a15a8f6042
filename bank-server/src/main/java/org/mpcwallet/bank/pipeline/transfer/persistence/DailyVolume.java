package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A row of {@code daily_volumes} (V7): a wallet's outgoing volume of one asset on one UTC day (the total in base
 * units and the number of transfers), keyed by wallet, day and asset.
 */
@MappedEntity("daily_volumes")
public record DailyVolume(UUID walletId, LocalDate day, String asset, BigDecimal total, int txCount) {
}
