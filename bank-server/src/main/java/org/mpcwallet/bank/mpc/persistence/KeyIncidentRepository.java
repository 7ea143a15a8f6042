package org.mpcwallet.bank.mpc.persistence;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * JDBC access to the channel's side of {@code incidents} (a key locked by a failed signature) and
 * {@code refresh_authorizations} (an ADMIN's permission for one refresh); the caller owns the transaction.
 */
@Singleton
public class KeyIncidentRepository {

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
