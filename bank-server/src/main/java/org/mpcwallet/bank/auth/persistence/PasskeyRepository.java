package org.mpcwallet.bank.auth.persistence;

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

/** Tables {@code passkeys}, {@code passkey_challenges} and {@code step_up_grants} (V24). */
@Singleton
public class PasskeyRepository {

    /** A registered passkey: its public part and the authenticator's state as last seen. */
    public record Passkey(UUID id, UUID userId, byte[] credentialId, byte[] credentialData, long signCount,
                          boolean uvInitialized, boolean backupEligible, boolean backupState, String name,
                          Instant createdAt, Instant lastUsedAt) {
    }

    /** A challenge handed out; {@code usedAt} is set once it was answered (rightly or not). */
    public record Challenge(UUID userId, String purpose, byte[] challenge, Instant expiresAt, Instant usedAt) {
    }

    /** A step-up grant as found, before it is spent. */
    public record Grant(UUID userId, UUID passkeyId, Instant expiresAt, Instant usedAt) {
    }

    private static final String PASSKEY_COLUMNS = "id, user_id, credential_id, credential_data, sign_count, "
            + "uv_initialized, backup_eligible, backup_state, name, created_at, last_used_at";

    public void insert(Connection c, Passkey p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into passkeys (" + PASSKEY_COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, p.id());
            ps.setObject(2, p.userId());
            ps.setBytes(3, p.credentialId());
            ps.setBytes(4, p.credentialData());
            ps.setLong(5, p.signCount());
            ps.setBoolean(6, p.uvInitialized());
            ps.setBoolean(7, p.backupEligible());
            ps.setBoolean(8, p.backupState());
            ps.setString(9, p.name());
            ps.setTimestamp(10, Timestamp.from(p.createdAt()));
            ps.setTimestamp(11, p.lastUsedAt() == null ? null : Timestamp.from(p.lastUsedAt()));
            ps.executeUpdate();
        }
    }

    public List<Passkey> byUser(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + PASSKEY_COLUMNS
                + " from passkeys where user_id = ? order by created_at, id")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Passkey> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(passkey(rs));
                }
                return out;
            }
        }
    }

    /** The passkey with {@code credentialId}, row-locked (its counter moves on with each use). */
    public Optional<Passkey> lockByCredentialId(Connection c, byte[] credentialId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + PASSKEY_COLUMNS
                + " from passkeys where credential_id = ? for update")) {
            ps.setBytes(1, credentialId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(passkey(rs)) : Optional.empty();
            }
        }
    }

    public void used(Connection c, UUID id, long signCount, boolean backupState, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update passkeys set sign_count = ?, backup_state = ?, "
                + "last_used_at = ? where id = ?")) {
            ps.setLong(1, signCount);
            ps.setBoolean(2, backupState);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setObject(4, id);
            ps.executeUpdate();
        }
    }

    private static Passkey passkey(ResultSet rs) throws SQLException {
        Timestamp last = rs.getTimestamp(11);
        return new Passkey(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getBytes(3), rs.getBytes(4),
                rs.getLong(5), rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8), rs.getString(9),
                rs.getTimestamp(10).toInstant(), last == null ? null : last.toInstant());
    }

    public void insertChallenge(Connection c, byte[] tokenHash, UUID userId, String purpose, byte[] challenge,
                                Instant at, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into passkey_challenges (token_hash, user_id, purpose, "
                + "challenge, created_at, expires_at) values (?, ?, ?, ?, ?, ?)")) {
            ps.setBytes(1, tokenHash);
            ps.setObject(2, userId);
            ps.setString(3, purpose);
            ps.setBytes(4, challenge);
            ps.setTimestamp(5, Timestamp.from(at));
            ps.setTimestamp(6, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
        // answered and stale challenges are of no use to anyone: a day later they go
        try (PreparedStatement ps = c.prepareStatement("delete from passkey_challenges where expires_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(at.minusSeconds(86_400)));
            ps.executeUpdate();
        }
    }

    /** Spends the challenge of {@code tokenHash}: returns it as it was before (usedAt null when it was unused). */
    public Optional<Challenge> spendChallenge(Connection c, byte[] tokenHash, Instant at) throws SQLException {
        Optional<Challenge> found;
        try (PreparedStatement ps = c.prepareStatement("select user_id, purpose, challenge, expires_at, used_at "
                + "from passkey_challenges where token_hash = ? for update")) {
            ps.setBytes(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp used = rs.getTimestamp(5);
                found = Optional.of(new Challenge(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3),
                        rs.getTimestamp(4).toInstant(), used == null ? null : used.toInstant()));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("update passkey_challenges set used_at = coalesce(used_at, ?) "
                + "where token_hash = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setBytes(2, tokenHash);
            ps.executeUpdate();
        }
        return found;
    }

    public void insertGrant(Connection c, byte[] tokenHash, UUID userId, UUID passkeyId, Instant at, Instant expiresAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into step_up_grants (token_hash, user_id, passkey_id, "
                + "created_at, expires_at) values (?, ?, ?, ?, ?)")) {
            ps.setBytes(1, tokenHash);
            ps.setObject(2, userId);
            ps.setObject(3, passkeyId);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setTimestamp(5, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
    }

    /** The grant of {@code tokenHash}, row-locked, as it was; it is marked spent for {@code action} if it was not. */
    public Optional<Grant> spendGrant(Connection c, byte[] tokenHash, String action, Instant at) throws SQLException {
        Optional<Grant> found;
        try (PreparedStatement ps = c.prepareStatement("select user_id, passkey_id, expires_at, used_at "
                + "from step_up_grants where token_hash = ? for update")) {
            ps.setBytes(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp used = rs.getTimestamp(4);
                found = Optional.of(new Grant(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).toInstant(), used == null ? null : used.toInstant()));
            }
        }
        if (found.get().usedAt() == null) {
            try (PreparedStatement ps = c.prepareStatement("update step_up_grants set used_at = ?, used_for = ? "
                    + "where token_hash = ?")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, action);
                ps.setBytes(3, tokenHash);
                ps.executeUpdate();
            }
        }
        return found;
    }
}
