package org.mpcwallet.bank.pipeline.policy.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.mpcwallet.bank.pipeline.policy.domain.Policy;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyScope;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyType;
import org.mpcwallet.bank.wallet.domain.WalletType;

/** SQL for {@code policies} and {@code wallet_settings}; every method runs in the caller's transaction. */
public final class PolicyStore {
    private static final String COLUMNS = "id, type, wallet_id, wallet_type, asset, address, token, limit_amount, "
            + "approvals";

    private PolicyStore() {
    }

    /** The enabled policies that can apply to a wallet: its own, its type's, and the global ones. */
    public static List<Policy> inScope(Connection c, UUID walletId, WalletType walletType) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from policies where enabled and "
                + "(wallet_id = ? or wallet_type = ? or (wallet_id is null and wallet_type is null)) "
                + "order by created_at, id")) {
            ps.setObject(1, walletId);
            ps.setString(2, walletType.name());
            return read(ps);
        }
    }

    public static List<Policy> all(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from policies where enabled "
                + "order by created_at, id")) {
            return read(ps);
        }
    }

    public static void insert(Connection c, Policy p, UUID createdBy) throws SQLException {
        UUID walletId = p.scope() instanceof PolicyScope.Wallet w ? w.walletId() : null;
        String walletType = p.scope() instanceof PolicyScope.OfType t ? t.walletType().name() : null;
        try (PreparedStatement ps = c.prepareStatement("insert into policies (" + COLUMNS + ", enabled, created_by, "
                + "created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?, ?)")) {
            ps.setObject(1, p.id());
            ps.setString(2, p.type().name());
            ps.setObject(3, walletId);
            ps.setString(4, walletType);
            ps.setString(5, p.asset());
            ps.setString(6, p.address());
            ps.setString(7, p.token());
            ps.setBigDecimal(8, p.limit() == null ? null : new BigDecimal(p.limit()));
            ps.setObject(9, p.approvals());
            ps.setObject(10, createdBy);
            ps.setTimestamp(11, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /** Disables a policy (kept for the audit trail); false if there was no enabled policy with this id. */
    public static boolean disable(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update policies set enabled = false where id = ? and enabled")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    public static boolean allowlistOnly(Connection c, UUID walletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select allowlist_only from wallet_settings where wallet_id = ?")) {
            ps.setObject(1, walletId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    public static void setAllowlistOnly(Connection c, UUID walletId, boolean on) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into wallet_settings (wallet_id, allowlist_only) values "
                + "(?, ?) on conflict (wallet_id) do update set allowlist_only = excluded.allowlist_only")) {
            ps.setObject(1, walletId);
            ps.setBoolean(2, on);
            ps.executeUpdate();
        }
    }

    private static List<Policy> read(PreparedStatement ps) throws SQLException {
        List<Policy> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                UUID walletId = rs.getObject("wallet_id", UUID.class);
                String type = rs.getString("wallet_type");
                PolicyScope scope = walletId != null ? new PolicyScope.Wallet(walletId)
                        : type != null ? new PolicyScope.OfType(WalletType.valueOf(type)) : new PolicyScope.Global();
                BigDecimal limit = rs.getBigDecimal("limit_amount");
                int approvals = rs.getInt("approvals");
                Integer a = rs.wasNull() ? null : approvals;
                out.add(new Policy(rs.getObject("id", UUID.class), PolicyType.valueOf(rs.getString("type")), scope,
                        rs.getString("asset"), rs.getString("address"), rs.getString("token"),
                        limit == null ? null : limit.toBigIntegerExact(), a));
            }
        }
        return out;
    }

}
