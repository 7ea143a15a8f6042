package org.mpcwallet.bank.mpc.persistence;

import jakarta.inject.Singleton;
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
import org.mpcwallet.bank.mpc.domain.Incident;

/**
 * JDBC access to the channel's side of {@code incidents} (a key locked by a failed signature) and
 * {@code refresh_authorizations} (an ADMIN's permission for one refresh); the caller owns the transaction.
 */
@Singleton
public class KeyIncidentRepository {

    /**
     * A page of incidents, oldest first, in {@code status} and of {@code walletId} (null: any), created in [from, to)
     * (null: unbounded), after {@code after}; limit + 1 rows.
     */
    public List<Incident> page(Connection c, String status, UUID walletId, java.time.Instant from,
                               java.time.Instant to, org.mpcwallet.bank.paging.Cursors.TimeKey after, int limit)
            throws SQLException {
        org.mpcwallet.bank.db.Keyset q = new org.mpcwallet.bank.db.Keyset("");
        if (status != null) {
            q.and("status = ?", status);
        }
        if (walletId != null) {
            q.and("wallet_id = ?", walletId);
        }
        q.created(from, to);
        return q.page(c, "select id, kind, wallet_id, keyset_id, session_id, detail, status, created_at, resolved_at "
                + "from incidents", after, false, limit, rs -> {
                    Timestamp resolved = rs.getTimestamp(9);
                    return new Incident(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                            rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7),
                            rs.getTimestamp(8).toInstant(), resolved == null ? null : resolved.toInstant());
                });
    }

    public boolean keyLockOpen(Connection c, UUID walletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from incidents where wallet_id = ? and "
                + "kind = 'KEY_LOCKED' and status = 'OPEN'")) {
            ps.setObject(1, walletId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void openKeyLock(Connection c, UUID incidentId, UUID walletId, String keysetId, UUID sessionId,
                            String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into incidents (id, kind, wallet_id, keyset_id, "
                + "session_id, detail, status, created_at) values (?, 'KEY_LOCKED', ?, ?, ?, ?, 'OPEN', ?)")) {
            ps.setObject(1, incidentId);
            ps.setObject(2, walletId);
            ps.setString(3, keysetId);
            ps.setObject(4, sessionId);
            ps.setString(5, detail);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /** Resolves the wallet's open KEY_LOCKED incidents (a refresh replaced the shares); returns how many. */
    public int resolveKeyLocks(Connection c, UUID walletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update incidents set status = 'RESOLVED', "
                + "resolved_at = now() where wallet_id = ? and kind = 'KEY_LOCKED' and status = 'OPEN'")) {
            ps.setObject(1, walletId);
            return ps.executeUpdate();
        }
    }

    /** Resolves the wallet's open KEY_LOCKED incidents at {@code at} (the key was rotated and swept). */
    public void resolveKeyLocks(Connection c, UUID walletId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update incidents set status = 'RESOLVED', resolved_at = ? "
                + "where wallet_id = ? and kind = 'KEY_LOCKED' and status = 'OPEN'")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, walletId);
            ps.executeUpdate();
        }
    }

    /** Until when the wallet's open refresh authorization (unused, valid at {@code now}) runs, if it has one. */
    public Optional<Instant> openRefreshAuthorizationUntil(Connection c, UUID walletId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select expires_at from refresh_authorizations where "
                + "wallet_id = ? and used_at is null and expires_at > ? limit 1")) {
            ps.setObject(1, walletId);
            ps.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    /** Records an ADMIN's refresh authorization. */
    public void insertRefreshAuthorization(Connection c, UUID id, UUID walletId, UUID authorizedBy, String reason,
                                           Instant createdAt, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into refresh_authorizations (id, wallet_id, "
                + "authorized_by, reason, created_at, expires_at) values (?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setObject(2, walletId);
            ps.setObject(3, authorizedBy);
            ps.setString(4, reason);
            ps.setTimestamp(5, Timestamp.from(createdAt));
            ps.setTimestamp(6, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
    }

    /** The wallet's oldest unused, unexpired refresh authorization (locked until the transaction ends), or null. */
    public UUID openRefreshAuthorization(Connection c, UUID walletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from refresh_authorizations where wallet_id = ? and "
                + "used_at is null and expires_at > now() order by created_at limit 1 for update")) {
            ps.setObject(1, walletId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    /** Marks the wallet's oldest open refresh authorization used by {@code sessionId}. */
    public void useRefreshAuthorization(Connection c, UUID walletId, UUID sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update refresh_authorizations set used_at = now(), "
                + "session_id = ? where id = (select id from refresh_authorizations where wallet_id = ? "
                + "and used_at is null and expires_at > now() order by created_at limit 1)")) {
            ps.setObject(1, sessionId);
            ps.setObject(2, walletId);
            ps.executeUpdate();
        }
    }
}
