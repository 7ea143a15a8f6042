package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Rotations of wallets whose key locked and the transaction requests that sweep them (tables
 * {@code wallet_rotations}, rows {@link WalletRotation}, and {@code sweep_requests}, rows {@link SweepRequest};
 * docs/key-rotation.md), Micronaut Data JDBC, in the caller's Micronaut transaction. The row-locking read refuses to
 * run outside a transaction. {@link #sweepTargets} runs on the injected {@link JdbcOperations} (its parameter is a
 * {@code uuid[]}, which Micronaut Data does not bind).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class SweepRepository implements GenericRepository<SweepRequest, UUID> {
    /** The statuses a request never leaves. */
    private static final String TERMINAL = "'FINALIZED', 'KYT_BLOCKED', 'POLICY_BLOCKED', 'REJECTED', 'FAILED_SIGN'";

    private static final String ROTATION_COLUMNS = "old_wallet_id, new_wallet_id, reason, authorized_by, created_at, "
            + "retired_at";

    @Inject
    JdbcOperations jdbc;

    public void insertRotation(WalletRotation r) {
        insertRotation(r.oldWalletId(), r.newWalletId(), r.reason(), r.authorizedBy(), r.createdAt());
    }

    @Query("insert into wallet_rotations (old_wallet_id, new_wallet_id, reason, authorized_by, created_at) "
            + "values (:oldWalletId, :newWalletId, :reason, :authorizedBy, :createdAt)")
    protected abstract void insertRotation(UUID oldWalletId, UUID newWalletId, String reason, UUID authorizedBy,
                                           Instant createdAt);

    /** The rotation of {@code oldWalletId}, row-locked when {@code forUpdate} (then only inside a transaction). */
    public Optional<WalletRotation> rotation(UUID oldWalletId, boolean forUpdate) {
        return forUpdate ? lockRotation(oldWalletId) : rotationRow(oldWalletId);
    }

    @Query("select " + ROTATION_COLUMNS + " from wallet_rotations where old_wallet_id = :oldWalletId")
    protected abstract Optional<WalletRotation> rotationRow(UUID oldWalletId);

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select " + ROTATION_COLUMNS + " from wallet_rotations where old_wallet_id = :oldWalletId for update")
    protected abstract Optional<WalletRotation> lockRotation(UUID oldWalletId);

    @Query("update wallet_rotations set retired_at = :at where old_wallet_id = :oldWalletId and retired_at is null")
    public abstract void markRetired(UUID oldWalletId, Instant at);

    @Query("insert into sweep_requests (tx_request_id, old_wallet_id) values (:txRequestId, :oldWalletId)")
    public abstract void insertSweep(UUID txRequestId, UUID oldWalletId);

    /** The successor wallet a sweep request pays, or empty if {@code txRequestId} is not a sweep. */
    @Query("select r.new_wallet_id from sweep_requests s join wallet_rotations r on r.old_wallet_id = "
            + "s.old_wallet_id where s.tx_request_id = :txRequestId")
    public abstract Optional<UUID> sweepTarget(UUID txRequestId);

    /** {@link #sweepTarget} of many requests in one query (a page of a list): request id to successor wallet. */
    public Map<UUID, UUID> sweepTargets(Collection<UUID> txRequestIds) {
        Map<UUID, UUID> out = new HashMap<>();
        if (txRequestIds.isEmpty()) {
            return out;
        }
        return jdbc.execute(c -> {
            try (var ps = c.prepareStatement("select s.tx_request_id, r.new_wallet_id from sweep_requests s "
                    + "join wallet_rotations r on r.old_wallet_id = s.old_wallet_id where s.tx_request_id = any (?)")) {
                ps.setArray(1, c.createArrayOf("uuid", txRequestIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                    }
                }
            }
            return out;
        });
    }

    /** Whether the sign request belongs to a sweep's transaction request. */
    @Query("select exists (select 1 from sweep_requests s join tx_requests t on t.id = s.tx_request_id "
            + "where t.sign_request_id = :signRequestId)")
    public abstract boolean isSweepSignRequest(UUID signRequestId);

    /** How many of the wallet's requests hold a signed transaction that is not final yet. */
    @Query("select count(*) from tx_requests where wallet_id = :walletId and status in ('SIGNED', "
            + "'BROADCAST_PENDING', 'BROADCASTED', 'CONFIRMING', 'CONFIRMED', 'FAILED_BROADCAST')")
    public abstract int signedNotFinal(UUID walletId);

    /**
     * Rotated wallets that are still ACTIVE and not retired although a sweep of theirs reached FINALIZED and none is
     * open any more (their retirement was cut off: the signer unavailable, or a crash right after the commit), the
     * latest finalized sweep first, at most {@code limit}. A wallet whose signer still has sweeps left (one of its
     * sweeps was rejected or blocked) stays a candidate until an ADMIN sweeps it again; newest first, so such wallets
     * never keep a newly swept one from being looked at. Reads {@code wallets} (the wallet feature's table).
     */
    @Query("select r.old_wallet_id from wallet_rotations r join wallets w "
            + "on w.id = r.old_wallet_id where r.retired_at is null and w.status = 'ACTIVE' and exists (select 1 "
            + "from sweep_requests s join tx_requests t on t.id = s.tx_request_id where s.old_wallet_id = "
            + "r.old_wallet_id and t.status = 'FINALIZED') and not exists (select 1 from sweep_requests s join "
            + "tx_requests t on t.id = s.tx_request_id where s.old_wallet_id = r.old_wallet_id and t.status not in "
            + "(" + TERMINAL + ")) order by (select max(t.status_since) from sweep_requests s join tx_requests t "
            + "on t.id = s.tx_request_id where s.old_wallet_id = r.old_wallet_id and t.status = 'FINALIZED') "
            + "desc, r.old_wallet_id limit :limit")
    public abstract List<UUID> sweptNotRetired(int limit);

    /** How many of the wallet's sweep requests are not in a terminal status yet. */
    @Query("select count(*) from sweep_requests s join tx_requests t on t.id = s.tx_request_id "
            + "where s.old_wallet_id = :oldWalletId and t.status not in (" + TERMINAL + ")")
    public abstract int openSweeps(UUID oldWalletId);
}
