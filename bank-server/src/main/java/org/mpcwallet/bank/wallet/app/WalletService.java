package org.mpcwallet.bank.wallet.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.paging.Cursors;
import org.mpcwallet.bank.paging.Page;
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
 * Wallets and their wallet-scoped roles. Blocking (JDBC): call it off the event loop.
 *
 * <p>Visibility: staff (bank roles ADMIN, OPERATOR, COMPLIANCE, VIEWER) see every wallet; anyone else only wallets
 * on which they hold a wallet role. A wallet the caller may not see is answered as not found (404), never 403, so
 * wallet ids cannot be probed. Role grants are managed by the wallet's OWNERs and by ADMIN; a caller who sees the
 * wallet but may not manage it gets 403.
 */
@Singleton
public class WalletService {
    public static final String SYSTEM_ACTOR = "system:keygen";
    private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$");
    private static final int MAX_TAGS = 20;
    private static final int MAX_NAME = 100;
    private static final Pattern ADDRESS = Pattern.compile("^[\\x21-\\x7E]{1,128}$");

    private final DataSource dataSource;
    private final WalletRepository wallets;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    private final LimitsConfig limits;

    public WalletService(DataSource dataSource, WalletRepository wallets, AuditLog audit, JsonMapper json,
                         LimitsConfig limits) {
        this.limits = limits;
        this.dataSource = dataSource;
        this.wallets = wallets;
        this.audit = audit;
        this.json = json;
    }

    /** The keyset metadata shown by {@code GET /v1/wallets/{id}/mpc}. */
    public record MpcInfo(Wallet wallet, boolean locked, Long epoch) {
    }

    /**
     * Creates a wallet in PENDING_KEYGEN with a fresh keyset id; the caller becomes its OWNER. A user may have at most
     * {@link LimitsConfig#pendingKeygenWalletsPerUser()} wallets of their own waiting for key generation (§4).
     */
    public Wallet create(Caller caller, String name, String type, String riskProfile, List<String> tags,
                         String custodyBackend, String correlationId) {
        String n = checkName(name);
        WalletType t = parse(WalletType.class, type, "type");
        RiskProfile r = parse(RiskProfile.class, riskProfile, "riskProfile");
        CustodyBackend cb = custodyBackend == null ? CustodyBackend.MPC_2PC
                : parse(CustodyBackend.class, custodyBackend, "custodyBackend");
        List<String> tg = checkTags(tags);
        Instant now = now();
        Wallet w = new Wallet(UUID.randomUUID(), n, t, r, tg, cb, WalletStatus.PENDING_KEYGEN,
                "ks-" + UUID.randomUUID(), null, null, now, now, null, caller.userId());
        inTx(c -> {
            if (!wallets.userEnabled(c, caller.userId())) {
                throw new WalletException(Kind.UNAUTHORIZED, "Unauthorized");
            }
            int pending = wallets.lockAndCountPendingKeygen(c, caller.userId());
            if (pending >= limits.pendingKeygenWalletsPerUser()) {
                throw new WalletException(Kind.CONFLICT, "You have " + pending + " wallets waiting for key "
                        + "generation (at most " + limits.pendingKeygenWalletsPerUser() + "); run the key generation "
                        + "of one of them before creating another.");
            }
            wallets.insert(c, w);
            wallets.grant(c, w.id(), caller.userId(), WalletRole.OWNER, now);
            // in the same transaction: no wallet without its audit event (and its webhook event)
            audit.append(c, caller.actor(), "WALLET_CREATED", payload("walletId", w.id().toString(), "userId",
                    caller.userId().toString(), "name", n, "type", t.name(), "riskProfile", r.name(), "tags", tg,
                    "custodyBackend", cb.name(), "keysetId", w.keysetId(), "correlationId", correlationId));
            return null;
        });
        return w;
    }

