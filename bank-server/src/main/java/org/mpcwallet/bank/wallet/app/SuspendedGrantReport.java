package org.mpcwallet.bank.wallet.app;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.db.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, reports every wallet role grant a migration suspended and nobody reported yet (V16: APPROVER grants made
 * before approvers became a bank decision): a WARN line and an audit event {@code APPROVER_GRANT_SUSPENDED} each,
 * then marks it reported. Several instances starting together report each grant once (row locks, skip locked).
 */
@Singleton
class SuspendedGrantReport {
    private static final Logger LOG = LoggerFactory.getLogger(SuspendedGrantReport.class);
    static final String ACTOR = "system:migration";

    private final DataSource dataSource;
    private final AuditLog audit;
    private final JsonMapper json;

    SuspendedGrantReport(DataSource dataSource, AuditLog audit, JsonMapper json) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.json = json;
    }

    @EventListener
    void onStartup(StartupEvent e) {
        int n = Transactions.inTransaction(dataSource, c -> {
            int count = 0;
            try (PreparedStatement ps = c.prepareStatement("select wallet_id, user_id, role, suspended_reason from "
                    + "wallet_roles where suspended_at is not null and reported_at is null for update skip locked");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID wallet = rs.getObject(1, UUID.class);
                    UUID user = rs.getObject(2, UUID.class);
                    String role = rs.getString(3);
                    LOG.warn("wallet {}: {} grant of user {} suspended ({})", wallet, role, user, rs.getString(4));
                    audit.append(c, ACTOR, "APPROVER_GRANT_SUSPENDED", AuditPayload.of(json, "walletId",
                            wallet.toString(), "userId", user.toString(), "role", role, "reason", rs.getString(4)));
                    try (PreparedStatement up = c.prepareStatement("update wallet_roles set reported_at = now() "
                            + "where wallet_id = ? and user_id = ? and role = ?")) {
                        up.setObject(1, wallet);
                        up.setObject(2, user);
                        up.setString(3, role);
                        up.executeUpdate();
                    }
                    count++;
                }
            }
            return count;
        }, WalletService.WalletStoreException::new);
        if (n > 0) {
            LOG.warn("{} wallet role grant(s) suspended by a migration were reported (audit APPROVER_GRANT_SUSPENDED); "
                    + "an ADMIN grants APPROVER again where it is right", n);
        }
    }
}
