package org.mpcwallet.bank.auth.persistence;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Plain JDBC on table {@code refresh_tokens} (hashes only); the caller owns the connection and transaction. */
@Singleton
public class RefreshTokenRepository {

    /** A stored refresh token (its hash, never the token). {@code revokedAt} is null while it is usable. */
    public record Stored(UUID id, UUID userId, UUID familyId, Instant expiresAt, Instant revokedAt) {
    }

    public void insert(Connection c, UUID id, byte[] tokenHash, UUID userId, UUID familyId, Instant createdAt,
                       Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into refresh_tokens "
                + "(id, token_hash, user_id, family_id, created_at, expires_at) values (?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setBytes(2, tokenHash);
            ps.setObject(3, userId);
            ps.setObject(4, familyId);
            ps.setTimestamp(5, Timestamp.from(createdAt));
            ps.setTimestamp(6, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
    }

    /** Finds the token by its hash and locks its row until the transaction ends. */
    public Optional<Stored> lockByHash(Connection c, byte[] tokenHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, user_id, family_id, expires_at, revoked_at "
                + "from refresh_tokens where token_hash = ? for update")) {
            ps.setBytes(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp revoked = rs.getTimestamp("revoked_at");
                return Optional.of(new Stored(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getObject("family_id", UUID.class), rs.getTimestamp("expires_at").toInstant(),
                        revoked == null ? null : revoked.toInstant()));
            }
        }
    }

    /** Marks a token as rotated into {@code replacedBy}. */
    public void markRotated(Connection c, UUID id, UUID replacedBy, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update refresh_tokens set revoked_at = ?, replaced_by = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, replacedBy);
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** Revokes every still-usable token of the family; returns how many. */
    public int revokeFamily(Connection c, UUID familyId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update refresh_tokens set revoked_at = ? where family_id = ? and revoked_at is null")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, familyId);
            return ps.executeUpdate();
        }
    }
}
