package org.mpcwallet.bank.wallet.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.limits.LimitsConfig;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.domain.CustodyBackend;
import org.mpcwallet.bank.wallet.domain.RiskProfile;
import org.mpcwallet.bank.wallet.domain.RoleGrant;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStateMachine;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.bank.wallet.domain.WalletType;
import org.mpcwallet.bank.wallet.persistence.WalletRepository;

/**
 * A wallet's life, each step audited in its own transaction: creation (PENDING_KEYGEN, its name and tags checked, at
 * most {@link LimitsConfig#pendingKeygenWalletsPerUser()} waiting per user), the keygen's outcome (ACTIVE or FAILED,
 * through {@link WalletStateMachine}), and after a key rotation the successor wallet and the old one RETIRED.
 * Reading wallets and the access rules are in {@link WalletService}. Blocking (JDBC): call it off the event loop.
 */
@Singleton
public class WalletLifecycle {
    public static final String SYSTEM_ACTOR = "system:keygen";
    private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$");
    private static final int MAX_TAGS = 20;
    private static final int MAX_NAME = 100;
    private static final Pattern ADDRESS = Pattern.compile("^[\\x21-\\x7E]{1,128}$");

    private final TransactionRunner transactions;
    private final WalletRepository wallets;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    private final LimitsConfig limits;

    public WalletLifecycle(TransactionRunner transactions, WalletRepository wallets, AuditLog audit, JsonMapper json,
                           LimitsConfig limits) {
        this.limits = limits;
        this.transactions = transactions;
        this.wallets = wallets;
        this.audit = audit;
        this.json = json;
    }

    /**
     * Creates a wallet in PENDING_KEYGEN with a fresh keyset id; the caller becomes its OWNER. A user may have at most
     * {@link LimitsConfig#pendingKeygenWalletsPerUser()} wallets of their own waiting for key generation (§4).
     */
    public Wallet create(Caller caller, String name, String type, String riskProfile, List<String> tags,
                         String custodyBackend, String correlationId) {
        String n = checkName(name);
        WalletType t = WalletService.parse(WalletType.class, type, "type");
        RiskProfile r = WalletService.parse(RiskProfile.class, riskProfile, "riskProfile");
        CustodyBackend cb = custodyBackend == null ? CustodyBackend.MPC_2PC
                : WalletService.parse(CustodyBackend.class, custodyBackend, "custodyBackend");
        List<String> tg = checkTags(tags);
        Instant now = now();
        Wallet w = new Wallet(UUID.randomUUID(), n, t, r, tg, cb, WalletStatus.PENDING_KEYGEN,
                "ks-" + UUID.randomUUID(), null, null, now, now, null, caller.userId());
        transactions.inTransaction(() -> {
            if (!wallets.userEnabled(caller.userId())) {
                throw new WalletException(Kind.UNAUTHORIZED, "Unauthorized");
            }
            int pending = wallets.lockAndCountPendingKeygen(caller.userId());
            if (pending >= limits.pendingKeygenWalletsPerUser()) {
                throw new WalletException(Kind.CONFLICT, "You have " + pending + " wallets waiting for key "
                        + "generation (at most " + limits.pendingKeygenWalletsPerUser() + "); run the key generation "
                        + "of one of them before creating another.");
            }
            wallets.insert(w);
            wallets.grant(w.id(), caller.userId(), WalletRole.OWNER, now);
            // in the same transaction: no wallet without its audit event (and its webhook event)
            audit.appendInTransaction(caller.actor(), "WALLET_CREATED", payload("walletId", w.id().toString(), "userId",
                    caller.userId().toString(), "name", n, "type", t.name(), "riskProfile", r.name(), "tags", tg,
                    "custodyBackend", cb.name(), "keysetId", w.keysetId(), "correlationId", correlationId));
            return null;
        });
        return w;
    }

    /**
     * Keygen succeeded: PENDING_KEYGEN -> ACTIVE with the joint public key (33 or 65 bytes) and the address, audit
     * event included; in the caller's transaction when one is open (the keygen's session record), else in its own.
     */
    public Wallet markActive(UUID walletId, byte[] publicKey, String address) {
        return transactions.inTransaction(() -> {
            if (publicKey == null || (publicKey.length != 33 && publicKey.length != 65)) {
                throw new IllegalArgumentException("publicKey must be 33 (compressed) or 65 bytes");
            }
            if (address == null || !ADDRESS.matcher(address).matches()) {
                throw new IllegalArgumentException("address must be 1-128 visible ASCII characters");
            }
            Wallet w = transition(walletId, WalletStatus.ACTIVE, publicKey, address);
            audit.appendInTransaction(SYSTEM_ACTOR, "WALLET_ACTIVATED", payload("walletId", w.id().toString(),
                    "keysetId", w.keysetId(), "address", address, "publicKey", HexFormat.of().formatHex(publicKey)));
            return w;
        });
    }

