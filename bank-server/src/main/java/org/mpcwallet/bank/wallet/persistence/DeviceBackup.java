package org.mpcwallet.bank.wallet.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code device_backups} (V19): the customer's device share sealed under their recovery code (the bank
 * cannot open it), the bank's key epoch when it was stored, who stored it and when.
 */
@MappedEntity("device_backups")
public record DeviceBackup(@Id UUID walletId, byte[] envelope, String sealedWith, long keyEpoch, UUID storedBy,
                           Instant storedAt) {
    @Override
    public String toString() {
        return "DeviceBackup[walletId=" + walletId + ", " + envelope.length + " bytes, keyEpoch=" + keyEpoch
                + ", storedAt=" + storedAt + "]";
    }
}
