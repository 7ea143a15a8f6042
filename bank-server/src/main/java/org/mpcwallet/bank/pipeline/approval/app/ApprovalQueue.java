package org.mpcwallet.bank.pipeline.approval.app;

import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.mpcwallet.bank.chain.FeeOracle;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.paging.Cursors;
import org.mpcwallet.bank.paging.Page;
import org.mpcwallet.bank.pipeline.ChainAccess;
import org.mpcwallet.bank.pipeline.approval.persistence.ApprovalQueueStore;
import org.mpcwallet.bank.pipeline.policy.domain.Policy;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyType;
import org.mpcwallet.bank.pipeline.policy.persistence.PolicyRepository;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.domain.WalletType;

/**
 * {@code GET /v1/approvals} (docs/admin-console.md "Approvals queue"): the transfers waiting for the calling approver,
 * oldest first, each with what deciding needs — the wallet and its type, the recipient and whether an allowlist rule
 * of the wallet names it, the amount in the asset's units with its contract, an estimate of the network fee at
 * today's price, the creator, the KYT verdict and case, the policy rules that asked for approval, the approvals so far
 * and needed. The fee is asked of the node once per page, before the database is read; without a node it is absent.
 */
@Singleton
public class ApprovalQueue {
    /** Gas of a plain ETH transfer, and a conservative figure for an ERC-20 {@code transfer} (for the estimate). */
    static final BigInteger ETH_GAS = BigInteger.valueOf(21_000);
    static final BigInteger TOKEN_GAS = BigInteger.valueOf(65_000);

    /** One waiting transfer; {@code feeWei} null when the node could not be asked, {@code decimals} null if unknown. */
    public record Item(ApprovalQueueStore.Row row, boolean allowlisted, Integer decimals, BigInteger feeWei,
                       java.time.Instant expiresAt) {
        /** The amount in the asset's units (e.g. "1.5"), or null when the decimals are unknown. */
        public String amountInUnits() {
            return decimals == null ? null : units(row.request().amount(), decimals);
        }
    }

    private final TransactionRunner transactions;
    private final ChainAccess chain;
    private final org.mpcwallet.bank.pipeline.PipelineConfig config;
    private final TokenRepository tokenRows;
    private final PolicyRepository policyRows;
    private final ApprovalQueueStore queueRows;

    public ApprovalQueue(TransactionRunner transactions, ChainAccess chain,
                         org.mpcwallet.bank.pipeline.PipelineConfig config, TokenRepository tokenRows,
                         PolicyRepository policyRows, ApprovalQueueStore queueRows) {
        this.queueRows = queueRows;
        this.transactions = transactions;
        this.chain = chain;
        this.config = config;
        this.tokenRows = tokenRows;
        this.policyRows = policyRows;
    }

    public Page<Item> queue(Caller caller, String cursor, Integer limit) {
        int n = Cursors.limit(limit);
        Cursors.TimeKey after = Cursors.timeKey("approvals", cursor);
        BigInteger gasPrice = gasPrice(); // a node call: before the transaction, never inside it
        OptionalLong chainId = chain.knownChainId();
        boolean eligible = Caller.eligibleApprover(caller.bankRoles());
        return transactions.inTransaction(() -> {
            List<ApprovalQueueStore.Row> rows = queueRows.page(caller.userId(), eligible, caller.isAdmin(), after,
                    n);
            Map<String, Integer> decimals = new HashMap<>();
            decimals.put("ETH", 18);
            if (chainId.isPresent()) {
                for (TokenRepository.Token t : tokenRows.all(chainId.getAsLong())) {
                    decimals.put(t.symbol(), t.decimals());
                }
            }
            Map<UUID, List<Policy>> policies = new HashMap<>();
            List<Item> items = new ArrayList<>();
            for (ApprovalQueueStore.Row r : rows) {
                List<Policy> inScope = policies.computeIfAbsent(r.request().walletId(), w -> policyRows.inScope(w,
                        WalletType.valueOf(r.walletType())));
                boolean allowlisted = inScope.stream().anyMatch(p -> p.type() == PolicyType.ADDRESS_ALLOWLIST
                        && p.address() != null && p.address().equalsIgnoreCase(r.request().toAddress())
                        && (p.asset() == null || p.asset().equals(r.request().asset())));
                BigInteger fee = gasPrice == null ? null : gasPrice.multiply(r.request().tokenAddress() == null
                        ? ETH_GAS : TOKEN_GAS);
                items.add(new Item(r, allowlisted, decimals.get(r.request().asset()), fee,
                        r.waitingSince().plus(java.time.Duration.ofHours(config.approvalWindowHours()))));
            }
            return Page.of(items, n, i -> Cursors.timeCursor("approvals", i.row().request().createdAt(),
                    i.row().request().id()));
        });
    }

    /** Today's max fee per gas from the node's fee oracle, or null (no node, or it does not answer). */
    private BigInteger gasPrice() {
        if (!chain.configured()) {
            return null;
        }
        try {
            return chain.fees().quote() instanceof FeeOracle.FeeQuote.Quoted q ? q.fees().maxFeePerGas() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code amount} base units as a decimal in units: 1500000000000000000 with 18 decimals is "1.5". */
    static String units(BigInteger amount, int decimals) {
        BigDecimal v = new BigDecimal(amount).movePointLeft(decimals).stripTrailingZeros();
        return v.toPlainString().toLowerCase(Locale.ROOT);
    }
}
