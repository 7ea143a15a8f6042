package org.mpcwallet.bank.pipeline.policy.domain;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.mpcwallet.bank.pipeline.EthFormats;

/**
 * One enabled policy rule (a {@code policies} row). Each type uses exactly its own value fields; the others must be
 * null, so a rule cannot silently carry a value that does nothing:
 *
 * <table>
 * <caption>value fields by type</caption>
 * <tr><th>type</th><th>required</th><th>meaning</th></tr>
 * <tr><td>ADDRESS_DENYLIST</td><td>address</td><td>no transfer to {@code address}</td></tr>
 * <tr><td>ADDRESS_ALLOWLIST</td><td>address</td><td>an allowlist-only wallet may send to {@code address}</td></tr>
 * <tr><td>TOKEN_DENYLIST</td><td>token</td><td>no transfer of the token at contract {@code token}</td></tr>
 * <tr><td>TX_LIMIT</td><td>asset, limit</td><td>one transfer of {@code asset} at most {@code limit} base units</td></tr>
 * <tr><td>DAILY_LIMIT</td><td>asset, limit</td><td>a wallet's {@code asset} volume per UTC day at most
 * {@code limit}</td></tr>
 * <tr><td>APPROVAL_REQUIRED</td><td>approvals (1-10)</td><td>that many approvers must approve</td></tr>
 * </table>
 *
 * <p>Limits are in base units, which differ per asset (wei, a token's smallest unit), so a limit without an asset
 * means nothing and is refused. Any rule may name an {@code asset} (1-16 of {@code A-Z 0-9}): it then applies only to
 * transfers of that asset; without one it applies to every asset. Addresses and tokens are stored lower-case.
 *
 * @param id        the rule id, recorded in decisions and the audit
 * @param type      the kind of rule
 * @param scope     the wallets it applies to
 * @param asset     the asset it applies to, or null for every asset
 * @param address   ADDRESS_DENYLIST / ADDRESS_ALLOWLIST: the address
 * @param token     TOKEN_DENYLIST: the token contract
 * @param limit     TX_LIMIT / DAILY_LIMIT: the limit in base units (at least 0)
 * @param approvals APPROVAL_REQUIRED: the number of approvals (1-10)
 */
public record Policy(UUID id, PolicyType type, PolicyScope scope, String asset, String address, String token,
                     BigInteger limit, Integer approvals) {
    /** The most approvals a rule may require (the {@code policies.approvals} constraint). */
    public static final int MAX_APPROVALS = 10;

    public Policy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(scope, "scope");
        if (asset != null && !EthFormats.isAssetSymbol(asset)) {
            throw new IllegalArgumentException("policy " + id + ": asset is not 1-16 of A-Z 0-9");
        }
        boolean needsAddress = type == PolicyType.ADDRESS_DENYLIST || type == PolicyType.ADDRESS_ALLOWLIST;
        boolean needsToken = type == PolicyType.TOKEN_DENYLIST;
        boolean needsLimit = type == PolicyType.TX_LIMIT || type == PolicyType.DAILY_LIMIT;
        boolean needsApprovals = type == PolicyType.APPROVAL_REQUIRED;
        address = field(id, type, "address", address, needsAddress);
        token = field(id, type, "token", token, needsToken);
        if (needsLimit != (limit != null)) {
            throw new IllegalArgumentException("policy " + id + ": " + type + (needsLimit ? " needs" : " takes no")
                    + " limit");
        }
        if (limit != null && limit.signum() < 0) {
            throw new IllegalArgumentException("policy " + id + ": limit is negative");
        }
        if (needsLimit && asset == null) {
            throw new IllegalArgumentException("policy " + id + ": " + type
                    + " needs an asset (a limit in base units means nothing without its asset)");
        }
        if (needsApprovals != (approvals != null)) {
            throw new IllegalArgumentException("policy " + id + ": " + type
                    + (needsApprovals ? " needs" : " takes no") + " approvals");
        }
        if (approvals != null && (approvals < 1 || approvals > MAX_APPROVALS)) {
            throw new IllegalArgumentException("policy " + id + ": approvals must be 1-" + MAX_APPROVALS);
        }
    }

    /** An ADDRESS_DENYLIST rule. */
    public static Policy addressDenylist(UUID id, PolicyScope scope, String asset, String address) {
        return new Policy(id, PolicyType.ADDRESS_DENYLIST, scope, asset, address, null, null, null);
    }

    /** An ADDRESS_ALLOWLIST rule. */
    public static Policy addressAllowlist(UUID id, PolicyScope scope, String asset, String address) {
        return new Policy(id, PolicyType.ADDRESS_ALLOWLIST, scope, asset, address, null, null, null);
    }

    /** A TOKEN_DENYLIST rule. */
    public static Policy tokenDenylist(UUID id, PolicyScope scope, String token) {
        return new Policy(id, PolicyType.TOKEN_DENYLIST, scope, null, null, token, null, null);
    }

    /** A TX_LIMIT rule. */
    public static Policy txLimit(UUID id, PolicyScope scope, String asset, BigInteger limit) {
        return new Policy(id, PolicyType.TX_LIMIT, scope, asset, null, null, limit, null);
    }

    /** A DAILY_LIMIT rule. */
    public static Policy dailyLimit(UUID id, PolicyScope scope, String asset, BigInteger limit) {
        return new Policy(id, PolicyType.DAILY_LIMIT, scope, asset, null, null, limit, null);
    }

    /** An APPROVAL_REQUIRED rule. */
    public static Policy approvalRequired(UUID id, PolicyScope scope, String asset, int approvals) {
        return new Policy(id, PolicyType.APPROVAL_REQUIRED, scope, asset, null, null, null, approvals);
    }

    private static String field(UUID id, PolicyType type, String name, String value, boolean needed) {
        if (!needed) {
            if (value != null) {
                throw new IllegalArgumentException("policy " + id + ": " + type + " takes no " + name);
            }
            return null;
        }
        if (!EthFormats.isAddress(value)) {
            throw new IllegalArgumentException("policy " + id + ": " + type + " needs " + name
                    + " as 0x and 40 hex digits");
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
