package org.mpcwallet.bank.pipeline.policy.domain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mpcwallet.bank.wallet.domain.WalletType;

/**
 * Decides whether a transfer may proceed, and with how many approvals. Pure: no database, no clock; the caller
 * supplies the enabled rules, the wallet's allowlist-only setting and today's used volume, and afterwards reserves
 * the volume against {@link PolicyDecision.Allowed#dailyLimit()} atomically (a concurrent request may have reserved
 * in between; then the caller blocks with that rule).
 *
 * <p>A rule is <em>in scope</em> when its {@link PolicyScope} covers the wallet (that wallet, the wallet's type, or
 * global) and it names no asset or the request's asset. Rules out of scope are ignored. The checks run in this fixed
 * order and the first that fails decides:
 * <ol>
 * <li>ALLOWLIST_ONLY: if the wallet is allowlist-only, the recipient must be the address of an ADDRESS_ALLOWLIST rule
 * in scope (for an asset-scoped entry: only for that asset). For a wallet that is not allowlist-only, ADDRESS_ALLOWLIST
 * rules are not consulted; they never override a denylist.</li>
 * <li>ADDRESS_DENYLIST: the recipient is the address of a rule in scope.</li>
 * <li>TOKEN_DENYLIST: the request's token contract is the token of a rule in scope (never matches the native
 * asset).</li>
 * <li>TX_LIMIT: the amount exceeds a rule's limit ({@code amount > limit}; equal is allowed).</li>
 * <li>DAILY_LIMIT: {@code used today + amount > limit} (reaching the limit exactly is allowed).</li>
 * <li>Approvals: the required count is the maximum of the APPROVAL_REQUIRED rules in scope and the default for the
 * wallet type: {@value #TREASURY_DEFAULT_APPROVALS} for TREASURY, 0 otherwise.</li>
 * </ol>
 * Addresses compare case-insensitively. When several rules of one kind apply, the one reported is the first matching
 * one in the given order for denylists, and the tightest (smallest limit, then first given) for limits: the tightest
 * DAILY_LIMIT is the one that bounds the shared daily volume, so it is the one to reserve against.
 */
public final class PolicyEngine {
    /** Approvals a TREASURY wallet needs when no rule asks for more. */
    public static final int TREASURY_DEFAULT_APPROVALS = 2;

    private PolicyEngine() {
    }

    /** Evaluates the rules over {@code input}; never throws for a constructed input. */
    public static PolicyDecision evaluate(PolicyInput input) {
        Objects.requireNonNull(input, "input");
        TransferRequest r = input.request();
        List<Policy> inScope = input.policies().stream().filter(p -> inScope(p, r)).toList();
        List<Policy> matched = new ArrayList<>();

        if (input.allowlistOnly()) {
            List<Policy> entries = ofType(inScope, PolicyType.ADDRESS_ALLOWLIST).stream()
                    .filter(p -> p.address().equals(r.to())).toList();
            if (entries.isEmpty()) {
                return new PolicyDecision.Blocked(PolicyCheck.ALLOWLIST_ONLY, null,
                        "the wallet sends only to allowlisted addresses and the recipient is on no allowlist entry"
                                + " for " + r.asset());
            }
            matched.addAll(entries);
        }
        for (Policy p : ofType(inScope, PolicyType.ADDRESS_DENYLIST)) {
            if (p.address().equals(r.to())) {
                return new PolicyDecision.Blocked(PolicyCheck.ADDRESS_DENYLIST, p, "the recipient is denylisted");
            }
        }
        if (r.tokenContract() != null) {
            for (Policy p : ofType(inScope, PolicyType.TOKEN_DENYLIST)) {
                if (p.token().equals(r.tokenContract())) {
                    return new PolicyDecision.Blocked(PolicyCheck.TOKEN_DENYLIST, p, "the token is denylisted");
                }
            }
        }
        List<Policy> txLimits = ofType(inScope, PolicyType.TX_LIMIT);
        Policy txLimit = tightest(txLimits);
        if (txLimit != null && r.amount().compareTo(txLimit.limit()) > 0) {
            return new PolicyDecision.Blocked(PolicyCheck.TX_LIMIT, txLimit, "the amount " + r.amount()
                    + " exceeds the per-transaction limit " + txLimit.limit() + " of " + r.asset());
        }
        matched.addAll(txLimits);
        List<Policy> dailyLimits = ofType(inScope, PolicyType.DAILY_LIMIT);
        Policy dailyLimit = tightest(dailyLimits);
        if (dailyLimit != null) {
            BigInteger after = input.usedTodayOfAsset().add(r.amount());
            if (after.compareTo(dailyLimit.limit()) > 0) {
                return new PolicyDecision.Blocked(PolicyCheck.DAILY_LIMIT, dailyLimit, "today's volume "
                        + input.usedTodayOfAsset() + " plus " + r.amount() + " exceeds the daily limit "
                        + dailyLimit.limit() + " of " + r.asset());
            }
        }
        matched.addAll(dailyLimits);
        int required = r.walletType() == WalletType.TREASURY ? TREASURY_DEFAULT_APPROVALS : 0;
        for (Policy p : ofType(inScope, PolicyType.APPROVAL_REQUIRED)) {
            required = Math.max(required, p.approvals());
            matched.add(p);
        }
        return new PolicyDecision.Allowed(required, matched, dailyLimit);
    }

    private static boolean inScope(Policy p, TransferRequest r) {
        return p.scope().covers(r.walletId(), r.walletType()) && (p.asset() == null || p.asset().equals(r.asset()));
    }

    private static List<Policy> ofType(List<Policy> policies, PolicyType type) {
        return policies.stream().filter(p -> p.type() == type).toList();
    }

    /** The rule with the smallest limit, the first given among equals; null for none. */
    private static Policy tightest(List<Policy> limits) {
        Policy best = null;
        for (Policy p : limits) {
            if (best == null || p.limit().compareTo(best.limit()) < 0) {
                best = p;
            }
        }
        return best;
    }
}
