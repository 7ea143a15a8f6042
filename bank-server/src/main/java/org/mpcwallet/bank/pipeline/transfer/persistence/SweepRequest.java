package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.util.UUID;

/** A row of {@code sweep_requests} (V13): a transaction request that sweeps a rotated wallet into its successor. */
@MappedEntity("sweep_requests")
public record SweepRequest(@Id UUID txRequestId, UUID oldWalletId) {
}
