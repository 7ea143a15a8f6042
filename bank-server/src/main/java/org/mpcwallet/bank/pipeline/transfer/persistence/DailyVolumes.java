package org.mpcwallet.bank.pipeline.transfer.persistence;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A wallet's outgoing volume per UTC day and asset (docs/custody-pipeline.md "Controls"). {@link #reserve} adds an
 * amount only if the total stays within the limit, in one statement: concurrent requests on any number of
 * instances cannot overshoot the limit together.
 */
public final class DailyVolumes {
    private DailyVolumes() {
    }

    /** The volume used on {@code day} (zero when nothing was reserved). */
    public static BigInteger used(Connection c, UUID walletId, LocalDate day, String asset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select total from daily_volumes where wallet_id = ? and "
                + "day = ? and asset = ?")) {
            ps.setObject(1, walletId);
            ps.setDate(2, Date.valueOf(day));
            ps.setString(3, asset);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1).toBigIntegerExact() : BigInteger.ZERO;
            }
        }
    }

    /**
     * Adds {@code amount} to the day's total if {@code limit} (null: no limit) still holds afterwards; returns
     * whether it was added. Runs in the caller's transaction.
     */
    public static boolean reserve(Connection c, UUID walletId, LocalDate day, String asset, BigInteger amount,
                                  BigInteger limit) throws SQLException {
        if (amount == null || amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        if (limit != null && amount.compareTo(limit) > 0) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into daily_volumes as v (wallet_id, day, asset, total, "
                + "tx_count) values (?, ?, ?, ?, 1) on conflict (wallet_id, day, asset) do update set total = "
                + "v.total + excluded.total, tx_count = v.tx_count + 1 where ?::numeric is null or v.total + "
                + "excluded.total <= ?::numeric returning total")) {
            ps.setObject(1, walletId);
            ps.setDate(2, Date.valueOf(day));
            ps.setString(3, asset);
            ps.setBigDecimal(4, new BigDecimal(amount));
            BigDecimal l = limit == null ? null : new BigDecimal(limit);
            ps.setBigDecimal(5, l);
            ps.setBigDecimal(6, l);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Gives back a reservation (a request that did not go through). */
    public static void release(Connection c, UUID walletId, LocalDate day, String asset, BigInteger amount)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update daily_volumes set total = greatest(total - ?, 0), "
                + "tx_count = greatest(tx_count - 1, 0) where wallet_id = ? and day = ? and asset = ?")) {
            ps.setBigDecimal(1, new BigDecimal(amount));
            ps.setObject(2, walletId);
            ps.setDate(3, Date.valueOf(day));
            ps.setString(4, asset);
            ps.executeUpdate();
        }
    }
}
