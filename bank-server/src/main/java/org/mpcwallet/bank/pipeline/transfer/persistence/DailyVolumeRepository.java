package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/**
 * Table {@code daily_volumes}: a wallet's outgoing volume per UTC day and asset (docs/custody-pipeline.md "Controls"),
 * Micronaut Data JDBC, in the caller's Micronaut transaction when there is one. {@link #reserve} adds an amount only
 * if the total stays within the limit, in one statement: concurrent requests on any number of instances cannot
 * overshoot the limit together. That statement runs as written on the injected {@link JdbcOperations} (in the
 * caller's transaction): as a native {@code @Query} returning {@code Optional<BigDecimal>}, Micronaut Data's
 * insert-returning gave null instead of the returned row in {@code DailyVolumeRepositoryTest}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class DailyVolumeRepository implements GenericRepository<DailyVolume, UUID> {
    @Inject
    JdbcOperations jdbc;

    /** The volume used on {@code day} (zero when nothing was reserved). */
    public BigInteger used(UUID walletId, LocalDate day, String asset) {
        return total(walletId, day, asset).map(BigDecimal::toBigIntegerExact).orElse(BigInteger.ZERO);
    }

    /**
     * Adds {@code amount} to the day's total if {@code limit} (null: no limit) still holds afterwards; returns
     * whether it was added.
     */
    public boolean reserve(UUID walletId, LocalDate day, String asset, BigInteger amount, @Nullable BigInteger limit) {
        if (amount == null || amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        if (limit != null && amount.compareTo(limit) > 0) {
            return false;
        }
        BigDecimal l = limit == null ? null : new BigDecimal(limit);
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into daily_volumes as v (wallet_id, day, asset, "
                    + "total, tx_count) values (?, ?, ?, ?, 1) on conflict (wallet_id, day, asset) do update set "
                    + "total = v.total + excluded.total, tx_count = v.tx_count + 1 where ?::numeric is null or "
                    + "v.total + excluded.total <= ?::numeric returning total")) {
                ps.setObject(1, walletId);
                ps.setDate(2, Date.valueOf(day));
                ps.setString(3, asset);
                ps.setBigDecimal(4, new BigDecimal(amount));
                ps.setBigDecimal(5, l);
                ps.setBigDecimal(6, l);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Gives back a reservation (a request that did not go through). */
    public void release(UUID walletId, LocalDate day, String asset, BigInteger amount) {
        subtract(new BigDecimal(amount), walletId, day, asset);
    }

    @Query("select total from daily_volumes where wallet_id = :walletId and day = :day and asset = :asset")
    protected abstract Optional<BigDecimal> total(UUID walletId, LocalDate day, String asset);

    @Query("update daily_volumes set total = greatest(total - :amount, 0), tx_count = greatest(tx_count - 1, 0) "
            + "where wallet_id = :walletId and day = :day and asset = :asset")
    protected abstract void subtract(BigDecimal amount, UUID walletId, LocalDate day, String asset);
}
