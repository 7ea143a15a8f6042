package org.mpcwallet.bank.pipeline.policy.domain;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** The answer of {@link PolicyEngine#evaluate}: blocked by one rule, or allowed with what the request now needs. */
public sealed interface PolicyDecision {
    /** The ids of the rules this decision rests on, for the audit (empty when no rule was involved). */
    List<UUID> matchedRuleIds();

    /**
     * Blocked.
     *
     * @param check  which check blocked
     * @param rule   the rule that blocked; null only for {@link PolicyCheck#ALLOWLIST_ONLY}, which is the wallet's
     *               setting, not a rule
     * @param reason for the audit and the requester (names no secret)
     */
    record Blocked(PolicyCheck check, Policy rule, String reason) implements PolicyDecision {
        public Blocked {
            Objects.requireNonNull(check, "check");
            if (rule == null && check != PolicyCheck.ALLOWLIST_ONLY) {
                throw new IllegalArgumentException(check + " is always a rule's block");
            }
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("reason missing");
            }
        }

        @Override
        public List<UUID> matchedRuleIds() {
            return rule == null ? List.of() : List.of(rule.id());
        }
    }

    /**
     * Allowed.
     *
     * @param requiredApprovals approvals needed before signing (0: none)
     * @param matchedRules      the rules in scope that applied and passed, in the order of the checks: the
     *                          ADDRESS_ALLOWLIST entry (allowlist-only wallets), TX_LIMIT, DAILY_LIMIT and
     *                          APPROVAL_REQUIRED rules
     * @param dailyLimit        the tightest DAILY_LIMIT rule in scope, against which the caller reserves the volume
     *                          atomically ({@code total + amount <= limit}); null when none applies
     */
    record Allowed(int requiredApprovals, List<Policy> matchedRules, Policy dailyLimit) implements PolicyDecision {
        public Allowed {
            if (requiredApprovals < 0) {
                throw new IllegalArgumentException("required approvals negative");
            }
            matchedRules = List.copyOf(matchedRules);
            if (dailyLimit != null && dailyLimit.type() != PolicyType.DAILY_LIMIT) {
                throw new IllegalArgumentException("dailyLimit is not a DAILY_LIMIT rule");
            }
        }

        @Override
        public List<UUID> matchedRuleIds() {
            return matchedRules.stream().map(Policy::id).toList();
        }
    }
}
