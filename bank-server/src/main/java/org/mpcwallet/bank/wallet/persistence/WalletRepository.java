package org.mpcwallet.bank.wallet.persistence;

import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.wallet.domain.CustodyBackend;
import org.mpcwallet.bank.wallet.domain.RiskProfile;
import org.mpcwallet.bank.wallet.domain.RoleGrant;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.bank.wallet.domain.WalletType;

/** JDBC access to {@code wallets} and {@code wallet_roles}; the caller owns the connection and transaction. */
@Singleton
public class WalletRepository {
    private static final String COLUMNS = "w.id, w.name, w.type, w.risk_profile, w.tags, w.custody_backend, w.status, "
            + "w.keyset_id, w.public_key, w.address, w.created_at, w.updated_at, w.last_used_at, w.created_by";

    public void insert(Connection c, Wallet w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into wallets (id, name, type, risk_profile, tags, "
                + "custody_backend, status, keyset_id, public_key, address, created_at, updated_at, last_used_at, "
                + "created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, w.id());
            ps.setString(2, w.name());
            ps.setString(3, w.type().name());
            ps.setString(4, w.riskProfile().name());
            ps.setArray(5, c.createArrayOf("text", w.tags().toArray()));
            ps.setString(6, w.custodyBackend().name());
            ps.setString(7, w.status().name());
            ps.setString(8, w.keysetId());
            ps.setBytes(9, w.publicKey());
            ps.setString(10, w.address());
            ps.setTimestamp(11, Timestamp.from(w.createdAt()));
            ps.setTimestamp(12, Timestamp.from(w.updatedAt()));
            ps.setTimestamp(13, w.lastUsedAt() == null ? null : Timestamp.from(w.lastUsedAt()));
            ps.setObject(14, w.createdBy());
            ps.executeUpdate();
        }
    }

