package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Durable per-address nonce allocation (docs/custody-pipeline.md "Tables"), table {@code nonce_allocations} on
 * Micronaut Data JDBC: one row per (chain, address) holding the next nonce; a reservation is a single
 * {@code update … returning} inside the caller's transaction, so two requests (on any number of bank-server
 * instances) never get the same nonce. The first reservation for an address seeds the row from the node's pending
 * transaction count. {@link #reserve} refuses to run outside a transaction (the reservation must commit or roll back
 * with the caller's work). The {@code update … returning} runs as written on the injected {@link JdbcOperations}, in
 * the caller's transaction: Micronaut Data maps a native update-returning to the row's id, not to the returned value.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class NonceAllocationRepository implements GenericRepository<NonceAllocation, UUID> {
    @Inject
    JdbcOperations jdbc;

    /**
     * Reserves the next nonce of {@code address} on {@code chainId} in the caller's transaction (the reservation
     * exists exactly when the caller commits).
     *
     * @param chainPending the node's pending nonce for the address, asked only when the address has no row yet
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public BigInteger reserve(BigInteger chainId, String address, Supplier<BigInteger> chainPending) {
        String addr = normalise(address);
        BigInteger got = take(chainId, addr);
        if (got != null) {
            return got;
        }
        BigInteger seed = chainPending.get();
        if (seed == null || seed.signum() < 0) {
            throw new IllegalArgumentException("the node's pending nonce must be a non-negative integer");
        }
        insertIfAbsent(new BigDecimal(chainId), addr, new BigDecimal(seed));
        return jdbc.prepareStatement(TAKE, ps -> {
            BigInteger again = take(ps, chainId, addr);
            if (again == null) {
                throw new SQLException("nonce row for " + addr + " vanished", "40001");
            }
            return again;
        });
    }

    /**
     * Sets the next nonce of {@code address} to the node's pending nonce, giving back nonces that were reserved but
     * will never be signed. Only for a locked key's sweep (docs/key-rotation.md): the key signs nothing but the
     * sweep, so no reserved nonce above the chain's is in use, provided no signed transaction of the address waits
     * for broadcast (the caller checks).
     */
    public void rebase(BigInteger chainId, String address, BigInteger chainPending) {
        if (chainPending == null || chainPending.signum() < 0) {
            throw new IllegalArgumentException("the node's pending nonce must be a non-negative integer");
        }
        upsert(new BigDecimal(chainId), normalise(address), new BigDecimal(chainPending));
    }

    /** The next nonce that would be reserved, or null if the address has no row (for inspection and tests). */
    public BigInteger peek(BigInteger chainId, String address) {
        return nextNonce(new BigDecimal(chainId), normalise(address)).map(BigDecimal::toBigIntegerExact).orElse(null);
    }

    @Query("insert into nonce_allocations (chain_id, address, next_nonce) values (:chainId, :address, :nextNonce) "
            + "on conflict do nothing")
    protected abstract void insertIfAbsent(BigDecimal chainId, String address, BigDecimal nextNonce);

    @Query("insert into nonce_allocations (chain_id, address, next_nonce) values (:chainId, :address, :nextNonce) "
            + "on conflict (chain_id, address) do update set next_nonce = excluded.next_nonce")
    protected abstract void upsert(BigDecimal chainId, String address, BigDecimal nextNonce);

    @Query("select next_nonce from nonce_allocations where chain_id = :chainId and address = :address")
    protected abstract Optional<BigDecimal> nextNonce(BigDecimal chainId, String address);

    private static final String TAKE = "update nonce_allocations set next_nonce = next_nonce + 1 "
            + "where chain_id = ? and address = ? returning next_nonce - 1";

    private BigInteger take(BigInteger chainId, String addr) {
        return jdbc.prepareStatement(TAKE, ps -> take(ps, chainId, addr));
    }

    private static BigInteger take(java.sql.PreparedStatement ps, BigInteger chainId, String addr)
            throws SQLException {
        ps.setBigDecimal(1, new BigDecimal(chainId));
        ps.setString(2, addr);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getBigDecimal(1).toBigIntegerExact() : null;
        }
    }

    private static String normalise(String address) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("address must be 0x followed by 40 hex digits");
        }
        return address.toLowerCase(Locale.ROOT);
    }
}
