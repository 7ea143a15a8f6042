package org.mpcwallet.bank.wallet.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Table {@code device_backups}, Micronaut Data JDBC; each statement commits by itself. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DeviceBackupRepository extends GenericRepository<DeviceBackup, UUID> {

    /** The copy of wallet {@code walletId}, if one is stored. */
    Optional<DeviceBackup> findById(UUID walletId);

    /** Stores the copy of a wallet, replacing the one before (one statement). */
    @Query("insert into device_backups (wallet_id, envelope, sealed_with, key_epoch, stored_by, stored_at) "
            + "values (:walletId, :envelope, :sealedWith, :keyEpoch, :storedBy, :storedAt) "
            + "on conflict (wallet_id) do update set envelope = excluded.envelope, sealed_with = excluded.sealed_with, "
            + "key_epoch = excluded.key_epoch, stored_by = excluded.stored_by, stored_at = excluded.stored_at")
    void upsert(UUID walletId, byte[] envelope, String sealedWith, long keyEpoch, UUID storedBy, Instant storedAt);

    /** Deletes the copy of a wallet; how many rows (0 or 1). */
    @Query("delete from device_backups where wallet_id = :walletId")
    int delete(UUID walletId);
}