    public Optional<Wallet> find(Connection c, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from wallets w where w.id = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /**
     * A page of wallets, newest first (docs/integration.md "Pagination"): every wallet ({@code userId} null, for
     * staff) or those on which the user holds a role that is not suspended; filtered by status and creation time.
     */
    public List<Wallet> page(Connection c, UUID userId, WalletStatus status, Instant from, Instant to, String search,
                             org.mpcwallet.bank.paging.Cursors.TimeKey after, int limit) throws SQLException {
        org.mpcwallet.bank.db.Keyset q = new org.mpcwallet.bank.db.Keyset("w.");
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
        return q.page(c, "select " + COLUMNS + " from wallets w", after, true, limit, WalletRepository::map);
    }

    public void updateStatus(Connection c, UUID id, WalletStatus status, byte[] publicKey, String address,
                             Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update wallets set status = ?, public_key = ?, address = ?, "
                + "updated_at = ? where id = ?")) {
            ps.setString(1, status.name());
            ps.setBytes(2, publicKey);
            ps.setString(3, address);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setObject(5, id);
            ps.executeUpdate();
        }
    }

    public List<RoleGrant> roles(Connection c, UUID walletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select wallet_id, user_id, role, granted_at from wallet_roles "
                + "where wallet_id = ? and suspended_at is null order by granted_at, user_id, role")) {
            ps.setObject(1, walletId);
            List<RoleGrant> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RoleGrant(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            WalletRole.valueOf(rs.getString(3)), rs.getTimestamp(4).toInstant()));
                }
            }
            return out;
        }
    }

    /** True if inserted, false if the grant already existed. */
    public boolean grant(Connection c, UUID walletId, UUID userId, WalletRole role, Instant now) throws SQLException {
        return grant(c, walletId, userId, role, now, null);
    }

    /**
     * True if inserted (or a suspended grant made active again by {@code grantedBy}), false if an active grant
     * already existed.
     */
    public boolean grant(Connection c, UUID walletId, UUID userId, WalletRole role, Instant now, UUID grantedBy)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into wallet_roles (wallet_id, user_id, role, granted_at, "
                + "granted_by) values (?, ?, ?, ?, ?) on conflict (wallet_id, user_id, role) do update set "
                + "granted_at = excluded.granted_at, granted_by = excluded.granted_by, suspended_at = null, "
                + "suspended_reason = null where wallet_roles.suspended_at is not null")) {
            ps.setObject(1, walletId);
            ps.setObject(2, userId);
            ps.setString(3, role.name());
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setObject(5, grantedBy);
            return ps.executeUpdate() == 1;
        }
    }

    /** Lower-case address → wallet id of every ACTIVE wallet (the addresses deposits are looked for). */
    public java.util.Map<String, UUID> activeAddresses(Connection c) throws SQLException {
        java.util.Map<String, UUID> out = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, address from wallets where status = 'ACTIVE'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String a = rs.getString(2);
                if (a != null && a.matches("0x[0-9a-fA-F]{40}")) {
                    out.put(a.toLowerCase(java.util.Locale.ROOT), rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    /**
     * The wallets where the user holds a role that is not suspended (for a user without a bank role: the wallets
     * whose transfers they see).
     */
    public Set<UUID> walletIdsOf(Connection c, UUID userId) throws SQLException {
        Set<UUID> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select distinct wallet_id from wallet_roles where "
                + "user_id = ? and suspended_at is null")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    /** Whether a wallet with this id exists (any status). */
    public boolean exists(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from wallets where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A role grant a migration suspended, not reported yet. */
    public record Suspension(UUID walletId, UUID userId, String role, String reason) {
    }

    /** The suspended grants not reported yet, row-locked ({@code for update skip locked}: one instance reports). */
    public List<Suspension> unreportedSuspensions(Connection c) throws SQLException {
        List<Suspension> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select wallet_id, user_id, role, suspended_reason from "
                + "wallet_roles where suspended_at is not null and reported_at is null for update skip locked");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Suspension(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4)));
            }
        }
        return out;
    }

    public void markReported(Connection c, Suspension s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update wallet_roles set reported_at = now() "
                + "where wallet_id = ? and user_id = ? and role = ?")) {
            ps.setObject(1, s.walletId());
            ps.setObject(2, s.userId());
            ps.setString(3, s.role());
            ps.executeUpdate();
        }
    }

    /** The wallet signed something at {@code now}. */
    public void markUsed(Connection c, UUID walletId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update wallets set last_used_at = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, walletId);
            ps.executeUpdate();
        }
    }

    /** The bank roles of a user as stored (empty for an unknown user). */
    public java.util.Set<org.mpcwallet.bank.auth.domain.Role> bankRoles(Connection c, UUID userId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select roles from users where id = ?")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Set.of();
                }
                return org.mpcwallet.bank.auth.domain.Role.known(
                        java.util.List.of((String[]) rs.getArray(1).getArray()));
            }
        }
    }

    /** The username of a user, if there is one. */
    public java.util.Optional<String> username(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select username from users where id = ?")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
            }
        }
    }

    /** True if a grant was deleted. */
    public boolean revoke(Connection c, UUID walletId, UUID userId, WalletRole role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "delete from wallet_roles where wallet_id = ? and user_id = ? and role = ?")) {
            ps.setObject(1, walletId);
            ps.setObject(2, userId);
            ps.setString(3, role.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** True if an enabled user with this id exists. */
    public boolean userEnabled(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from users where id = ? and not disabled")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Locks the user's wallet creations until the transaction ends (an advisory lock on the user id) and counts the
     * wallets the user created that wait for key generation.
     */
    public int lockAndCountPendingKeygen(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, "wallet-create:" + userId);
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement("select count(*) from wallets where created_by = ? "
                + "and status = 'PENDING_KEYGEN'")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The epoch of the keyset's current bank share (0 after keygen, +1 per refresh), or null if none is stored. */
    public Long keysetEpoch(Connection c, String keysetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select epoch from keyset_share where keyset_id = ?")) {
            ps.setString(1, keysetId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    public boolean keysetLocked(Connection c, String keysetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from keyset_lock where keyset_id = ?")) {
            ps.setString(1, keysetId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<Wallet> list(PreparedStatement ps) throws SQLException {
        List<Wallet> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    private static Wallet map(ResultSet rs) throws SQLException {
        Array tags = rs.getArray(5);
        Timestamp lastUsed = rs.getTimestamp(13);
        return new Wallet(rs.getObject(1, UUID.class), rs.getString(2), WalletType.valueOf(rs.getString(3)),
                RiskProfile.valueOf(rs.getString(4)), Arrays.asList((String[]) tags.getArray()),
                CustodyBackend.valueOf(rs.getString(6)), WalletStatus.valueOf(rs.getString(7)), rs.getString(8),
                rs.getBytes(9), rs.getString(10), rs.getTimestamp(11).toInstant(), rs.getTimestamp(12).toInstant(),
                lastUsed == null ? null : lastUsed.toInstant(), rs.getObject(14, UUID.class));
    }
}
