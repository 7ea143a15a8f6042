package org.mpcwallet.bank.auth.app;

import io.micronaut.json.JsonMapper;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.User;
import org.mpcwallet.bank.auth.persistence.RefreshToken;
import org.mpcwallet.bank.auth.persistence.RefreshTokenRepository;
import org.mpcwallet.bank.auth.persistence.UserRepository;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.limits.AddressLimits;
import org.mpcwallet.bank.limits.RateLimited;
import org.mpcwallet.bank.limits.Throttle;

/**
 * Sign-in (password, then the passkey for staff), refresh-token rotation and logout ({@link Registrations} makes the
 * accounts). Blocking (JDBC, bcrypt): call it off the event
 * loop. Every outcome that matters is appended to the audit log (never a password or a token).
 */
@Singleton
public class AuthService {
    public static final String CLAIM_USER_ID = "uid";
    /** The user's {@code auth_version} when the token was issued (docs/controls-hardening.md §2). */
    public static final String CLAIM_VERSION = "ver";

    /** The claim naming how the user signed in (RFC 8176): {@code pwd}, and {@code hwk} after a passkey. */
    public static final String CLAIM_AMR = "amr";

    /** What a correct password gives: tokens, or for staff the passkey step still to do. */
    public sealed interface SignIn permits Tokens, SecondFactor {
    }

    /** The password was right; the sign-in completes with the passkey ceremony {@code begun}. */
    public record SecondFactor(Passkeys.Begun begun) implements SignIn {
    }

    /** What a successful login or refresh hands out. */
    public record Tokens(String accessToken, int expiresIn, String refreshToken, User user) implements SignIn {
        @Override
        public String toString() {
            return "Tokens[(redacted), user=" + user + "]";
        }
    }

    private final TransactionRunner transactions;
    private final UserRepository users;
    private final RefreshTokenRepository refreshTokens;
    private final PasswordHasher hasher;
    private final TokenGenerator tokenGenerator;
    private final AuditLog audit;
    private final AuthConfig config;
    private final JsonMapper json;
    private final UserStates states;
    private final LoginAttempts attempts;
    private final AddressLimits addressLimits;
    private final Passkeys passkeys;
    private final PasskeyConfig passkeyConfig;
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();

    public AuthService(TransactionRunner transactions, UserRepository users, RefreshTokenRepository refreshTokens,
                       PasswordHasher hasher, TokenGenerator tokenGenerator, AuditLog audit, AuthConfig config,
                       JsonMapper json, UserStates states, LoginAttempts attempts, AddressLimits addressLimits,
                       Passkeys passkeys, PasskeyConfig passkeyConfig) {
        this.passkeys = passkeys;
        this.passkeyConfig = passkeyConfig;
        this.states = states;
        this.attempts = attempts;
        this.addressLimits = addressLimits;
        this.transactions = transactions;
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.hasher = hasher;
        this.tokenGenerator = tokenGenerator;
        this.audit = audit;
        this.config = config;
        this.json = json;
    }

