package org.mpcwallet.bank.pipeline.policy.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.pipeline.policy.domain.Policy;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyScope;
import org.mpcwallet.bank.pipeline.policy.domain.PolicyType;
import org.mpcwallet.bank.wallet.domain.WalletType;

/**
 * Tables {@code policies} (the rules) and {@code wallet_settings} (a wallet's allowlist-only switch), Micronaut Data
 * JDBC: in the caller's Micronaut transaction when there is one, else each statement commits by itself. Hands out the
 * domain {@link Policy}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class PolicyRepository implements GenericRepository<PolicyRow, UUID> {

    /** A rule as the lists read it: its id, type, scope and value fields. */
    @Introspected
    protected record Rule(UUID id, String type, @Nullable UUID walletId, @Nullable String walletType,
                          @Nullable String asset, @Nullable String address, @Nullable String token,
                          @Nullable BigDecimal limitAmount, @Nullable Integer approvals) {
    }

    /** The enabled policies that can apply to a wallet: its own, its type's, and the global ones. */
    public List<Policy> inScope(UUID walletId, WalletType walletType) {
        return scoped(walletId, walletType.name()).stream().map(PolicyRepository::policy).toList();
    }

    /** The enabled policies, oldest first. */
    public List<Policy> all() {
        return enabled().stream().map(PolicyRepository::policy).toList();
    }

    /** Stores a new, enabled rule created by {@code createdBy} now. */
    public void insert(Policy p, UUID createdBy) {
        UUID walletId = p.scope() instanceof PolicyScope.Wallet w ? w.walletId() : null;
        String walletType = p.scope() instanceof PolicyScope.OfType t ? t.walletType().name() : null;
        insertRow(p.id(), p.type().name(), walletId, walletType, p.asset(), p.address(), p.token(),
                p.limit() == null ? null : new BigDecimal(p.limit()), p.approvals(), createdBy, Instant.now());
    }

    /** Disables a policy (kept for the audit trail); false if there was no enabled policy with this id. */
    public boolean disable(UUID id) {
        return disableEnabled(id) == 1;
    }

    /** Whether the wallet sends only to allowlisted addresses (false when it has no settings row). */
    public boolean allowlistOnly(UUID walletId) {
        return allowlistOnlySetting(walletId).orElse(false);
    }

    @Query("insert into wallet_settings (wallet_id, allowlist_only) values (:walletId, :allowlistOnly) "
            + "on conflict (wallet_id) do update set allowlist_only = excluded.allowlist_only")
    public abstract void setAllowlistOnly(UUID walletId, boolean allowlistOnly);

    private static Policy policy(Rule r) {
        PolicyScope scope = r.walletId() != null ? new PolicyScope.Wallet(r.walletId())
                : r.walletType() != null ? new PolicyScope.OfType(WalletType.valueOf(r.walletType()))
                : new PolicyScope.Global();
        return new Policy(r.id(), PolicyType.valueOf(r.type()), scope, r.asset(), r.address(), r.token(),
                r.limitAmount() == null ? null : r.limitAmount().toBigIntegerExact(), r.approvals());
    }

    @Query("select id, type, wallet_id, wallet_type, asset, address, token, limit_amount, approvals from policies "
            + "where enabled and (wallet_id = :walletId or wallet_type = :walletType "
            + "or (wallet_id is null and wallet_type is null)) order by created_at, id")
    protected abstract List<Rule> scoped(UUID walletId, String walletType);

    @Query("select id, type, wallet_id, wallet_type, asset, address, token, limit_amount, approvals from policies "
            + "where enabled order by created_at, id")
    protected abstract List<Rule> enabled();

    @Query("insert into policies (id, type, wallet_id, wallet_type, asset, address, token, limit_amount, approvals, "
            + "enabled, created_by, created_at) values (:id, :type, :walletId, :walletType, :asset, :address, :token, "
            + ":limitAmount, :approvals, true, :createdBy, :createdAt)")
    protected abstract void insertRow(UUID id, String type, @Nullable UUID walletId, @Nullable String walletType,
                                      @Nullable String asset, @Nullable String address, @Nullable String token,
                                      @Nullable BigDecimal limitAmount, @Nullable Integer approvals, UUID createdBy,
                                      Instant createdAt);

    @Query("update policies set enabled = false where id = :id and enabled")
    protected abstract int disableEnabled(UUID id);

    @Query("select allowlist_only from wallet_settings where wallet_id = :walletId")
    protected abstract Optional<Boolean> allowlistOnlySetting(UUID walletId);
}
