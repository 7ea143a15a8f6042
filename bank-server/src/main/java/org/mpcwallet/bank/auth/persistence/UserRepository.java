package org.mpcwallet.bank.auth.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.User;
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.paging.Cursors;

/**
 * Table {@code users} (Micronaut Data JDBC): in the caller's Micronaut transaction when there is one, else each
 * statement commits by itself. {@link #lockRoles} refuses to run outside a transaction (its row lock is the point).
 * Hands out the domain {@link User}; role names the bank does not know are not in the table (V2's check).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class UserRepository implements GenericRepository<UserRow, UUID> {
    @Inject
    JdbcOperations jdbc;

    /** What decides whether a user's tokens still hold: disabled, and the version bumped by every change of access. */
    public record AuthState(boolean disabled, long version) {
    }

    /** A user's username and bank role names (sorted). */
    public record NamedRoles(String username, List<String> roles) {
    }

    /** A user as the staff's console lists them: no secret, the sign-in state. */
    public record Listed(UUID id, String username, List<String> roles, boolean disabled, Instant createdAt,
                         boolean invitationPending, int failedSignIns, Instant lockedUntil, int passkeys) {
    }

    /** The user's {@link AuthState}, or empty for an unknown user. */
    public Optional<AuthState> authState(UUID userId) {
        return row(userId).map(r -> new AuthState(r.disabled(), r.authVersion()));
    }

    /** The user's username and role names, the row locked {@code for update}; empty for an unknown user. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Optional<NamedRoles> lockRoles(UUID userId) {
        return lockRow(userId).map(r -> new NamedRoles(r.username(), new ArrayList<>(new TreeSet<>(
                Arrays.asList(r.roles())))));
    }

    /** Replaces the user's bank roles with {@code roleNames} (the V15 trigger bumps the user's auth_version). */
    public void setRoles(UUID userId, List<String> roleNames) {
        updateRoles(userId, roleNames.toArray(new String[0]));
    }

    /** The user's username, or empty for an unknown user. */
    public Optional<String> username(UUID userId) {
        return row(userId).map(UserRow::username);
    }

    /** Inserts the user; returns false when the username or email is taken (nothing inserted). */
    public boolean insert(User u) {
        return insertIfFree(u.id(), u.username(), u.email(), u.passwordHash(),
                u.roles().stream().map(Enum::name).sorted().toArray(String[]::new), u.createdAt(), u.disabled()) == 1;
    }

    /** The user whose username or email is {@code login}. */
    public Optional<User> findByLogin(String login) {
        return rowByLogin(login).map(UserRepository::user);
    }

    public Optional<User> findById(UUID id) {
        return row(id).map(UserRepository::user);
    }

    /**
     * One page of users oldest first, optionally those whose username or email holds {@code search}
     * (case-insensitive, {@code %} and {@code _} taken literally) or who hold {@code role}.
     */
    public List<Listed> page(String search, String role, Cursors.TimeKey after, int limit) {
        Keyset k = new Keyset("u.");
        if (search != null) {
            String like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            k.and("u.username ilike ? or u.email ilike ?", like, like);
        }
        if (role != null) {
            k.and("? = any(u.roles)", role);
        }
        return jdbc.execute(c -> k.page(c, "select u.id, u.username, u.roles, u.disabled, u.created_at, "
                + "exists (select 1 from staff_invitations i where i.user_id = u.id and i.accepted_at is null), "
                + "coalesce(t.failures, 0), t.locked_until, (select count(*) from passkeys p where p.user_id = u.id) "
                + "from users u left join login_throttle t on t.user_id = u.id", after, false, limit, rs -> {
                    java.sql.Timestamp locked = rs.getTimestamp(8);
                    return new Listed(rs.getObject(1, UUID.class), rs.getString(2),
                            Arrays.asList((String[]) rs.getArray(3).getArray()), rs.getBoolean(4),
                            rs.getTimestamp(5).toInstant(), rs.getBoolean(6), rs.getInt(7),
                            locked == null ? null : locked.toInstant(), rs.getInt(9));
                }));
    }

    /** Sets the user's password and enables them (an invitation accepted); the version moves on. */
    public void enableWithPassword(UUID userId, String passwordHash) {
        updatePasswordAndEnable(userId, passwordHash);
    }

    /** Disables or enables a user; the version moves on, so their tokens stop at once. False for an unknown user. */
    public boolean setDisabled(UUID userId, boolean disabled) {
        return updateDisabled(userId, disabled) == 1;
    }

    private static User user(UserRow r) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : r.roles()) {
            roles.add(Role.valueOf(name));
        }
        return new User(r.id(), r.username(), r.email(), r.passwordHash(), roles, r.createdAt(), r.disabled());
    }

    @Query("select * from users where id = :id")
    protected abstract Optional<UserRow> row(UUID id);

    @Query("select * from users where id = :id for update")
    protected abstract Optional<UserRow> lockRow(UUID id);

    @Query("select * from users where username = :login or email = :login limit 1")
    protected abstract Optional<UserRow> rowByLogin(String login);

    @Query("update users set roles = :roles where id = :id")
    protected abstract void updateRoles(UUID id, @TypeDef(type = DataType.STRING_ARRAY) String[] roles);

    @Query("insert into users (id, username, email, password_hash, roles, created_at, disabled) "
            + "values (:id, :username, :email, :passwordHash, :roles, :createdAt, :disabled) on conflict do nothing")
    protected abstract int insertIfFree(UUID id, String username, @io.micronaut.core.annotation.Nullable String email,
                                        String passwordHash, @TypeDef(type = DataType.STRING_ARRAY) String[] roles,
                                        Instant createdAt, boolean disabled);

    @Query("update users set password_hash = :passwordHash, disabled = false, auth_version = auth_version + 1 "
            + "where id = :id")
    protected abstract void updatePasswordAndEnable(UUID id, String passwordHash);

    @Query("update users set disabled = :disabled, auth_version = auth_version + 1 where id = :id")
    protected abstract int updateDisabled(UUID id, boolean disabled);
}