    /**
     * A page of the wallets the caller sees, newest first; filters: status, creation time in [from, to), and
     * {@code q}: a part of the name, the address or an owner's username (case-insensitive).
     */
    public Page<Wallet> list(Caller caller, String status, String createdFrom, String createdTo, String q,
                             String cursor, Integer limit) {
        String search = q == null || q.isBlank() ? null : q.strip();
        if (search != null && (search.length() > 100 || search.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f))) {
            throw new WalletException(Kind.INVALID_REQUEST, "q must be at most 100 printable characters");
        }
        WalletStatus st = status == null || status.isBlank() ? null : parse(WalletStatus.class, status, "status");
        Instant from = Cursors.instant("createdFrom", createdFrom);
        Instant to = Cursors.instant("createdTo", createdTo);
        int n = Cursors.limit(limit);
        Cursors.TimeKey after = Cursors.timeKey("wallets", cursor);
        return inTx(c -> Page.of(wallets.page(c, caller.isStaff() ? null : caller.userId(), st, from, to, search,
                after, n),
                n, w -> Cursors.timeCursor("wallets", w.createdAt(), w.id())));
    }

    public Wallet get(Caller caller, String walletId) {
        return inTx(c -> visible(c, caller, walletId));
    }

    public MpcInfo mpc(Caller caller, String walletId) {
        return inTx(c -> {
            Wallet w = visible(c, caller, walletId);
            return new MpcInfo(w, wallets.keysetLocked(c, w.keysetId()), wallets.keysetEpoch(c, w.keysetId()));
        });
    }

    public List<RoleGrant> roles(Caller caller, String walletId) {
        return inTx(c -> wallets.roles(c, visible(c, caller, walletId).id()));
    }

    /** The username of {@code userId} (its id when there is no such user), for what a proposal says. */
    public String username(UUID userId) {
        return inTx(c -> wallets.username(c, userId).orElse(userId.toString()));
    }

    /** Grants {@code role} on the wallet to {@code userId}; OWNER or ADMIN only. */
    public RoleGrant assign(Caller caller, String walletId, String userId, String role, String correlationId) {
        WalletRole wr = parse(WalletRole.class, role, "role");
        UUID target = parseUuid(userId, "userId");
        Instant now = now();
        return inTx(c -> assign(c, caller, walletId, target, wr, now, correlationId, null));
    }

    /**
     * Checks a grant as {@link #assign} does, without making it — for a proposal a second ADMIN approves (four
     * eyes); returns the wallet.
     */
    public Wallet checkAssign(Caller caller, String walletId, String userId, String role) {
        WalletRole wr = parse(WalletRole.class, role, "role");
        UUID target = parseUuid(userId, "userId");
        return inTx(c -> {
            Wallet w = manageable(c, caller, walletId);
            checkGrant(c, caller, w, target, wr);
            return w;
        });
    }

    /** Grants in {@code c}'s transaction, audited ROLE_ASSIGNED (with the change, if four eyes). */
    public RoleGrant assign(Connection c, Caller caller, String walletId, UUID target, WalletRole wr, Instant now,
                            String correlationId, String changeId) throws SQLException {
        Wallet w = manageable(c, caller, walletId);
        checkGrant(c, caller, w, target, wr);
        if (!wallets.grant(c, w.id(), target, wr, now, caller.userId())) {
            throw new WalletException(Kind.CONFLICT, "The user already holds this role on the wallet.");
        }
        audit.append(c, caller.actor(), "ROLE_ASSIGNED", payload("walletId", w.id().toString(), "userId",
                target.toString(), "role", wr.name(), "byUserId", caller.userId().toString(), "changeId", changeId,
                "correlationId", correlationId));
        return new RoleGrant(w.id(), target, wr, now);
    }

    private void checkGrant(Connection c, Caller caller, Wallet w, UUID target, WalletRole wr) throws SQLException {
        if (!wallets.userEnabled(c, target)) {
            throw new WalletException(Kind.INVALID_REQUEST, "userId: no such user");
        }
        List<RoleGrant> current = wallets.roles(c, w.id());
        if (wr == WalletRole.APPROVER) {
            // docs/custody-pipeline.md "Who may approve": a bank decision, never the spender's
            if (!caller.isAdmin()) {
                throw new WalletException(Kind.FORBIDDEN, "APPROVER is granted by a bank ADMIN, never by the "
                        + "wallet's owner or operator.");
            }
            if (!Caller.eligibleApprover(wallets.bankRoles(c, target))) {
                throw new WalletException(Kind.CONFLICT, "The user is neither staff nor a signatory the bank "
                        + "registered (bank role SIGNATORY); self-registered accounts cannot approve.");
            }
            if (current.stream().anyMatch(x -> x.userId().equals(target) && x.role() == WalletRole.OWNER)) {
                throw new WalletException(Kind.CONFLICT, "An owner of the wallet cannot approve its transfers.");
            }
        }
        if (wr == WalletRole.OWNER && current.stream().anyMatch(x -> x.userId().equals(target)
                && x.role() == WalletRole.APPROVER)) {
            throw new WalletException(Kind.CONFLICT, "An approver of the wallet cannot become its owner.");
        }
        if (current.stream().anyMatch(x -> x.userId().equals(target) && x.role() == wr)) {
            throw new WalletException(Kind.CONFLICT, "The user already holds this role on the wallet.");
        }
    }

    /** Revokes one grant; OWNER or ADMIN only; the wallet's last OWNER cannot be removed (409). */
    public void revoke(Caller caller, String walletId, String userId, String role, String correlationId) {
        RevokeTarget t = revokeTarget(caller, walletId, userId, role);
        inTx(c -> {
            revoke(c, caller, walletId, t.userId(), t.role(), correlationId, null);
            return null;
        });
    }

    /** A grant to revoke: its user and role. */
    public record RevokeTarget(UUID userId, WalletRole role) {
    }

    private RevokeTarget revokeTarget(Caller caller, String walletId, String userId, String role) {
        WalletRole wr;
        UUID target;
        try {
            wr = WalletRole.valueOf(role);
            target = UUID.fromString(userId);
        } catch (IllegalArgumentException | NullPointerException e) {
            manageable(caller, walletId); // 404/403 first, as for any other grant
            throw new WalletException(Kind.NOT_FOUND, "No such role grant.");
        }
        if (wr == WalletRole.APPROVER && !caller.isAdmin()) {
            manageable(caller, walletId); // 404/403 first, as for any other grant
            throw new WalletException(Kind.FORBIDDEN, "APPROVER is revoked by a bank ADMIN.");
        }
        return new RevokeTarget(target, wr);
    }

    /** Checks a revocation as {@link #revoke} does, without making it (four eyes); returns the wallet. */
    public Wallet checkRevoke(Caller caller, String walletId, String userId, String role) {
        RevokeTarget t = revokeTarget(caller, walletId, userId, role);
        return inTx(c -> {
            Wallet w = manageable(c, caller, walletId);
            if (wallets.roles(c, w.id()).stream().noneMatch(g -> g.userId().equals(t.userId())
                    && g.role() == t.role())) {
                throw new WalletException(Kind.NOT_FOUND, "No such role grant.");
            }
            return w;
        });
    }

    /** Revokes in {@code c}'s transaction, audited ROLE_REVOKED (with the change, if four eyes). */
    public void revoke(Connection c, Caller caller, String walletId, UUID target, WalletRole wr,
                       String correlationId, String changeId) throws SQLException {
        Wallet w = manageable(c, caller, walletId); // locks the wallet row: revocations queue here
        if (wr == WalletRole.OWNER) {
            long owners = wallets.roles(c, w.id()).stream().filter(g -> g.role() == WalletRole.OWNER).count();
            boolean isOwner = wallets.roles(c, w.id()).stream()
                    .anyMatch(g -> g.role() == WalletRole.OWNER && g.userId().equals(target));
            if (isOwner && owners <= 1) {
                throw new WalletException(Kind.CONFLICT, "The last OWNER of a wallet cannot be removed.");
            }
        }
        if (!wallets.revoke(c, w.id(), target, wr)) {
            throw new WalletException(Kind.NOT_FOUND, "No such role grant.");
        }
        audit.append(c, caller.actor(), "ROLE_REVOKED", payload("walletId", w.id().toString(), "userId",
                target.toString(), "role", wr.name(), "byUserId", caller.userId().toString(), "changeId", changeId,
                "correlationId", correlationId));
    }

    /** Keygen succeeded: PENDING_KEYGEN -> ACTIVE with the joint public key (33 or 65 bytes) and the address. */
    public Wallet markActive(UUID walletId, byte[] publicKey, String address) {
        return inTx(c -> markActive(c, walletId, publicKey, address));
    }

    /** {@link #markActive(UUID, byte[], String)} inside the caller's transaction, audit event included. */
    public Wallet markActive(Connection c, UUID walletId, byte[] publicKey, String address) throws SQLException {
        if (publicKey == null || (publicKey.length != 33 && publicKey.length != 65)) {
            throw new IllegalArgumentException("publicKey must be 33 (compressed) or 65 bytes");
        }
        if (address == null || !ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("address must be 1-128 visible ASCII characters");
        }
        Wallet w = transition(c, walletId, WalletStatus.ACTIVE, publicKey, address);
        audit.append(c, SYSTEM_ACTOR, "WALLET_ACTIVATED", payload("walletId", w.id().toString(), "keysetId",
                w.keysetId(), "address", address, "publicKey", HexFormat.of().formatHex(publicKey)));
        return w;
    }

    /** Keygen failed: PENDING_KEYGEN -> FAILED. {@code reason} is recorded in the audit log (≤ 200 characters). */
    public Wallet markFailed(UUID walletId, String reason) {
        return inTx(c -> markFailed(c, walletId, reason));
    }

    /** {@link #markFailed(UUID, String)} inside the caller's transaction, audit event included. */
    public Wallet markFailed(Connection c, UUID walletId, String reason) throws SQLException {
        Wallet w = transition(c, walletId, WalletStatus.FAILED, null, null);
        String r = reason == null ? "" : reason;
        audit.append(c, SYSTEM_ACTOR, "WALLET_KEYGEN_FAILED", payload("walletId", w.id().toString(), "keysetId",
                w.keysetId(), "reason", r.length() > 200 ? r.substring(0, 200) : r));
        return w;
    }

    /**
     * The wallet that replaces {@code old} after its key locked (docs/key-rotation.md): PENDING_KEYGEN with a fresh
     * keyset, the same owner, type, risk profile, tags and wallet roles, named "{@code <name> (rotated)}". In
     * {@code c}'s transaction; audited WALLET_CREATED with the rotation's actor.
     */
    public Wallet createSuccessor(Connection c, Wallet old, String actor) throws SQLException {
        Instant now = now();
        String suffix = " (rotated)";
        String base = old.name();
        if (base.codePointCount(0, base.length()) + suffix.length() > MAX_NAME) {
            base = base.substring(0, base.offsetByCodePoints(0, MAX_NAME - suffix.length()));
        }
        Wallet w = new Wallet(UUID.randomUUID(), base + suffix, old.type(), old.riskProfile(), old.tags(),
                old.custodyBackend(), WalletStatus.PENDING_KEYGEN, "ks-" + UUID.randomUUID(), null, null, now, now,
                null, old.createdBy());
        wallets.insert(c, w);
        for (RoleGrant g : wallets.roles(c, old.id())) {
            wallets.grant(c, w.id(), g.userId(), g.role(), now);
        }
        audit.append(c, actor, "WALLET_CREATED", payload("walletId", w.id().toString(), "userId",
                old.createdBy().toString(), "name", w.name(), "type", w.type().name(), "riskProfile",
                w.riskProfile().name(), "tags", w.tags(), "custodyBackend", w.custodyBackend().name(), "keysetId",
                w.keysetId(), "rotatedFrom", old.id().toString()));
        return w;
    }

    /** ACTIVE -> RETIRED (its key retired for good, its funds swept); key and address are kept. */
    public Wallet markRetired(Connection c, UUID walletId, String actor) throws SQLException {
        Wallet old = wallets.find(c, walletId, true).orElseThrow(WalletService::notFound);
        Wallet w = transition(c, walletId, WalletStatus.RETIRED, old.publicKey(), old.address());
        audit.append(c, actor, "WALLET_RETIRED", payload("walletId", w.id().toString(), "keysetId", w.keysetId(),
                "address", w.address()));
        return w;
    }

    private Wallet transition(Connection c, UUID walletId, WalletStatus to, byte[] publicKey, String address)
            throws SQLException {
        Instant now = now();
        Wallet w = wallets.find(c, walletId, true)
                .orElseThrow(() -> new WalletException(Kind.NOT_FOUND, "No such wallet."));
        WalletStateMachine.transition(w.status(), to, publicKey, address);
        wallets.updateStatus(c, w.id(), to, publicKey, address, now);
        return wallets.find(c, w.id(), false).orElseThrow();
    }

    // ---- access

    private Wallet visible(Connection c, Caller caller, String walletId) throws SQLException {
        return access(c, caller, walletId, false, false);
    }

    private Wallet manageable(Connection c, Caller caller, String walletId) throws SQLException {
        return access(c, caller, walletId, true, true);
    }

    private void manageable(Caller caller, String walletId) {
        inTx(c -> manageable(c, caller, walletId));
    }

    private Wallet access(Connection c, Caller caller, String walletId, boolean manage, boolean lock)
            throws SQLException {
        UUID id;
        try {
            id = UUID.fromString(walletId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw notFound();
        }
        Wallet w = wallets.find(c, id, lock).orElseThrow(WalletService::notFound);
        Set<WalletRole> mine = new LinkedHashSet<>();
        for (RoleGrant g : wallets.roles(c, id)) {
            if (g.userId().equals(caller.userId())) {
                mine.add(g.role());
            }
        }
        if (mine.isEmpty() && !caller.isStaff()) {
            throw notFound();
        }
        if (manage && !caller.isAdmin() && !mine.contains(WalletRole.OWNER)) {
            throw new WalletException(Kind.FORBIDDEN, "Only the wallet's OWNER or an ADMIN may manage its roles.");
        }
        return w;
    }

    /**
     * The wallet (row-locked in {@code c}'s transaction) when the caller holds one of {@code walletRoles} on it or
     * one of {@code bankRoles}; NOT_FOUND when the caller may not see it (same answer as for no wallet), FORBIDDEN
     * when they see it without a required role.
     */
    public Wallet requireRole(Connection c, Caller caller, String walletId, Set<WalletRole> walletRoles,
                              Set<Role> bankRoles) throws SQLException {
        Wallet w = access(c, caller, walletId, false, true);
        if (caller.bankRoles().stream().anyMatch(bankRoles::contains)) {
            return w;
        }
        for (RoleGrant g : wallets.roles(c, w.id())) {
            if (g.userId().equals(caller.userId()) && walletRoles.contains(g.role())) {
                return w;
            }
        }
        throw new WalletException(Kind.FORBIDDEN, "This needs the " + walletRoles + " role on the wallet.");
    }

    /** Whether {@code userId} holds an active {@code role} on the wallet (no access check: for system callers). */
    public boolean holds(Connection c, UUID walletId, UUID userId, WalletRole role) throws SQLException {
        return wallets.roles(c, walletId).stream().anyMatch(g -> g.userId().equals(userId) && g.role() == role);
    }

    /** The wallet row-locked in {@code c}'s transaction, or null (no access check: for system callers). */
    public Wallet find(Connection c, UUID walletId) throws SQLException {
        return wallets.find(c, walletId, true).orElse(null);
    }

    /** Whether the wallet's keyset is locked (a row in keyset_lock). */
    public boolean keysetLocked(Connection c, String keysetId) throws SQLException {
        return wallets.keysetLocked(c, keysetId);
    }

    private static WalletException notFound() {
        return new WalletException(Kind.NOT_FOUND, "No such wallet.");
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

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        if (value == null || !allowed.contains(value.toUpperCase(Locale.ROOT))) {
            throw new WalletException(Kind.INVALID_REQUEST, field + " must be one of " + allowed);
        }
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }

    private static UUID parseUuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WalletException(Kind.INVALID_REQUEST, field + " must be a UUID");
        }
    }

    // ---- plumbing

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private <T> T inTx(Transactions.Work<T> work) {
        return Transactions.inTransaction(dataSource, work, WalletStoreException::new);
    }

    private String payload(Object... kv) {
        return AuditPayload.of(json, kv);
    }

    /** The database failed (500; the SQLSTATE is in the log, never in the answer). */
    public static final class WalletStoreException extends RuntimeException {
        public WalletStoreException(SQLException cause) {
            super("wallet store failed (SQLSTATE " + cause.getSQLState() + ")", cause);
        }
    }
}