    /**
     * Uniform failure for unknown user, wrong password and disabled user; each is audited with its reason.
     * Throttled (docs/controls-hardening.md §4) per client {@code address} in memory and per account in the database:
     * an attempt that must wait is refused with {@link RateLimited} before any password work.
     */
    public SignIn login(String login, String password, String address, String correlationId) {
        String name = login == null ? "" : login.strip().toLowerCase(Locale.ROOT);
        if (name.codePoints().anyMatch(Character::isISOControl)
                || (password != null && password.indexOf('\0') >= 0)) {
            // a control character (NUL) never names a user nor is a password: refused, audited, never a 500
            audit.append("anonymous", "AUTH_LOGIN_FAILED", payload("login", "unknown", "reason", "malformed",
                    "address", address, "correlationId", correlationId));
            throw new AuthException(AuthException.Kind.INVALID_REQUEST, "username and password must not contain "
                    + "control characters");
        }
        Instant now = clock.instant();
        addressLimits.checkLogin(address, now);
        Optional<User> found;
        if (name.isEmpty() || name.length() > 254) {
            found = Optional.empty();
        } else {
            try {
                found = users.findByLogin(name);
            } catch (RuntimeException e) {
                throw Transactions.storeFailure(e);
            }
        }
        // the account's attempt is counted as failed before the password is checked, so parallel guesses cannot
        // slip past the throttle; a correct password clears it again
        LoginAttempts.Claim account = found.isPresent() ? claimAttempt(found.get().id(), now) : null;
        // a check refused for want of capacity (503) still counts: undoing it could undo a parallel attempt's count
        boolean passwordOk = hasher.verify(password, found.map(User::passwordHash).orElse(null));
        String reason = found.isEmpty() ? "unknown_user" : !passwordOk ? "bad_password"
                : found.get().disabled() ? "disabled" : null;
        if (reason != null) {
            // the typed login is kept only when it names a user: a password typed into the username field never
            // reaches the append-only audit log (issue 10 §7)
            audit.append("anonymous", "AUTH_LOGIN_FAILED", payload("login", found.isPresent()
                    ? found.get().username() : "unknown", "userId", found.map(u -> u.id().toString()).orElse(null),
                    "reason", reason, "address", address, "correlationId", correlationId));
            if (account != null && Throttle.lockoutStarted(account.before(), account.after())) {
                audit.append("system", "AUTH_ACCOUNT_LOCKED", payload("userId", found.get().id().toString(),
                        "username", found.get().username(), "failures", account.after().failures(),
                        "lockedUntil", account.after().lockedUntil().toString(), "address", address,
                        "correlationId", correlationId));
            }
            if (addressLimits.loginFailed(address, now)) {
                audit.append("system", "AUTH_ADDRESS_LOCKED", payload("address", address,
                        "correlationId", correlationId));
            }
            throw new AuthException(AuthException.Kind.UNAUTHORIZED, AuthException.INVALID_CREDENTIALS);
        }
        User u = found.get();
        try {
            attempts.succeeded(u.id());
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
        if (passkeyConfig.required() && Role.needsSecondFactor(u.roles())) {
            Passkeys.Begun begun = passkeys.beginSignIn(u);
            audit.append("user:" + u.username(), "AUTH_PASSWORD_VERIFIED", payload("userId", u.id().toString(),
                    "next", begun.purpose() == Passkeys.Purpose.ENROLL ? "passkey_enrollment" : "passkey",
                    "address", address, "correlationId", correlationId));
            return new SecondFactor(begun);
        }
        Tokens t = issue(u, UUID.randomUUID(), false).tokens();
        audit.append("user:" + u.username(), "AUTH_LOGIN_SUCCEEDED",
                payload("userId", u.id().toString(), "address", address, "correlationId", correlationId));
        return t;
    }

    /** The second step of a staff sign-in: a passkey's assertion on the challenge of {@code challengeToken}. */
    public Tokens completeWithPasskey(String challengeToken, Map<String, Object> credential, String address,
                                      String correlationId) {
        UUID userId = passkeys.finishSignIn(challengeToken, credential, correlationId);
        return signedInWithPasskey(userId, "passkey", address, correlationId);
    }

    /** The second step of a first staff sign-in: the first passkey registered on the challenge. */
    public Tokens completeWithEnrollment(String challengeToken, Map<String, Object> credential, String name,
                                         String address, String correlationId) {
        UUID userId = passkeys.enroll(challengeToken, credential, name, correlationId);
        return signedInWithPasskey(userId, "passkey_enrollment", address, correlationId);
    }

    private Tokens signedInWithPasskey(UUID userId, String how, String address, String correlationId) {
        User u;
        try {
            u = users.findById(userId).orElse(null);
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
        if (u == null || u.disabled()) {
            audit.append("anonymous", "AUTH_LOGIN_FAILED", payload("userId", userId.toString(), "reason", "disabled",
                    "address", address, "correlationId", correlationId));
            throw new AuthException(AuthException.Kind.UNAUTHORIZED, AuthException.INVALID_CREDENTIALS);
        }
        Tokens t = issue(u, UUID.randomUUID(), true).tokens();
        audit.append("user:" + u.username(), "AUTH_LOGIN_SUCCEEDED", payload("userId", u.id().toString(),
                "secondFactor", how, "address", address, "correlationId", correlationId));
        return t;
    }

    /**
     * Claims an attempt for the account ({@link LoginAttempts#claim}): refuses with {@link RateLimited} when the
     * account must wait, else the attempt is stored as a failure.
     */
    private LoginAttempts.Claim claimAttempt(UUID userId, Instant now) {
        LoginAttempts.Claim claim;
        try {
            claim = attempts.claim(userId, now);
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
        if (claim.refused() != null) {
            Throttle.Decision.Wait w = claim.refused();
            throw RateLimited.tooMany(w.locked()
                    ? "this account is locked after too many failed sign-ins; try again in "
                    + minutes(w.retryAfter().getSeconds()) + " or ask the bank to unlock it"
                    : "too many failed sign-ins for this account; wait " + w.retryAfter().getSeconds()
                    + " s before trying again", w.retryAfter());
        }
        return claim;
    }

    private static String minutes(long seconds) {
        long m = (seconds + 59) / 60;
        return m == 1 ? "1 minute" : m + " minutes";
    }

    /**
     * Rotates a refresh token: the presented one is revoked and replaced by a new one of the same family. A token
     * that was already rotated (or revoked) revokes its whole family: someone holds a copy.
     */
    public Tokens refresh(String refreshToken, String correlationId) {
        if (refreshToken == null || refreshToken.isEmpty() || refreshToken.length() > 200) {
            throw new AuthException(AuthException.Kind.UNAUTHORIZED, AuthException.INVALID_REFRESH);
        }
        byte[] hash = sha256(refreshToken);
        Instant now = clock.instant();
        // one Micronaut transaction: the refresh token and user repositories join it
        Rotation r = transactions.inTransaction(() -> {
            Optional<RefreshToken> s = refreshTokens.lockByHash(hash);
            if (s.isEmpty()) {
                return new Rotation("unknown_token", null, null, null, 0);
            }
            RefreshToken stored = s.get();
            User user = users.findById(stored.userId()).orElse(null);
            if (stored.revokedAt() != null) {
                return new Rotation("reused_token", stored, user, null,
                        refreshTokens.revokeFamily(stored.familyId(), now));
            } else if (!stored.expiresAt().isAfter(now)) {
                return new Rotation("expired_token", stored, user, null, 0);
            } else if (user == null || user.disabled()) {
                return new Rotation("disabled", stored, user, null, refreshTokens.revokeFamily(stored.familyId(), now));
            }
            Issued issued = issue(user, stored.familyId(), stored.secondFactor());
            refreshTokens.markRotated(stored.id(), issued.refreshTokenId(), now);
            return new Rotation(null, stored, user, issued.tokens(), 0);
        });
        String failure = r.failure();
        RefreshToken stored = r.stored();
        User user = r.user();
        Tokens tokens = r.tokens();
        int revoked = r.revoked();
        String actor = user == null ? "anonymous" : "user:" + user.username();
        if (failure != null) {
            audit.append(actor, "AUTH_REFRESH_FAILED", payload("reason", failure,
                    "familyId", stored == null ? null : stored.familyId().toString(),
                    "familyTokensRevoked", revoked, "correlationId", correlationId));
            throw new AuthException(AuthException.Kind.UNAUTHORIZED, AuthException.INVALID_REFRESH);
        }
        audit.append(actor, "AUTH_REFRESH", payload("userId", user.id().toString(),
                "familyId", stored.familyId().toString(), "correlationId", correlationId));
        return tokens;
    }

    /** What a refresh found and did in its transaction; {@code failure} is null when it rotated the token. */
    private record Rotation(String failure, RefreshToken stored, User user, Tokens tokens, int revoked) {
    }

    /**
     * Server-side logout (docs/controls-hardening.md §2): revokes the whole family of {@code refreshToken} (every token
     * rotated from the same login). Unknown, used and expired tokens are accepted silently, so the answer reveals
     * nothing; a revocation is audited.
     */
    public void logout(String refreshToken, String correlationId) {
        if (refreshToken == null || refreshToken.isEmpty() || refreshToken.length() > 200) {
            return;
        }
        byte[] hash = sha256(refreshToken);
        Instant now = clock.instant();
        record Revoked(RefreshToken stored, int count, User user) {
        }
        Revoked r = transactions.inTransaction(() -> {
            RefreshToken s = refreshTokens.lockByHash(hash).orElse(null);
            return s == null ? new Revoked(null, 0, null) : new Revoked(s, refreshTokens.revokeFamily(s.familyId(),
                    now), users.findById(s.userId()).orElse(null));
        });
        RefreshToken stored = r.stored();
        int revoked = r.count();
        User user = r.user();
        if (stored != null) {
            audit.append(user == null ? "anonymous" : "user:" + user.username(), "AUTH_LOGOUT", payload("userId",
                    stored.userId().toString(), "familyId", stored.familyId().toString(), "tokensRevoked", revoked,
                    "correlationId", correlationId));
        }
    }

    /** The user behind a valid access token, if it still exists and is enabled. */
    public Optional<User> currentUser(Authentication authentication) {
        Object uid = authentication.getAttributes().get(CLAIM_USER_ID);
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(uid));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            return users.findById(id).filter(u -> !u.disabled());
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
    }

    /** Tokens plus the id of the refresh token row just inserted. */
    private record Issued(Tokens tokens, UUID refreshTokenId) {
    }

    /** In the caller's Micronaut transaction when there is one (the version is read in it), else on its own. */
    private Issued issue(User u, UUID familyId, boolean secondFactor) {
        long version = states.load(u.id())
                .orElseThrow(() -> new IllegalStateException("the user vanished while signing in")).version();
        Authentication auth = Authentication.build(u.username(),
                u.roles().stream().map(Enum::name).sorted().toList(),
                Map.of(CLAIM_USER_ID, u.id().toString(), CLAIM_VERSION, version,
                        CLAIM_AMR, secondFactor ? List.of("pwd", "hwk") : List.of("pwd")));
        String access = tokenGenerator.generateToken(auth, config.accessTokenSeconds())
                .orElseThrow(() -> new IllegalStateException("no access token generated"));
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        // in the caller's Micronaut transaction when there is one, else committed by itself
        try {
            refreshTokens.save(RefreshToken.issued(id, sha256(refresh), u.id(), familyId, now,
                    now.plusSeconds(config.refreshTokenSeconds()), secondFactor));
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
        return new Issued(new Tokens(access, config.accessTokenSeconds(), refresh, u), id);
    }

    private String payload(Object... kv) {
        return AuditPayload.of(json, kv);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
