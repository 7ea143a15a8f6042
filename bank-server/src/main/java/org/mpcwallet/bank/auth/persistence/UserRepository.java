package org.mpcwallet.bank.auth.persistence;

import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.User;

/** Plain JDBC on table {@code users}; the caller owns the connection and transaction. */
@Singleton
public class UserRepository {
    /** What decides whether a user's tokens still hold: disabled, and the version bumped by every change of access. */
    public record AuthState(boolean disabled, long version) {
    }

    /** The user's {@link AuthState}, or empty for an unknown user. */
    public Optional<AuthState> authState(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select disabled, auth_version from users where id = ?")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new AuthState(rs.getBoolean(1), rs.getLong(2))) : Optional.empty();
            }
        }
    }

    /** A user's username and bank role names (sorted). */
    public record NamedRoles(String username, List<String> roles) {
    }

    /** The user's username and role names, the row locked {@code for update}; empty for an unknown user. */
    public Optional<NamedRoles> lockRoles(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select username, roles from users where id = ? for update")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new NamedRoles(rs.getString(1),
                        new ArrayList<>(new TreeSet<>(List.of((String[]) rs.getArray(2).getArray())))));
            }
        }
    }

    /** Replaces the user's bank roles with {@code roleNames} (the V15 trigger bumps the user's auth_version). */
    public void setRoles(Connection c, UUID userId, List<String> roleNames) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update users set roles = ? where id = ?")) {
            ps.setArray(1, c.createArrayOf("text", roleNames.toArray(new String[0])));
            ps.setObject(2, userId);
            ps.executeUpdate();
        }
    }

    /** The user's username, or empty for an unknown user. */
    public Optional<String> username(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select username from users where id = ?")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static final String COLUMNS = "id, username, email, password_hash, roles, created_at, disabled";

    /** Inserts the user; returns false when the username or email is taken (nothing inserted). */
    public boolean insert(Connection c, User u) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into users (id, username, email, password_hash, roles, created_at, disabled) "
                        + "values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            ps.setObject(1, u.id());
            ps.setString(2, u.username());
            ps.setString(3, u.email());
            ps.setString(4, u.passwordHash());
            Array roles = c.createArrayOf("text", u.roles().stream().map(Enum::name).sorted().toArray());
            ps.setArray(5, roles);
            ps.setObject(6, java.sql.Timestamp.from(u.createdAt()));
            ps.setBoolean(7, u.disabled());
            return ps.executeUpdate() == 1;
        }
    }

    /** The user whose username or email is {@code login}. */
    public Optional<User> findByLogin(Connection c, String login) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select " + COLUMNS + " from users where username = ? or email = ? limit 1")) {
            ps.setString(1, login);
            ps.setString(2, login);
            return one(ps);
        }
    }

    public Optional<User> findById(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from users where id = ?")) {
            ps.setObject(1, id);
            return one(ps);
        }
    }

    private static Optional<User> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (Object r : (Object[]) rs.getArray("roles").getArray()) {
                roles.add(Role.valueOf((String) r));
            }
            return Optional.of(new User(rs.getObject("id", UUID.class), rs.getString("username"),
                    rs.getString("email"), rs.getString("password_hash"), roles,
                    rs.getTimestamp("created_at").toInstant(), rs.getBoolean("disabled")));
        }
    }

    /** A user as the staff's console lists them: no secret, the sign-in state. */
    public record Listed(UUID id, String username, List<String> roles, boolean disabled, java.time.Instant createdAt,
                         boolean invitationPending, int failedSignIns, java.time.Instant lockedUntil, int passkeys) {
    }

    /**
     * One page of users oldest first, optionally those whose username or email holds {@code search}
     * (case-insensitive, {@code %} and {@code _} taken literally) or who hold {@code role}.
     */
    public List<Listed> page(Connection c, String search, String role,
                             org.mpcwallet.bank.paging.Cursors.TimeKey after, int limit) throws SQLException {
        org.mpcwallet.bank.db.Keyset k = new org.mpcwallet.bank.db.Keyset("u.");
        if (search != null) {
            String like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            k.and("u.username ilike ? or u.email ilike ?", like, like);
        }
        if (role != null) {
            k.and("? = any(u.roles)", role);
        }
        return k.page(c, "select u.id, u.username, u.roles, u.disabled, u.created_at, "
                + "exists (select 1 from staff_invitations i where i.user_id = u.id and i.accepted_at is null), "
                + "coalesce(t.failures, 0), t.locked_until, (select count(*) from passkeys p where p.user_id = u.id) "
                + "from users u left join login_throttle t on t.user_id = u.id", after, false, limit, rs -> {
                    java.sql.Timestamp locked = rs.getTimestamp(8);
                    return new Listed(rs.getObject(1, UUID.class), rs.getString(2),
                            java.util.Arrays.asList((String[]) rs.getArray(3).getArray()), rs.getBoolean(4),
                            rs.getTimestamp(5).toInstant(), rs.getBoolean(6), rs.getInt(7),
                            locked == null ? null : locked.toInstant(), rs.getInt(9));
                });
    }

    /** Disables or enables a user; the version moves on, so their tokens stop at once. False for an unknown user. */
    public boolean setDisabled(Connection c, UUID userId, boolean disabled) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update users set disabled = ?, auth_version = auth_version + 1 "
                + "where id = ?")) {
            ps.setBoolean(1, disabled);
            ps.setObject(2, userId);
            return ps.executeUpdate() == 1;
        }
    }
}
