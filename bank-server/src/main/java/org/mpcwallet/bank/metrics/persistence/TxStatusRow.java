package org.mpcwallet.bank.metrics.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.util.UUID;

/** What the gauges read of a row of {@code tx_requests}: its status (the counts are aggregates over it). */
@MappedEntity("tx_requests")
public record TxStatusRow(@Id UUID id, String status) {
}
