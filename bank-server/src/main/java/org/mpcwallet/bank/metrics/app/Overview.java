package org.mpcwallet.bank.metrics.app;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.integration.app.WebhookDispatcher;
import org.mpcwallet.bank.metrics.persistence.MetricsQueries;
import org.mpcwallet.bank.pipeline.deposit.app.ChainListener;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException;

/**
 * The console's overview (docs/admin-console.md "Overview"): what the staff look at first — transfers per state and
 * the longest wait of each unfinished state, transfers waiting for approval, open KYT cases, open key incidents, the
 * chain listener's lag, the webhook backlog and the webhook endpoints disabled for failing; read fresh, for the
 * bank's staff (ADMIN, OPERATOR, COMPLIANCE, VIEWER).
 */
@Singleton
public class Overview {
    static final Set<Role> READERS = Set.of(Role.ADMIN, Role.OPERATOR, Role.COMPLIANCE, Role.VIEWER);

    /** The figures. */
    public record Figures(Map<String, Long> transfersPerState, Map<String, Double> oldestSecondsPerState,
                          long approvalsPending, long openCases, long openIncidents, long listenerLagBlocks,
                          long webhookBacklog, long webhookEndpointsDisabled) {
    }

    private final MetricsQueries queries;
    private final ChainListener listener;
    private final WebhookDispatcher webhooks;

    public Overview(MetricsQueries queries, ChainListener listener, WebhookDispatcher webhooks) {
        this.queries = queries;
        this.listener = listener;
        this.webhooks = webhooks;
    }

    public Figures figures(Caller caller) {
        if (caller.bankRoles().stream().noneMatch(READERS::contains)) {
            throw new WalletException(WalletException.Kind.FORBIDDEN, "The overview is for the bank's staff.");
        }
        try {
            MetricsQueries.PipelineCounts p = queries.pipeline();
            MetricsQueries.Attention a = queries.attention();
            return new Figures(p.perState(), p.oldestSeconds(), p.perState().getOrDefault("APPROVAL_PENDING", 0L),
                    a.openCases(), a.openIncidents(), listener.lagBlocks(), webhooks.backlog(),
                    webhooks.endpointsDisabled());
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
    }
}
