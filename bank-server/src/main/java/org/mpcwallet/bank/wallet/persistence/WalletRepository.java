package org.mpcwallet.bank.wallet.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.MappedProperty;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.paging.Cursors;
import org.mpcwallet.bank.wallet.domain.RoleGrant;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;

/**
 * Tables {@code wallets} (rows {@link WalletRow}, handed out as the domain {@link Wallet}) and {@code wallet_roles} on
 * Micronaut Data JDBC: in the caller's Micronaut transaction when there is one, else each statement commits by
 * itself. The row-locking reads and the creation lock refuse to run outside a transaction. It also reads a user's
 * state in {@code users} and the signer's {@code keyset_share} / {@code keyset_lock} (the keyset's epoch and lock), as
 * the wallet feature's access rules and views need them.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class WalletRepository implements GenericRepository<WalletRow, UUID> {
    private static final String COLUMNS = "w.id, w.name, w.type, w.risk_profile, w.tags, w.custody_backend, w.status, "
            + "w.keyset_id, w.public_key, w.address, w.created_at, w.updated_at, w.last_used_at, w.created_by";

    @Inject
    JdbcOperations jdbc;

    /** A role grant a migration suspended, not reported yet. */
    @Introspected
    public record Suspension(UUID walletId, UUID userId, String role,
                             @MappedProperty("suspended_reason") String reason) {
    }

    /** A row of {@code wallet_roles} as {@link #roles} reads it. */
    @Introspected
    record GrantRow(UUID walletId, UUID userId, String role, Instant grantedAt) {
    }

    /** A wallet's id and address as {@link #activeAddresses} reads them. */
    @Introspected
    record AddressRow(UUID id, @Nullable String address) {
    }

    public void insert(Wallet w) {
        save(WalletRow.of(w));
    }

    protected abstract WalletRow save(WalletRow row);

    /** The wallet (row-locked when {@code forUpdate}: then only inside a transaction), if it exists. */
    public Optional<Wallet> find(UUID id, boolean forUpdate) {
        return (forUpdate ? lockRow(id) : row(id)).map(WalletRow::toWallet);
    }

    @Query("select " + COLUMNS + " from wallets w where w.id = :id")
    protected abstract Optional<WalletRow> row(UUID id);

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select " + COLUMNS + " from wallets w where w.id = :id for update")
    protected abstract Optional<WalletRow> lockRow(UUID id);

    /**
     * A page of wallets, newest first (docs/integration.md "Pagination"): every wallet ({@code userId} null, for
     * staff) or those on which the user holds a role that is not suspended; filtered by status and creation time.
     */
    public List<Wallet> page(UUID userId, WalletStatus status, Instant from, Instant to, String search,
                             Cursors.TimeKey after, int limit) {
        Keyset q = new Keyset("w.");
        if (search != null) {
            // a part of the name, of the address, or of an owner's username; % and _ are matched as themselves
            String like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            q.and("w.name ilike ? or w.address ilike ? or exists (select 1 from wallet_roles o join users u on "
                    + "u.id = o.user_id where o.wallet_id = w.id and o.role = 'OWNER' and u.username ilike ?)",
                    like, like, like);
        }
        if (userId != null) {
            q.and("exists (select 1 from wallet_roles r where r.wallet_id = w.id and r.user_id = ? "
                    + "and r.suspended_at is null)", userId);
        }
        if (status != null) {
            q.and("w.status = ?", status.name());
        }
        q.created(from, to);
        return jdbc.execute(c -> q.page(c, "select " + COLUMNS + " from wallets w", after, true, limit,
                rs -> jdbc.readEntity(rs, WalletRow.class).toWallet()));
    }

    public void updateStatus(UUID id, WalletStatus status, byte[] publicKey, String address, Instant now) {
        setStatus(id, status.name(), publicKey, address, now);
    }

    @Query("update wallets set status = :status, public_key = :publicKey, address = :address, updated_at = :now "
            + "where id = :id")
    protected abstract void setStatus(UUID id, String status, @Nullable byte[] publicKey, @Nullable String address,
                                      Instant now);

    /** The wallet's grants that are not suspended, in the order they were granted. */
    public List<RoleGrant> roles(UUID walletId) {
        return grantRows(walletId).stream().map(g -> new RoleGrant(g.walletId(), g.userId(),
                WalletRole.valueOf(g.role()), g.grantedAt())).toList();
    }

    @Query("select wallet_id, user_id, role, granted_at from wallet_roles where wallet_id = :walletId and "
            + "suspended_at is null order by granted_at, user_id, role")
    protected abstract List<GrantRow> grantRows(UUID walletId);

    /** True if inserted, false if the grant already existed. */
    public boolean grant(UUID walletId, UUID userId, WalletRole role, Instant now) {
        return grant(walletId, userId, role, now, null);
    }

    /**
     * True if inserted (or a suspended grant made active again by {@code grantedBy}), false if an active grant
     * already existed.
     */
    public boolean grant(UUID walletId, UUID userId, WalletRole role, Instant now, UUID grantedBy) {
        return upsertGrant(walletId, userId, role.name(), now, grantedBy) == 1;
    }

    @Query("insert into wallet_roles (wallet_id, user_id, role, granted_at, granted_by) values (:walletId, :userId, "
            + ":role, :now, :grantedBy) on conflict (wallet_id, user_id, role) do update set "
            + "granted_at = excluded.granted_at, granted_by = excluded.granted_by, suspended_at = null, "
            + "suspended_reason = null where wallet_roles.suspended_at is not null")
    protected abstract int upsertGrant(UUID walletId, UUID userId, String role, Instant now,
                                       @Nullable UUID grantedBy);

    /** Lower-case address → wallet id of every ACTIVE wallet (the addresses deposits are looked for). */
    public Map<String, UUID> activeAddresses() {
        Map<String, UUID> out = new HashMap<>();
        for (AddressRow r : activeAddressRows()) {
            String a = r.address();
            if (a != null && a.matches("0x[0-9a-fA-F]{40}")) {
                out.put(a.toLowerCase(Locale.ROOT), r.id());
            }
        }
        return out;
    }

    @Query("select id, address from wallets where status = 'ACTIVE'")
    protected abstract List<AddressRow> activeAddressRows();

    /**
     * The wallets where the user holds a role that is not suspended (for a user without a bank role: the wallets
     * whose transfers they see).
     */
    public Set<UUID> walletIdsOf(UUID userId) {
        return new HashSet<>(activeWalletIds(userId));
    }

    @Query("select distinct wallet_id from wallet_roles where user_id = :userId and suspended_at is null")
    protected abstract List<UUID> activeWalletIds(UUID userId);

    /** Whether a wallet with this id exists (any status). */
    @Query("select exists (select 1 from wallets where id = :id)")
    public abstract boolean exists(UUID id);

    /** The suspended grants not reported yet, row-locked ({@code for update skip locked}: one instance reports). */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select wallet_id, user_id, role, suspended_reason from wallet_roles where suspended_at is not null "
            + "and reported_at is null for update skip locked")
    public abstract List<Suspension> unreportedSuspensions();

    public void markReported(Suspension s) {
        setReported(s.walletId(), s.userId(), s.role());
    }

    @Query("update wallet_roles set reported_at = now() where wallet_id = :walletId and user_id = :userId "
            + "and role = :role")
    protected abstract void setReported(UUID walletId, UUID userId, String role);

    /** The wallet signed something at {@code now}. */
    @Query("update wallets set last_used_at = :now where id = :walletId")
    public abstract void markUsed(UUID walletId, Instant now);

    /**
     * The bank roles of a user as stored (empty for an unknown user). Sent as written on the current transaction's
     * connection, or one of its own outside a transaction ({@code users.roles} is a {@code text[]}, read with
     * {@code getArray} as before; {@code jdbc.prepareStatement} alone fails outside a transaction).
     */
    public Set<Role> bankRoles(UUID userId) {
        return jdbc.execute(c -> jdbc.prepareStatement("select roles from users where id = ?", ps -> {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Set.<Role>of();
                }
                return Role.known(List.of((String[]) rs.getArray(1).getArray()));
            }
        }));
    }

    /** The username of a user, if there is one. */
    @Query("select username from users where id = :userId")
    public abstract Optional<String> username(UUID userId);

    /** True if a grant was deleted. */
    public boolean revoke(UUID walletId, UUID userId, WalletRole role) {
        return deleteGrant(walletId, userId, role.name()) == 1;
    }

    @Query("delete from wallet_roles where wallet_id = :walletId and user_id = :userId and role = :role")
    protected abstract int deleteGrant(UUID walletId, UUID userId, String role);

    /** True if an enabled user with this id exists. */
    @Query("select exists (select 1 from users where id = :userId and not disabled)")
    public abstract boolean userEnabled(UUID userId);

    /**
     * Locks the user's wallet creations until the transaction ends (an advisory lock on the user id) and counts the
     * wallets the user created that wait for key generation. Only inside a transaction (the lock is the point). The
     * lock's statement returns {@code void}, so it is sent as written through the transaction's connection.
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public int lockAndCountPendingKeygen(UUID userId) {
        jdbc.execute(c -> jdbc.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))", ps -> {
            ps.setString(1, "wallet-create:" + userId);
            return ps.execute();
        }));
        return countPendingKeygen(userId);
    }

    @Query("select count(*) from wallets where created_by = :userId and status = 'PENDING_KEYGEN'")
    protected abstract int countPendingKeygen(UUID userId);

    /**
     * The epoch of the keyset's current bank share (0 after keygen, +1 per refresh), or null if none is stored. Reads
     * the signer's table {@code keyset_share}.
     */
    public Long keysetEpoch(String keysetId) {
        return epoch(keysetId).orElse(null);
    }

    @Query("select epoch from keyset_share where keyset_id = :keysetId")
    protected abstract Optional<Long> epoch(String keysetId);

    /** Whether the keyset is locked (a row in the signer's table {@code keyset_lock}). */
    @Query("select exists (select 1 from keyset_lock where keyset_id = :keysetId)")
    public abstract boolean keysetLocked(String keysetId);
}
