package org.mpcwallet.bank.wallet.app;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.wallet.persistence.WalletRepository;
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

    private final TransactionRunner transactions;
    private final WalletRepository wallets;
    private final AuditLog audit;
    private final JsonMapper json;

    SuspendedGrantReport(TransactionRunner transactions, WalletRepository wallets, AuditLog audit, JsonMapper json) {
        this.transactions = transactions;
        this.wallets = wallets;
        this.audit = audit;
        this.json = json;
    }

    @EventListener
    void onStartup(StartupEvent e) {
        int n = transactions.inTransaction(() -> {
            List<WalletRepository.Suspension> suspended = wallets.unreportedSuspensions();
            for (WalletRepository.Suspension s : suspended) {
                LOG.warn("wallet {}: {} grant of user {} suspended ({})", s.walletId(), s.role(), s.userId(),
                        s.reason());
                audit.appendInTransaction(ACTOR, "APPROVER_GRANT_SUSPENDED", AuditPayload.of(json, "walletId",
                        s.walletId().toString(), "userId", s.userId().toString(), "role", s.role(), "reason",
                        s.reason()));
                wallets.markReported(s);
            }
            return suspended.size();
        });
        if (n > 0) {
            LOG.warn("{} wallet role grant(s) suspended by a migration were reported (audit APPROVER_GRANT_SUSPENDED); "
                    + "an ADMIN grants APPROVER again where it is right", n);
        }
    }
}
