package org.mpcwallet.bank.pipeline.transfer.persistence;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Durable per-address nonce allocation (docs/custody-pipeline.md "Tables"): one row per (chain, address) holding the
 * next nonce; a reservation is a single {@code update … returning} inside the caller's transaction, so two requests
 * (on any number of bank-server instances) never get the same nonce. The first reservation for an address seeds the
 * row from the node's pending transaction count.
 */
public final class NonceAllocator {
    private NonceAllocator() {
    }

    /**
     * Reserves the next nonce of {@code address} on {@code chainId} in {@code c}'s transaction (the reservation
     * exists exactly when the caller commits).
     *
     * @param chainPending the node's pending nonce for the address, asked only when the address has no row yet
     */
    public static BigInteger reserve(Connection c, BigInteger chainId, String address,
                                     Supplier<BigInteger> chainPending) throws SQLException {
        String addr = normalise(address);
        BigInteger got = take(c, chainId, addr);
        if (got != null) {
            return got;
        }
        BigInteger seed = chainPending.get();
        if (seed == null || seed.signum() < 0) {
            throw new IllegalArgumentException("the node's pending nonce must be a non-negative integer");
        }
        try (PreparedStatement ps = c.prepareStatement("insert into nonce_allocations (chain_id, address, next_nonce) "
                + "values (?, ?, ?) on conflict do nothing")) {
            ps.setBigDecimal(1, new BigDecimal(chainId));
            ps.setString(2, addr);
            ps.setBigDecimal(3, new BigDecimal(seed));
            ps.executeUpdate();
        }
        got = take(c, chainId, addr);
        if (got == null) {
            throw new SQLException("nonce row for " + addr + " vanished", "40001");
        }
        return got;
    }

    /**
     * Sets the next nonce of {@code address} to the node's pending nonce, giving back nonces that were reserved but
     * will never be signed. Only for a locked key's sweep (docs/key-rotation.md): the key signs nothing but the
     * sweep, so no reserved nonce above the chain's is in use, provided no signed transaction of the address waits
     * for broadcast (the caller checks).
     */
    public static void rebase(Connection c, BigInteger chainId, String address, BigInteger chainPending)
            throws SQLException {
        if (chainPending == null || chainPending.signum() < 0) {
            throw new IllegalArgumentException("the node's pending nonce must be a non-negative integer");
        }
        try (PreparedStatement ps = c.prepareStatement("insert into nonce_allocations (chain_id, address, next_nonce) "
                + "values (?, ?, ?) on conflict (chain_id, address) do update set next_nonce = excluded.next_nonce")) {
            ps.setBigDecimal(1, new BigDecimal(chainId));
            ps.setString(2, normalise(address));
            ps.setBigDecimal(3, new BigDecimal(chainPending));
            ps.executeUpdate();
        }
    }

    /** The next nonce that would be reserved, or null if the address has no row (for inspection and tests). */
    public static BigInteger peek(Connection c, BigInteger chainId, String address) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select next_nonce from nonce_allocations where chain_id = ? "
                + "and address = ?")) {
            ps.setBigDecimal(1, new BigDecimal(chainId));
            ps.setString(2, normalise(address));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1).toBigIntegerExact() : null;
            }
        }
    }

    private static BigInteger take(Connection c, BigInteger chainId, String addr) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update nonce_allocations set next_nonce = next_nonce + 1 "
                + "where chain_id = ? and address = ? returning next_nonce - 1")) {
            ps.setBigDecimal(1, new BigDecimal(chainId));
            ps.setString(2, addr);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1).toBigIntegerExact() : null;
            }
        }
    }

    private static String normalise(String address) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("address must be 0x followed by 40 hex digits");
        }
        return address.toLowerCase(Locale.ROOT);
    }
}
