package org.mpcwallet.bank.auth.app;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.User;
import org.mpcwallet.bank.auth.persistence.Passkey;
import org.mpcwallet.bank.auth.persistence.PasskeyRepository;
import org.mpcwallet.bank.auth.persistence.UserRepository;
import org.mpcwallet.bank.db.TransactionRunner;

/**
 * Passkeys (WebAuthn, verified with webauthn4j), the staff's second factor (docs/admin-console.md "Sign-in and the
 * second factor"). Three ceremonies, each on a one-time challenge handed out with a one-time token (stored as its
 * SHA-256, valid {@link #CHALLENGE_VALID}, spent by the first answer whether right or wrong):
 * <ul>
 *   <li>{@code SIGN_IN}: after the password, an assertion by one of the user's passkeys completes the sign-in;</li>
 *   <li>{@code ENROLL}: after the password, a user without a passkey registers their first one (an invited member of
 *       staff, or the first ADMIN); more passkeys are not added this way;</li>
 *   <li>{@code STEP_UP}: a signed-in user's fresh assertion gives a step-up token, good for one action within
 *       {@link #STEP_UP_VALID} ({@link #spendStepUp}).</li>
 * </ul>
 * User verification (PIN or biometrics on the authenticator) is required; the origin must be the bank's
 * ({@link PasskeyConfig#originAllowed}); a signature counter that goes backwards (a cloned authenticator) is refused.
 * Every refusal is audited with its reason ({@code AUTH_PASSKEY_REFUSED}); never a token or a challenge.
 */
