package org.mpcwallet.bank.pipeline.policy.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.pipeline.policy.domain.Policy;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyScope;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyType;
import org.mpcwallet.bank.pipeline.policy.persistence.PolicyRepository;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.domain.WalletType;
import org.mpcwallet.bank.wallet.persistence.WalletRepository;

/**
 * {@code /v1/policies} (docs/custody-pipeline.md, "Controls"): a bank ADMIN creates and disables rules; ADMIN,
 * COMPLIANCE and OPERATOR read them. A rule's shape is checked by the {@link Policy} record itself (its message is
 * the 400's detail). Audited POLICY_CREATED and POLICY_DISABLED; a disabled rule is kept for the audit trail.
 */
@Singleton
public class PolicyAdmin {
    private final WalletRepository walletRows;
    public static final Set<Role> READERS = Set.of(Role.ADMIN, Role.COMPLIANCE, Role.OPERATOR);

    private final TransactionRunner transactions;
    private final AuditLog audit;
    private final JsonMapper json;
    private final PolicyRepository policyRows;

    public PolicyAdmin(TransactionRunner transactions, AuditLog audit, JsonMapper json, WalletRepository walletRows,
                       PolicyRepository policyRows) {
        this.walletRows = walletRows;
        this.transactions = transactions;
        this.audit = audit;
        this.json = json;
        this.policyRows = policyRows;
    }

    /** The fields of a new rule as the API receives them (all optional; which are needed depends on the type). */
    public record Draft(String type, String scope, String walletId, String walletType, String asset, String address,
                        String token, String limit, Integer approvals) {
    }

    /**
     * The rule's scope, stated explicitly (docs/controls-hardening.md §5): {@code "scope":"GLOBAL"} for every wallet;
     * {@code walletId} (scope {@code WALLET}, which may be left out) or {@code walletType} (scope {@code WALLET_TYPE},
     * likewise). A rule that names none of them is refused instead of silently applying to every wallet.
     */
    private static void requireExplicitScope(String scope, UUID walletId, WalletType walletType) {
        String s = scope == null ? null : scope.strip().toUpperCase(Locale.ROOT);
        String refused;
        if (s == null) {
            refused = walletId == null && walletType == null ? "scope: a rule for every wallet must say "
                    + "\"scope\":\"GLOBAL\"; a rule for one wallet names walletId, one for a wallet type walletType"
                    : null;
        } else {
            refused = switch (s) {
                case "GLOBAL" -> walletId != null || walletType != null
                        ? "scope GLOBAL takes neither walletId nor walletType" : null;
                case "WALLET" -> walletId == null || walletType != null
                        ? "scope WALLET needs walletId and no walletType" : null;
                case "WALLET_TYPE" -> walletType == null || walletId != null
                        ? "scope WALLET_TYPE needs walletType and no walletId" : null;
                default -> "scope must be one of GLOBAL, WALLET, WALLET_TYPE";
            };
        }
        if (refused != null) {
            throw new WalletException(Kind.INVALID_REQUEST, refused);
        }
    }

    /** A rule checked and ready to insert, with its scope as given. */
    public record Prepared(Policy policy, UUID walletId, WalletType walletType) {
    }

    public Policy create(Caller caller, Draft d, String correlationId) {
        Prepared p = prepare(caller, d);
        return transactions.inTransaction(() -> insert(caller, p, correlationId, null));
    }

