package org.mpcwallet.bank.pipeline.transfer.app;

import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.pipeline.ChainAccess;
import org.mpcwallet.bank.pipeline.policy.app.PolicyAdmin;
import org.mpcwallet.bank.pipeline.policy.app.WalletSettingsService;
import org.mpcwallet.bank.pipeline.policy.domain.Policy;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyDecision;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyEngine;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyInput;
import org.mpcwallet.bank.pipeline.policy.domain.TransferRequest;
import org.mpcwallet.bank.pipeline.policy.persistence.PolicyRepository;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.DailyVolumeRepository;
import org.mpcwallet.bank.value.Address;
import org.mpcwallet.bank.value.AssetSymbol;
import org.mpcwallet.bank.value.BaseUnits;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;

/**
 * {@code POST /v1/policies/dry-run} (docs/admin-console.md "Policies"): which rule decides a transfer, and why,
 * without making it — the pure {@link PolicyEngine} on the wallet's rules in scope, its allowlist-only setting and the
 * volume it has used today, exactly as the pipeline's policy step would see them now (nothing is reserved). For the
 * roles that read policies (ADMIN, COMPLIANCE, OPERATOR). It lives with the pipeline's steps (it reads the daily
 * volumes the policy step reserves), not with the policy rules, which know nothing of transfers.
 */
@Singleton
public class PolicyDryRun {

    /** The decision: ALLOWED, NEEDS_APPROVALS or BLOCKED, with the rules that decided it and the reason. */
    public record Result(String result, int requiredApprovals, String check, String reason, List<Policy> rules) {
    }

    private final TransactionRunner transactions;
    private final WalletService wallets;
    private final ChainAccess chain;
    private final TokenRepository tokenRows;
    private final PolicyRepository policyRows;
    private final DailyVolumeRepository volumes;

    public PolicyDryRun(TransactionRunner transactions, WalletService wallets, ChainAccess chain,
                        TokenRepository tokenRows, PolicyRepository policyRows, DailyVolumeRepository volumes) {
        this.transactions = transactions;
        this.wallets = wallets;
        this.chain = chain;
        this.tokenRows = tokenRows;
        this.policyRows = policyRows;
        this.volumes = volumes;
    }

    public Result run(Caller caller, String walletId, String asset, String to, String amount) {
        if (caller.bankRoles().stream().noneMatch(PolicyAdmin.READERS::contains)) {
            throw new WalletException(Kind.FORBIDDEN, "The dry run is for ADMIN, COMPLIANCE and OPERATOR.");
        }
        // read as the transfer itself would be (TxRequestController), so the dry run refuses what it would refuse
        String sym = AssetSymbol.parse("asset", asset == null ? "" : asset).orElseThrow(PolicyDryRun::invalid)
                .symbol();
        Address toAddress = Address.recipient("to", to == null ? null : to.strip()).orElseThrow(PolicyDryRun::invalid);
        BigInteger value = BaseUnits.parse("amount", amount == null ? null : amount.strip())
                .orElseThrow(PolicyDryRun::invalid).value();
        OptionalLong chainId = chain.knownChainId();
        return transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId, WalletSettingsService.WALLET_READERS,
                    WalletSettingsService.BANK_READERS);
            String token = null;
            if (!sym.equals("ETH")) {
                token = chainId.isPresent() ? tokenRows.address(chainId.getAsLong(), sym).orElse(null) : null;
                if (token == null) {
                    throw new WalletException(Kind.INVALID_REQUEST, "asset " + sym + " is not a registered token");
                }
            }
            LocalDate day = LocalDate.ofInstant(Instant.now(), ZoneOffset.UTC);
            PolicyInput input = new PolicyInput(new TransferRequest(w.id(), w.type(), sym, token,
                    toAddress.hex(), value), policyRows.allowlistOnly(w.id()),
                    policyRows.inScope(w.id(), w.type()), Map.of(sym, volumes.used(w.id(), day, sym)));
            PolicyDecision d = PolicyEngine.evaluate(input);
            return switch (d) {
                case PolicyDecision.Allowed a -> new Result(a.requiredApprovals() > 0 ? "NEEDS_APPROVALS" : "ALLOWED",
                        a.requiredApprovals(), null, a.requiredApprovals() > 0 ? a.requiredApprovals()
                        + " approval(s) required" : "allowed without approvals", a.matchedRules());
                case PolicyDecision.Blocked b -> new Result("BLOCKED", 0, b.check().name(), b.reason(),
                        b.rule() == null ? List.of() : List.of(b.rule()));
            };
        });
    }

    private static WalletException invalid(String reason) {
        return new WalletException(Kind.INVALID_REQUEST, reason);
    }
}
