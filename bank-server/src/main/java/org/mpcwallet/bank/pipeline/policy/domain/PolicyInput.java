package org.mpcwallet.bank.pipeline.policy.domain;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link PolicyEngine#evaluate} looks at.
 *
 * @param request       the transfer
 * @param allowlistOnly the wallet's {@code wallet_settings.allowlist_only}
 * @param policies      the enabled rules (any scope; the engine picks those in scope). Order matters only to break
 *                      ties (see {@link PolicyEngine})
 * @param usedToday     the wallet's volume already reserved today (UTC) per asset symbol; a missing asset is zero
 */
public record PolicyInput(TransferRequest request, boolean allowlistOnly, List<Policy> policies,
                          Map<String, BigInteger> usedToday) {
    public PolicyInput {
        Objects.requireNonNull(request, "request");
        policies = List.copyOf(policies);
        usedToday = Map.copyOf(usedToday);
        for (BigInteger used : usedToday.values()) {
            if (used.signum() < 0) {
                throw new IllegalArgumentException("a used volume is negative");
            }
        }
    }

    /** The volume of the request's asset used today. */
    public BigInteger usedTodayOfAsset() {
        return usedToday.getOrDefault(request.asset(), BigInteger.ZERO);
    }
}