    /**
     * Checks a new rule as {@link #create} does, without storing it (ADMIN only; 400 naming the broken rule): for a
     * proposal that a second ADMIN approves (four eyes).
     */
    public Prepared prepare(Caller caller, Draft d) {
        requireAdmin(caller);
        PolicyType type = parseEnum(PolicyType.class, d.type(), "type");
        UUID walletId = null;
        if (d.walletId() != null) {
            try {
                walletId = UUID.fromString(d.walletId().strip());
            } catch (IllegalArgumentException e) {
                throw new WalletException(Kind.INVALID_REQUEST, "walletId must be a UUID");
            }
        }
        WalletType walletType = d.walletType() == null ? null : parseEnum(WalletType.class, d.walletType(),
                "walletType");
        BigInteger limit = null;
        if (d.limit() != null) {
            if (!d.limit().strip().matches("[0-9]{1,78}")) {
                throw new WalletException(Kind.INVALID_REQUEST, "limit must be a decimal integer in base units "
                        + "(wei for ETH), at most 78 digits");
            }
            limit = new BigInteger(d.limit().strip());
        }
        String asset = d.asset() == null ? null : d.asset().strip().toUpperCase(Locale.ROOT);
        Policy policy;
        try {
            policy = new Policy(UUID.randomUUID(), type, PolicyScope.of(walletId, walletType), asset,
                    blankToNull(d.address()), blankToNull(d.token()), limit, d.approvals());
        } catch (IllegalArgumentException e) {
            throw new WalletException(Kind.INVALID_REQUEST, e.getMessage());
        }
        requireExplicitScope(d.scope(), walletId, walletType);
        if (walletId != null) {
            UUID w = walletId;
            if (!transactions.inTransaction(() -> walletRows.exists(w))) {
                throw new WalletException(Kind.INVALID_REQUEST, "walletId names no wallet");
            }
        }
        return new Prepared(policy, walletId, walletType);
    }

    /** Stores a prepared rule in the caller's transaction, audited POLICY_CREATED (with the change, if four eyes). */
    public Policy insert(Caller caller, Prepared p, String correlationId, String changeId) throws SQLException {
        Policy policy = p.policy();
        UUID scopeWallet = p.walletId();
        WalletType walletType = p.walletType();
        if (scopeWallet != null && !walletRows.exists(scopeWallet)) {
            throw new WalletException(Kind.INVALID_REQUEST, "walletId names no wallet");
        }
        policyRows.insert(policy, caller.userId());
        audit.appendInTransaction(caller.actor(), "POLICY_CREATED", AuditPayload.of(json, "policyId",
                policy.id().toString(), "type", policy.type().name(), "walletId",
                scopeWallet == null ? null : scopeWallet.toString(), "walletType",
                walletType == null ? null : walletType.name(), "asset", policy.asset(), "address",
                policy.address(), "token", policy.token(), "limit",
                policy.limit() == null ? null : policy.limit().toString(), "approvals", policy.approvals(),
                "changeId", changeId, "correlationId", correlationId));
        return policy;
    }

    /** The enabled rules, oldest first. */
    public List<Policy> list(Caller caller) {
        if (caller.bankRoles().stream().noneMatch(READERS::contains)) {
            throw new WalletException(Kind.FORBIDDEN, "Policies are for ADMIN, COMPLIANCE and OPERATOR.");
        }
        return transactions.inTransaction(() -> policyRows.all());
    }

    /** Disables an enabled rule (it stays in the table for the audit trail). */
    public void disable(Caller caller, String id, String correlationId) {
        UUID policyId = enabledPolicy(caller, id);
        transactions.inTransaction(() -> {
            disable(caller, policyId, correlationId, null);
            return null;
        });
    }

    /** The id of an enabled rule an ADMIN may disable, or 403/404: for a proposal (four eyes). */
    public UUID enabledPolicy(Caller caller, String id) {
        requireAdmin(caller);
        UUID policyId;
        try {
            policyId = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw noSuchPolicy();
        }
        if (transactions.inTransaction(() -> policyRows.all().stream().noneMatch(p -> p.id().equals(policyId)))) {
            throw noSuchPolicy();
        }
        return policyId;
    }

    /** Disables in the caller's transaction, audited POLICY_DISABLED (with the change, if four eyes). */
    public void disable(Caller caller, UUID policyId, String correlationId, String changeId) throws SQLException {
        if (!policyRows.disable(policyId)) {
            throw noSuchPolicy();
        }
        audit.appendInTransaction(caller.actor(), "POLICY_DISABLED", AuditPayload.of(json, "policyId",
                policyId.toString(), "changeId", changeId, "correlationId", correlationId));
    }

    private static WalletException noSuchPolicy() {
        return new WalletException(Kind.NOT_FOUND, "No enabled policy with this id.");
    }

    public static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only a bank ADMIN changes the controls.");
        }
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String field) {
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new WalletException(Kind.INVALID_REQUEST, field + " must be one of " + allowed);
        }
        return Enum.valueOf(type, v);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

}
