package org.mpcwallet.bank.pipeline.transfer.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Rotations of wallets whose key locked and the transaction requests that sweep them (tables
 * {@code wallet_rotations}, {@code sweep_requests}; docs/key-rotation.md). Every method works in the caller's
 * transaction.
 */
public final class SweepStore {
    /** The statuses a request never leaves. */
    private static final String TERMINAL = "'FINALIZED', 'KYT_BLOCKED', 'POLICY_BLOCKED', 'REJECTED', 'FAILED_SIGN'";

    private SweepStore() {
    }

    /** A wallet's rotation: its successor, why, who authorized it, and when the old wallet was retired. */
    public record Rotation(UUID oldWalletId, UUID newWalletId, String reason, UUID authorizedBy, Instant createdAt,
                           Instant retiredAt) {
    }

    public static void insertRotation(Connection c, Rotation r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into wallet_rotations (old_wallet_id, new_wallet_id, "
                + "reason, authorized_by, created_at) values (?, ?, ?, ?, ?)")) {
            ps.setObject(1, r.oldWalletId());
            ps.setObject(2, r.newWalletId());
            ps.setString(3, r.reason());
            ps.setObject(4, r.authorizedBy());
            ps.setTimestamp(5, Timestamp.from(r.createdAt()));
            ps.executeUpdate();
        }
    }

    /** The rotation of {@code oldWalletId}, row-locked when {@code forUpdate}. */
    public static Optional<Rotation> rotation(Connection c, UUID oldWalletId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select old_wallet_id, new_wallet_id, reason, authorized_by, "
                + "created_at, retired_at from wallet_rotations where old_wallet_id = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setObject(1, oldWalletId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp retired = rs.getTimestamp(6);
                return Optional.of(new Rotation(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getObject(4, UUID.class), rs.getTimestamp(5).toInstant(),
                        retired == null ? null : retired.toInstant()));
            }
        }
    }

    public static void markRetired(Connection c, UUID oldWalletId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update wallet_rotations set retired_at = ? where "
                + "old_wallet_id = ? and retired_at is null")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, oldWalletId);
            ps.executeUpdate();
        }
    }

    public static void insertSweep(Connection c, UUID txRequestId, UUID oldWalletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into sweep_requests (tx_request_id, old_wallet_id) "
                + "values (?, ?)")) {
            ps.setObject(1, txRequestId);
            ps.setObject(2, oldWalletId);
            ps.executeUpdate();
        }
    }

    /** The successor wallet a sweep request pays, or empty if {@code txRequestId} is not a sweep. */
    public static Optional<UUID> sweepTarget(Connection c, UUID txRequestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select r.new_wallet_id from sweep_requests s join "
                + "wallet_rotations r on r.old_wallet_id = s.old_wallet_id where s.tx_request_id = ?")) {
            ps.setObject(1, txRequestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    /** {@link #sweepTarget} of many requests in one query (a page of a list): request id to successor wallet. */
    public static java.util.Map<UUID, UUID> sweepTargets(Connection c, java.util.Collection<UUID> txRequestIds)
            throws SQLException {
        java.util.Map<UUID, UUID> out = new java.util.HashMap<>();
        if (txRequestIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select s.tx_request_id, r.new_wallet_id from sweep_requests s "
                + "join wallet_rotations r on r.old_wallet_id = s.old_wallet_id where s.tx_request_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", txRequestIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                }
            }
        }
        return out;
    }

    /** Whether the sign request belongs to a sweep's transaction request. */
    public static boolean isSweepSignRequest(Connection c, UUID signRequestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from sweep_requests s join tx_requests t on t.id = "
                + "s.tx_request_id where t.sign_request_id = ?")) {
            ps.setObject(1, signRequestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** How many of the wallet's requests hold a signed transaction that is not final yet. */
    public static int signedNotFinal(Connection c, UUID walletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from tx_requests where wallet_id = ? and "
                + "status in ('SIGNED', 'BROADCAST_PENDING', 'BROADCASTED', 'CONFIRMING', 'CONFIRMED', "
                + "'FAILED_BROADCAST')")) {
            ps.setObject(1, walletId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Rotated wallets that are still ACTIVE and not retired although a sweep of theirs reached FINALIZED and none is
     * open any more (their retirement was cut off: the signer unavailable, or a crash right after the commit), the
     * latest finalized sweep first, at most {@code limit}. A wallet whose signer still has sweeps left (one of its
     * sweeps was rejected or blocked) stays a candidate until an ADMIN sweeps it again; newest first, so such wallets
     * never keep a newly swept one from being looked at.
     */
    public static List<UUID> sweptNotRetired(Connection c, int limit) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select r.old_wallet_id from wallet_rotations r join wallets w "
                + "on w.id = r.old_wallet_id where r.retired_at is null and w.status = 'ACTIVE' and exists (select 1 "
                + "from sweep_requests s join tx_requests t on t.id = s.tx_request_id where s.old_wallet_id = "
                + "r.old_wallet_id and t.status = 'FINALIZED') and not exists (select 1 from sweep_requests s join "
                + "tx_requests t on t.id = s.tx_request_id where s.old_wallet_id = r.old_wallet_id and t.status not in "
                + "(" + TERMINAL + ")) order by (select max(t.status_since) from sweep_requests s join tx_requests t "
                + "on t.id = s.tx_request_id where s.old_wallet_id = r.old_wallet_id and t.status = 'FINALIZED') "
                + "desc, r.old_wallet_id limit ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    /** How many of the wallet's sweep requests are not in a terminal status yet. */
    public static int openSweeps(Connection c, UUID oldWalletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from sweep_requests s join tx_requests t on "
                + "t.id = s.tx_request_id where s.old_wallet_id = ? and t.status not in (" + TERMINAL + ")")) {
            ps.setObject(1, oldWalletId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
