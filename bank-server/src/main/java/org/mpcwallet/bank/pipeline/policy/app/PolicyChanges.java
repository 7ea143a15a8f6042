package org.mpcwallet.bank.pipeline.policy.app;

import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.changes.app.ChangeApplier;
import org.mpcwallet.bank.pipeline.policy.domain.Policy;
import org.mpcwallet.bank.wallet.app.Caller;

/**
 * Policies under four eyes (docs/admin-console.md): the proposal's payload and summary, and applying it when a second
 * ADMIN approves — {@code POLICY_CREATE} (the rule's fields as sent) and {@code POLICY_DISABLE} ({@code policyId}).
 */
@Singleton
public class PolicyChanges implements ChangeApplier {
    public static final String CREATE = "POLICY_CREATE";
    public static final String DISABLE = "POLICY_DISABLE";

    private final PolicyAdmin policies;

    public PolicyChanges(PolicyAdmin policies) {
        this.policies = policies;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(CREATE, DISABLE);
    }

    /** The payload of a rule's creation: its fields as the API received them, nulls left out. */
    public static Map<String, Object> payload(PolicyAdmin.Draft d) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "type", d.type());
        put(m, "scope", d.scope());
        put(m, "walletId", d.walletId());
        put(m, "walletType", d.walletType());
        put(m, "asset", d.asset());
        put(m, "address", d.address());
        put(m, "token", d.token());
        put(m, "limit", d.limit());
        put(m, "approvals", d.approvals());
        return m;
    }

    /** What an approver reads: the rule in one line. */
    public static String summary(PolicyAdmin.Prepared p) {
        Policy r = p.policy();
        StringBuilder s = new StringBuilder("Create a ").append(r.type().name()).append(" rule for ")
                .append(p.walletId() != null ? "wallet " + p.walletId() : p.walletType() != null
                        ? "every " + p.walletType().name() + " wallet" : "every wallet");
        if (r.asset() != null) {
            s.append(", asset ").append(r.asset());
        }
        if (r.address() != null) {
            s.append(", address ").append(r.address());
        }
        if (r.limit() != null) {
            s.append(", limit ").append("ETH".equals(r.asset()) ? new java.math.BigDecimal(r.limit()).movePointLeft(18)
                    .stripTrailingZeros().toPlainString() + " ETH (" + r.limit() + " wei)" : r.limit() + " base units");
        }
        if (r.approvals() != null) {
            s.append(", ").append(r.approvals()).append(" approvals");
        }
        return s.toString();
    }

    @Override
    public Map<String, Object> apply(String kind, Caller proposer, Map<String, Object> payload,
                                     String changeId, String correlationId) throws SQLException {
        if (DISABLE.equals(kind)) {
            UUID id = UUID.fromString((String) payload.get("policyId"));
            policies.disable(proposer, id, correlationId, changeId);
            return Map.of("policyId", id.toString(), "disabled", true);
        }
        PolicyAdmin.Draft d = new PolicyAdmin.Draft(str(payload, "type"), str(payload, "scope"),
                str(payload, "walletId"), str(payload, "walletType"), str(payload, "asset"), str(payload, "address"),
                str(payload, "token"), str(payload, "limit"), payload.get("approvals") instanceof Number n
                ? n.intValue() : null);
        Policy p = policies.insert(proposer, policies.prepare(proposer, d), correlationId, changeId);
        return Map.of("policyId", p.id().toString());
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
