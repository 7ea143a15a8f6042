package org.mpcwallet.bank.integration.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.app.PasswordHasher;
import org.mpcwallet.bank.auth.app.UserStates;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.User;
import org.mpcwallet.bank.auth.persistence.UserRepository;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.integration.persistence.ApiClientKeyRow;
import org.mpcwallet.bank.integration.persistence.ApiClientRepository;
import org.mpcwallet.bank.integration.persistence.ApiClientRow;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;

/**
 * API clients (docs/integration.md "Signed requests"): an ADMIN registers one with its Ed25519 public key (the bank
 * never holds the private key), bank roles and optional source CIDRs; lists, disables, and rotates keys (the older
 * key keeps working for an overlap). Each client is a user row {@code api.<name>} that cannot log in, so roles,
 * wallet grants and the audit treat it like any caller (its actor is {@code client:<name>}). {@link #authenticate}
 * decides a signed request.
 */
@Singleton
public class ApiClients {
    /** The username prefix of API clients' user rows (self-registration refuses it). */
    public static final String USER_PREFIX = Caller.CLIENT_USER_PREFIX;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,59}");
    static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    static final Duration MAX_OVERLAP = Duration.ofDays(7);

    /** A client as the API shows it. */
    public record Client(UUID id, String name, UUID userId, String username, List<String> roles,
                         List<String> allowedCidrs, List<Key> keys, Instant createdAt, Instant disabledAt) {
    }

    /** One of a client's keys: its id, SHA-256 fingerprint of the SPKI, and validity. */
    public record Key(UUID id, String fingerprint, Instant createdAt, Instant expiresAt) {
    }

    /** A signed request that passed: who it is, for the authentication. */
    public record Verified(UUID clientId, UUID userId, String username, List<String> roles, long authVersion) {
    }

    /** The decision on a signed request: {@code verified} or {@code refusal}. */
    public record Decision(Verified verified, SignedRequest.Refusal refusal) {
    }

    private final ApiClientRepository clients;
    private final UserRepository users;
    private final UserStates states;
    private final PasswordHasher hasher;
    private final TransactionRunner transactions;
    private final AuditLog audit;
    private final JsonMapper json;
    private final org.mpcwallet.bank.metrics.app.BankMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final java.util.concurrent.ConcurrentHashMap<UUID,
            Known> cache = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong lastPrune = new java.util.concurrent.atomic.AtomicLong(
            System.nanoTime() - PRUNE_EVERY_NANOS - 1);
    private static final long PRUNE_EVERY_NANOS = 10_000_000_000L;
    private final SecureRandom random = new SecureRandom();

    public ApiClients(ApiClientRepository clients, UserRepository users, UserStates states, PasswordHasher hasher,
                      TransactionRunner transactions, AuditLog audit, JsonMapper json,
                      org.mpcwallet.bank.metrics.app.BankMetrics metrics) {
        this.metrics = metrics;
        this.clients = clients;
        this.users = users;
        this.states = states;
        this.hasher = hasher;
        this.transactions = transactions;
        this.audit = audit;
        this.json = json;
    }

    // ---- administration (ADMIN) ------------------------------------------------------------------------------

    public Client register(Caller admin, String name, String publicKeyPem, List<String> roleNames,
                           List<String> allowedCidrs) {
        requireAdmin(admin);
        String n = name == null ? "" : name.strip();
        if (!NAME.matcher(n).matches()) {
            throw invalid("name must be 3-60 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        byte[] spki = ClientInputs.spki(publicKeyPem);
        Set<Role> roles = roles(roleNames);
        List<String> cidrs = ClientInputs.cidrs(allowedCidrs);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UUID clientId = UUID.randomUUID();
        UUID keyId = UUID.randomUUID();
        byte[] unusable = new byte[32];
        random.nextBytes(unusable);
        User u = new User(UUID.randomUUID(), USER_PREFIX + n, null,
                hasher.hash(Base64.getEncoder().encodeToString(unusable)), roles, now, false);
        transactions.inTransaction(() -> {
            if (!users.insert(u)) {
                throw new WalletException(Kind.CONFLICT, "an API client or user named " + u.username() + " exists");
            }
            clients.save(new ApiClientRow(clientId, n, u.id(), cidrs.toArray(String[]::new), admin.userId(), now,
                    null));
            clients.addKey(keyId, clientId, spki, now);
            audit.appendInTransaction(admin.actor(), "API_CLIENT_REGISTERED", AuditPayload.of(json, "clientId",
                    clientId.toString(), "name", n, "userId", u.id().toString(), "roles", roleNames(roles),
                    "allowedCidrs", cidrs, "keyId", keyId.toString(), "keyFingerprint",
                    ClientInputs.fingerprint(spki)));
            return null;
        });
        return get(admin, clientId.toString());
    }

    /** A page of the clients in registration order (docs/integration.md "Pagination"). */
    public org.mpcwallet.bank.paging.Page<Client> list(Caller admin, String cursor, Integer limit) {
        requireAdmin(admin);
        int n = org.mpcwallet.bank.paging.Cursors.limit(limit);
        org.mpcwallet.bank.paging.Cursors.TimeKey after = org.mpcwallet.bank.paging.Cursors.timeKey("api-clients",
                cursor);
        List<Client> out = new ArrayList<>();
        for (ApiClientRow r : after == null ? clients.first(n + 1) : clients.after(after.at(), after.id(), n + 1)) {
            out.add(view(r));
        }
        return org.mpcwallet.bank.paging.Page.of(out, n, c -> org.mpcwallet.bank.paging.Cursors.timeCursor(
                "api-clients", c.createdAt(), c.id()));
    }

    public Client get(Caller admin, String clientId) {
        requireAdmin(admin);
        return view(row(clientId));
    }

    /** Disables the client at once: its user row too (every token and request of it is refused from now on). */
    public Client disable(Caller admin, String clientId) {
        requireAdmin(admin);
        ApiClientRow r = row(clientId);
        Instant now = clock.instant();
        transactions.inTransaction(() -> {
            if (clients.disable(r.id(), now) == 1) {
                clients.disableUser(r.userId());
                audit.appendInTransaction(admin.actor(), "API_CLIENT_DISABLED", AuditPayload.of(json, "clientId",
                        r.id().toString(), "name", r.name()));
            }
            return null;
        });
        states.invalidate(r.userId());
        cache.remove(r.id());
        return get(admin, clientId);
    }

    /**
     * Adds a key (a rotation): the client's other keys stay valid for {@code overlapSeconds} (default 24 h, at most
     * 7 days; 0 ends them now), then only the new one verifies.
     */
    public Client rotate(Caller admin, String clientId, String publicKeyPem, Long overlapSeconds) {
        requireAdmin(admin);
        ApiClientRow r = row(clientId);
        if (r.disabledAt() != null) {
            throw new WalletException(Kind.CONFLICT, "the API client is disabled");
        }
        Duration overlap = overlapSeconds == null ? DEFAULT_OVERLAP : Duration.ofSeconds(overlapSeconds);
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw invalid("overlapSeconds must be 0 to " + MAX_OVERLAP.toSeconds());
        }
        byte[] spki = ClientInputs.spki(publicKeyPem);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UUID keyId = UUID.randomUUID();
        transactions.inTransaction(() -> {
            clients.addKey(keyId, r.id(), spki, now);
            clients.expireOthers(r.id(), keyId, now.plus(overlap));
            audit.appendInTransaction(admin.actor(), "API_CLIENT_KEY_ADDED", AuditPayload.of(json, "clientId",
                    r.id().toString(), "keyId", keyId.toString(), "keyFingerprint", ClientInputs.fingerprint(spki),
                    "overlapSeconds", overlap.toSeconds()));
            return null;
        });
        cache.remove(r.id());
        return get(admin, clientId);
    }

    // ---- signed requests ---------------------------------------------------------------------------------------

    /**
     * Decides a signed request that {@link SignedRequest#parse} read: the client (known, enabled, calling from an
     * allowed address), the signature and claims ({@link SignedRequest#check}), then the {@code jti} recorded (a
     * replay is refused). A refusal is audited with its reason, the client and the address; never the token.
     */
    public Decision authenticate(SignedRequest.Token t, String method, String rawTarget, byte[] body,
                                 String address) {
        Instant now = clock.instant();
        Known known = known(t.clientId());
        if (known == null) {
            return refuse(null, SignedRequest.Refusal.UNKNOWN_CLIENT, t, address);
        }
        ApiClientRow r = known.row();
        if (r.disabledAt() != null) {
            return refuse(r, SignedRequest.Refusal.CLIENT_DISABLED, t, address);
        }
        if (r.allowedCidrs().length > 0 && !ClientInputs.allowed(address, r.allowedCidrs())) {
            return refuse(r, SignedRequest.Refusal.SOURCE_NOT_ALLOWED, t, address);
        }
        List<byte[]> keys = known.keys().stream().filter(k -> k.activeAt(now)).map(ApiClientKeyRow::publicKey)
                .toList();
        SignedRequest.Refusal refusal = SignedRequest.check(t, r.id().toString(), keys, method, rawTarget,
                ClientInputs.sha256Hex(body), now);
        if (refusal != null) {
            return refuse(r, refusal, t, address);
        }
        long nanos = System.nanoTime();
        long last = lastPrune.get();
        if (nanos - last > PRUNE_EVERY_NANOS && lastPrune.compareAndSet(last, nanos)) {
            clients.forgetJtis(now.minus(Duration.ofMinutes(1)));
        }
        // the one statement every request needs: the jti's single use, across every bank instance
        if (clients.useJti(r.id(), t.jti(), t.expiresAt().plus(SignedRequest.MAX_SKEW)) != 1) {
            return refuse(r, SignedRequest.Refusal.REPLAYED, t, address);
        }
        Optional<UserStates.State> state = states.recent(r.userId());
        if (state.isEmpty() || state.get().disabled()) {
            return refuse(r, SignedRequest.Refusal.CLIENT_DISABLED, t, address);
        }
        metrics.signedRequest("accepted");
        return new Decision(new Verified(r.id(), r.userId(), USER_PREFIX + r.name(), known.roles(),
                state.get().version()), null);
    }

    /**
     * A client's row, keys and roles as read within the last {@link UserStates#TTL_MILLIS} (the same bound on how
     * long a change takes to reach every instance as for users' tokens); this instance forgets a client it changes.
     */
    private record Known(ApiClientRow row, List<ApiClientKeyRow> keys, List<String> roles, long readAtNanos) {
    }

    private Known known(UUID clientId) {
        long nanos = System.nanoTime();
        Known k = cache.get(clientId);
        if (k != null && nanos - k.readAtNanos() < UserStates.TTL_MILLIS * 1_000_000L) {
            return k;
        }
        Optional<ApiClientRow> row = clients.findById(clientId);
        if (row.isEmpty()) {
            cache.remove(clientId);
            return null;
        }
        if (cache.size() > 10_000) {
            cache.clear();
        }
        Known fresh = new Known(row.get(), clients.keys(clientId), roles(row.get().userId()), nanos);
        cache.put(clientId, fresh);
        return fresh;
    }

    /**
     * Refuses a signed request before its signature is checked ({@code why}: its body is too large to hash), audited
     * as the other refusals with the client id it claims, the actor {@code anonymous} (nothing proved who sent it).
     */
    public Decision refuseUnchecked(SignedRequest.Token t, SignedRequest.Refusal why, String address) {
        return refuse(null, why, t, address);
    }

    /**
     * Counts an {@code Authorization} header that is not a signed request at all (not audited: it names no client
     * the bank could trust, and the address's refusals are rate-limited before any work).
     */
    public void malformed() {
        metrics.signedRequest(SignedRequest.Refusal.MALFORMED.reason());
    }

    private Decision refuse(ApiClientRow r, SignedRequest.Refusal why, SignedRequest.Token t, String address) {
        metrics.signedRequest(why.reason());
        audit.append(r == null ? "anonymous" : "client:" + r.name(), "API_REQUEST_REFUSED", AuditPayload.of(json,
                "clientId", t.clientId().toString(), "reason", why.reason(), "uri", t.uri(), "address", address));
        return new Decision(null, why);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private Client view(ApiClientRow r) {
        List<Key> keys = clients.keys(r.id()).stream().map(k -> new Key(k.id(),
                ClientInputs.fingerprint(k.publicKey()),
                k.createdAt(), k.expiresAt())).toList();
        return new Client(r.id(), r.name(), r.userId(), USER_PREFIX + r.name(), roles(r.userId()),
                List.of(r.allowedCidrs()),
                keys, r.createdAt(), r.disabledAt());
    }

    private ApiClientRow row(String clientId) {
        UUID id;
        try {
            id = UUID.fromString(clientId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WalletException(Kind.NOT_FOUND, "no such API client");
        }
        return clients.findById(id).orElseThrow(() -> new WalletException(Kind.NOT_FOUND, "no such API client"));
    }

    private static void requireAdmin(Caller c) {
        if (!c.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "API clients are managed by ADMIN");
        }
    }

    private static WalletException invalid(String message) {
        return new WalletException(Kind.INVALID_REQUEST, message);
    }

    private static Set<Role> roles(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw invalid("roles must name at least one bank role");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String n : names) {
            try {
                roles.add(Role.valueOf(n));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw invalid("unknown role " + n);
            }
        }
        return roles;
    }

    private static List<String> roleNames(Set<Role> roles) {
        return roles.stream().map(Enum::name).sorted().toList();
    }

    /** The client's bank roles as its user row has them now (an ADMIN may change them like a user's). */
    private List<String> roles(UUID userId) {
        try {
            return users.findById(userId).map(u -> roleNames(u.roles())).orElse(List.of());
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
    }
}
