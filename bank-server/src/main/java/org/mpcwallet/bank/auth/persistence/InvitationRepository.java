package org.mpcwallet.bank.auth.persistence;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Table {@code staff_invitations} (V23), and the user row an accepted invitation enables. */
@Singleton
public class InvitationRepository {

    /** An invitation with its user's name and roles. */
    public record Pending(UUID userId, String username, List<String> roles, byte[] codeHash, Instant expiresAt,
                          Instant acceptedAt) {
    }

    public void insert(Connection c, UUID userId, byte[] codeHash, UUID createdBy, Instant at, Instant expiresAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into staff_invitations (user_id, code_hash, "
                + "created_by, created_at, expires_at) values (?, ?, ?, ?, ?)")) {
            ps.setObject(1, userId);
            ps.setBytes(2, codeHash);
            ps.setObject(3, createdBy);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setTimestamp(5, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
    }

    /** The invitation of {@code username}, row-locked, if there is one. */
    public Optional<Pending> lockByUsername(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select i.user_id, u.username, u.roles, i.code_hash, "
                + "i.expires_at, i.accepted_at from staff_invitations i join users u on u.id = i.user_id "
                + "where u.username = ? for update of i")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp accepted = rs.getTimestamp(6);
                return Optional.of(new Pending(rs.getObject(1, UUID.class), rs.getString(2),
                        Arrays.asList((String[]) rs.getArray(3).getArray()), rs.getBytes(4),
                        rs.getTimestamp(5).toInstant(), accepted == null ? null : accepted.toInstant()));
            }
        }
    }

    /** Accepts: the password is set, the account enabled (its tokens' version moves on), the code spent. */
    public void accept(Connection c, UUID userId, String passwordHash, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update users set password_hash = ?, disabled = false, "
                + "auth_version = auth_version + 1 where id = ?")) {
            ps.setString(1, passwordHash);
            ps.setObject(2, userId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update staff_invitations set accepted_at = ? "
                + "where user_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, userId);
            ps.executeUpdate();
        }
    }
}