    /**
     * Keygen failed: PENDING_KEYGEN -> FAILED. {@code reason} is recorded in the audit log (≤ 200 characters); in the
     * caller's transaction when one is open (the session's end), else in its own.
     */
    public Wallet markFailed(UUID walletId, String reason) {
        return transactions.inTransaction(() -> {
            Wallet w = transition(walletId, WalletStatus.FAILED, null, null);
            String r = reason == null ? "" : reason;
            audit.appendInTransaction(SYSTEM_ACTOR, "WALLET_KEYGEN_FAILED", payload("walletId", w.id().toString(),
                    "keysetId", w.keysetId(), "reason", r.length() > 200 ? r.substring(0, 200) : r));
            return w;
        });
    }

    /**
     * The wallet that replaces {@code old} after its key locked (docs/key-rotation.md): PENDING_KEYGEN with a fresh
     * keyset, the same owner, type, risk profile, tags and wallet roles, named "{@code <name> (rotated)}". In
     * the caller's transaction (the rotation's); audited WALLET_CREATED with the rotation's actor.
     */
    public Wallet createSuccessor(Wallet old, String actor) throws SQLException {
        Instant now = now();
        String suffix = " (rotated)";
        String base = old.name();
        if (base.codePointCount(0, base.length()) + suffix.length() > MAX_NAME) {
            base = base.substring(0, base.offsetByCodePoints(0, MAX_NAME - suffix.length()));
        }
        Wallet w = new Wallet(UUID.randomUUID(), base + suffix, old.type(), old.riskProfile(), old.tags(),
                old.custodyBackend(), WalletStatus.PENDING_KEYGEN, "ks-" + UUID.randomUUID(), null, null, now, now,
                null, old.createdBy());
        wallets.insert(w);
        for (RoleGrant g : wallets.roles(old.id())) {
            wallets.grant(w.id(), g.userId(), g.role(), now);
        }
        audit.appendInTransaction(actor, "WALLET_CREATED", payload("walletId", w.id().toString(), "userId",
                old.createdBy().toString(), "name", w.name(), "type", w.type().name(), "riskProfile",
                w.riskProfile().name(), "tags", w.tags(), "custodyBackend", w.custodyBackend().name(), "keysetId",
                w.keysetId(), "rotatedFrom", old.id().toString()));
        return w;
    }

    /**
     * ACTIVE -> RETIRED (its key retired for good, its funds swept); key and address are kept. In the caller's
     * transaction.
     */
    public Wallet markRetired(UUID walletId, String actor) throws SQLException {
        Wallet old = wallets.find(walletId, true).orElseThrow(WalletService::notFound);
        Wallet w = transition(walletId, WalletStatus.RETIRED, old.publicKey(), old.address());
        audit.appendInTransaction(actor, "WALLET_RETIRED", payload("walletId", w.id().toString(), "keysetId",
                w.keysetId(), "address", w.address()));
        return w;
    }

    private Wallet transition(UUID walletId, WalletStatus to, byte[] publicKey, String address) {
        Instant now = now();
        Wallet w = wallets.find(walletId, true)
                .orElseThrow(() -> new WalletException(Kind.NOT_FOUND, "No such wallet."));
        WalletStateMachine.transition(w.status(), to, publicKey, address);
        wallets.updateStatus(w.id(), to, publicKey, address, now);
        return wallets.find(w.id(), false).orElseThrow();
    }

    // ---- validation

    private static String checkName(String name) {
        if (name == null) {
            throw new WalletException(Kind.INVALID_REQUEST, "name is required");
        }
        String n = name.strip();
        if (n.isEmpty() || n.codePointCount(0, n.length()) > MAX_NAME) {
            throw new WalletException(Kind.INVALID_REQUEST, "name must be 1-" + MAX_NAME + " characters");
        }
        if (n.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE)) {
            throw new WalletException(Kind.INVALID_REQUEST, "name must not contain control characters");
        }
        return n;
    }

    private static List<String> checkTags(List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw new WalletException(Kind.INVALID_REQUEST, "at most " + MAX_TAGS + " tags");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String t : tags) {
            if (t == null || !TAG.matcher(t).matches()) {
                throw new WalletException(Kind.INVALID_REQUEST,
                        "tags: each tag is 1-64 characters of [A-Za-z0-9._:-], starting with a letter or digit");
            }
            out.add(t);
        }
        return new ArrayList<>(out);
    }

    // ---- plumbing

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }


    private String payload(Object... kv) {
        return AuditPayload.of(json, kv);
    }
}