@Singleton
public class Passkeys {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Passkeys.class);
    static final Duration CHALLENGE_VALID = Duration.ofMinutes(5);
    public static final Duration STEP_UP_VALID = Duration.ofMinutes(2);
    /** One answer for every refused assertion: the reason is in the audit log, not in the reply. */
    public static final String REFUSED = "The passkey could not be verified; start again.";
    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));

    /** The ceremonies; stored by name in {@code passkey_challenges.purpose}. */
    public enum Purpose { SIGN_IN, ENROLL, STEP_UP }

    /**
     * A ceremony begun: {@code token} answers it; {@code options} are the WebAuthn options in their JSON form
     * (base64url), for {@code navigator.credentials.get} (SIGN_IN, STEP_UP) or {@code create} (ENROLL).
     */
    public record Begun(String token, Purpose purpose, Instant expiresAt, Map<String, Object> options) {
        @Override
        public String toString() {
            return "Begun[" + purpose + ", (token redacted)]";
        }
    }

    /** A step-up token, good for one action until {@code expiresAt}. */
    public record StepUp(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "StepUp[(redacted), expiresAt=" + expiresAt + "]";
        }
    }

    /** A passkey as its owner sees it. */
    public record Summary(UUID id, String name, Instant createdAt, Instant lastUsedAt) {
    }

    private final TransactionRunner transactions;
    private final PasskeyRepository repository;
    private final PasskeyConfig config;
    private final AuditLog audit;
    private final JsonMapper json;
    private final UserRepository users;
    private final WebAuthnManager webAuthn = WebAuthnManager.createNonStrictWebAuthnManager();
    private final AttestedCredentialDataConverter credentials =
            new AttestedCredentialDataConverter(new ObjectConverter());
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    public Passkeys(TransactionRunner transactions, PasskeyRepository repository, PasskeyConfig config,
                    AuditLog audit, JsonMapper json, UserRepository users) {
        this.users = users;
        this.transactions = transactions;
        this.repository = repository;
        this.config = config;
        this.audit = audit;
        this.json = json;
    }

    @io.micronaut.runtime.event.annotation.EventListener
    void onStartup(io.micronaut.context.event.StartupEvent event) {
        if (!config.required()) {
            LOG.warn("BANK_STAFF_SECOND_FACTOR=off: staff sign in with a password alone and act without step-up; "
                    + "for tests only, never for a bank");
        }
    }

    /** After the password: SIGN_IN when {@code u} has a passkey, else ENROLL. */
    public Begun beginSignIn(User u) {
        List<Passkey> keys = passkeysOf(u.id());
        return begin(u.id(), u.username(), keys.isEmpty() ? Purpose.ENROLL : Purpose.SIGN_IN, keys);
    }

    /** A step-up for the signed-in {@code userId}; INVALID_REQUEST when they have no passkey. */
    public Begun beginStepUp(UUID userId, String username) {
        List<Passkey> keys = passkeysOf(userId);
        if (keys.isEmpty()) {
            throw new AuthException(AuthException.Kind.INVALID_REQUEST, "This account has no passkey: sign out and "
                    + "sign in again to register one.");
        }
        return begin(userId, username, Purpose.STEP_UP, keys);
    }

    public List<Summary> list(UUID userId) {
        return passkeysOf(userId).stream().map(p -> new Summary(p.id(), p.name(), p.createdAt(), p.lastUsedAt()))
                .toList();
    }

    private List<Passkey> passkeysOf(UUID userId) {
        return transactions.inTransaction(() -> repository.byUser(userId));
    }

    private Begun begin(UUID userId, String username, Purpose purpose, List<Passkey> keys) {
        byte[] challenge = randomBytes(32);
        String token = b64(randomBytes(32));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant expires = now.plus(CHALLENGE_VALID);
        transactions.inTransaction(() -> {
            repository.insertChallenge(sha256(token), userId, purpose.name(), challenge, now, expires);
            return null;
        });
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", b64(challenge));
        options.put("timeout", CHALLENGE_VALID.toMillis());
        List<Map<String, Object>> credentialList = new ArrayList<>();
        for (Passkey p : keys) {
            credentialList.add(Map.of("type", "public-key", "id", b64(p.credentialId())));
        }
        if (purpose == Purpose.ENROLL) {
            options.put("rp", Map.of("id", config.rpId(), "name", config.rpName()));
            options.put("user", Map.of("id", b64(uuidBytes(userId)), "name", username, "displayName", username));
            options.put("pubKeyCredParams", ALGORITHMS.stream().map(a -> Map.<String, Object>of("type",
                    "public-key", "alg", a.getAlg().getValue())).toList());
            options.put("authenticatorSelection", Map.of("residentKey", "preferred", "userVerification",
                    "required"));
            options.put("attestation", "none");
            options.put("excludeCredentials", credentialList);
        } else {
            options.put("rpId", config.rpId());
            options.put("allowCredentials", credentialList);
            options.put("userVerification", "required");
        }
        return new Begun(token, purpose, expires, options);
    }

    /** Completes a sign-in: the user whose passkey answered the SIGN_IN challenge of {@code token}. */
    public UUID finishSignIn(String token, Map<String, Object> credential, String correlationId) {
        Spent s = spend(token, Purpose.SIGN_IN, correlationId);
        assertion(s, credential, correlationId);
        return s.userId();
    }

    /** Registers the first passkey of the user whose ENROLL challenge {@code token} is; returns the user id. */
    public UUID enroll(String token, Map<String, Object> credential, String name, String correlationId) {
        String label = name == null || name.isBlank() ? "passkey" : name.strip();
        if (label.length() > 64 || label.codePoints().anyMatch(Character::isISOControl)) {
            throw new AuthException(AuthException.Kind.INVALID_REQUEST, "name: up to 64 characters, no control "
                    + "characters");
        }
        Spent s = spend(token, Purpose.ENROLL, correlationId);
        RegistrationData reg;
        try {
            reg = webAuthn.parseRegistrationResponseJSON(json.writeValueAsString(credential));
        } catch (IOException | RuntimeException e) { // the library's parser meets anything: all of it is malformed
            throw refused(s.userId(), "malformed", correlationId);
        }
        try {
            webAuthn.verify(reg, new RegistrationParameters(serverProperty(s.challenge()), ALGORITHMS, true, true));
        } catch (RuntimeException e) {
            throw refused(s.userId(), reason(e), correlationId);
        }
        AuthenticatorData<?> data = reg.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData acd = data.getAttestedCredentialData();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Passkey p = new Passkey(UUID.randomUUID(), s.userId(), acd.getCredentialId(), credentials.convert(acd),
                data.getSignCount(), data.isFlagUV(), data.isFlagBE(), data.isFlagBS(), label, now, now);
        String refusal = transactions.inTransaction(() -> {
            if (!repository.byUser(s.userId()).isEmpty()) {
                return "already_enrolled";
            }
            if (repository.lockByCredentialId(p.credentialId()).isPresent()) {
                return "credential_taken";
            }
            repository.insert(p);
            audit.appendInTransaction(actor(s.userId()), "PASSKEY_REGISTERED", AuditPayload.of(json, "userId",
                    s.userId().toString(), "passkeyId", p.id().toString(), "name", label,
                    "aaguid", acd.getAaguid().toString(), "correlationId", correlationId));
            return null;
        });
        if (refusal != null) {
            throw refused(s.userId(), refusal, correlationId);
        }
        return s.userId();
    }

    /** A step-up token for {@code userId}, whose STEP_UP challenge {@code token} is and whose passkey answered. */
    public StepUp finishStepUp(UUID userId, String token, Map<String, Object> credential, String correlationId) {
        Spent s = spend(token, Purpose.STEP_UP, correlationId);
        if (!s.userId().equals(userId)) {
            throw refused(userId, "other_users_challenge", correlationId);
        }
        UUID passkeyId = assertion(s, credential, correlationId);
        String stepUp = b64(randomBytes(32));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant expires = now.plus(STEP_UP_VALID);
        transactions.inTransaction(() -> {
            repository.insertGrant(sha256(stepUp), userId, passkeyId, now, expires);
            audit.appendInTransaction(actor(s.userId()), "AUTH_STEP_UP", AuditPayload.of(json, "userId",
                    userId.toString(), "passkeyId", passkeyId.toString(), "expiresAt", expires.toString(),
                    "correlationId", correlationId));
            return null;
        });
        return new StepUp(stepUp, expires);
    }

    /**
     * Spends a step-up token for {@code action} of {@code userId}: empty when it was good, else the reason it was
     * not ({@code missing}, {@code unknown}, {@code other_user}, {@code used}, {@code expired}), audited
     * ({@code AUTH_STEP_UP_REFUSED}).
     */
    public Optional<String> spendStepUp(UUID userId, String actor, String token, String action,
                                        String correlationId) {
        Instant now = clock.instant();
        // a transaction of its own: the grant stays spent whatever the caller's transaction does
        String reason = transactions.inOwnTransaction(() -> {
            String r;
            if (token == null || token.isBlank() || token.length() > 100) {
                r = "missing";
            } else {
                Optional<PasskeyRepository.Grant> g = repository.spendGrant(sha256(token.strip()), action, now);
                r = g.isEmpty() ? "unknown" : !g.get().userId().equals(userId) ? "other_user"
                        : g.get().usedAt() != null ? "used" : !now.isBefore(g.get().expiresAt()) ? "expired" : null;
            }
            if (r != null) {
                audit.appendInTransaction(actor, "AUTH_STEP_UP_REFUSED", AuditPayload.of(json, "userId",
                        userId.toString(), "action", action, "reason", r, "correlationId", correlationId));
            }
            return r;
        });
        return Optional.ofNullable(reason);
    }

    /** A challenge spent by this answer, with its user. */
    private record Spent(UUID userId, byte[] challenge) {
    }

    /** Spends the challenge of {@code token} in a transaction of its own (committed even if the answer is wrong). */
    private Spent spend(String token, Purpose purpose, String correlationId) {
        if (token == null || token.isBlank() || token.length() > 100) {
            throw refused(null, "missing_challenge", correlationId);
        }
        Instant now = clock.instant();
        Optional<PasskeyRepository.Challenge> found = transactions.inOwnTransaction(
                () -> repository.spendChallenge(sha256(token.strip()), now));
        if (found.isEmpty()) {
            throw refused(null, "unknown_challenge", correlationId);
        }
        PasskeyRepository.Challenge ch = found.get();
        String reason = ch.usedAt() != null ? "used_challenge" : !now.isBefore(ch.expiresAt()) ? "expired_challenge"
                : !ch.purpose().equals(purpose.name()) ? "wrong_ceremony" : null;
        if (reason != null) {
            throw refused(ch.userId(), reason, correlationId);
        }
        return new Spent(ch.userId(), ch.challenge());
    }

    /** Verifies an assertion against the challenge and the passkey it names; moves its counter on; its id. */
    private UUID assertion(Spent s, Map<String, Object> credential, String correlationId) {
        AuthenticationData data;
        try {
            data = webAuthn.parseAuthenticationResponseJSON(json.writeValueAsString(credential));
        } catch (IOException | RuntimeException e) { // the library's parser meets anything: all of it is malformed
            throw refused(s.userId(), "malformed", correlationId);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        record Checked(String refusal, UUID passkeyId) {
        }
        Checked checked = transactions.inTransaction(() -> {
            Passkey p = repository.lockByCredentialId(data.getCredentialId()).orElse(null);
            if (p == null) {
                return new Checked("unknown_credential", null);
            }
            if (!p.userId().equals(s.userId())) {
                return new Checked("other_users_credential", null);
            }
            CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), p.uvInitialized(),
                    p.backupEligible(), p.backupState(), p.signCount(), credentials.convert(p.credentialData()),
                    null, null, null, null);
            try {
                webAuthn.verify(data, new AuthenticationParameters(serverProperty(s.challenge()), record,
                        List.of(p.credentialId()), true, true));
            } catch (RuntimeException e) { // VerificationException and its kinds, or a part the parser let through
                return new Checked(reason(e), null);
            }
            repository.used(p.id(), data.getAuthenticatorData().getSignCount(),
                    data.getAuthenticatorData().isFlagBS(), now);
            return new Checked(null, p.id());
        });
        if (checked.refusal() != null) {
            throw refused(s.userId(), checked.refusal(), correlationId);
        }
        return checked.passkeyId();
    }

    /** The audit actor of {@code userId}, read in the caller's transaction. */
    private String actor(UUID userId) {
        return "user:" + users.username(userId).orElse(userId.toString());
    }

    private ServerProperty serverProperty(byte[] challenge) {
        return ServerProperty.builder().originPredicate(o -> config.originAllowed(o.toString())).rpId(config.rpId())
                .challenge(new DefaultChallenge(challenge)).build();
    }

    private AuthException refused(UUID userId, String reason, String correlationId) {
        audit.append(userId == null ? "anonymous" : "user-id:" + userId, "AUTH_PASSKEY_REFUSED", AuditPayload.of(json,
                "userId", userId == null ? null : userId.toString(), "reason", reason, "correlationId",
                correlationId));
        return new AuthException(AuthException.Kind.UNAUTHORIZED, REFUSED);
    }

    /** A verification failure's kind for the audit log (BadSignature, BadOrigin, MaliciousCounterValue...). */
    private static String reason(Exception e) {
        String n = e.getClass().getSimpleName().replace("Exception", "");
        return n.isEmpty() ? "invalid" : n;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
