package org.mpcwallet.bank.auth.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.User;
import org.mpcwallet.bank.auth.persistence.InvitationRepository;
import org.mpcwallet.bank.auth.persistence.StaffInvitation;
import org.mpcwallet.bank.auth.persistence.UserRepository;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;

/**
 * Staff accounts by invitation (issue 15, docs/admin-console.md "Sign-in"): an ADMIN creates the account of an
 * operator, a compliance officer, a viewer or a signatory — disabled, with a one-time code valid 24 hours, shown once
 * and stored only as its SHA-256 — and the invited person sets their password with the code, which enables the
 * account. Registration only ever makes customers; ADMINs come from {@code create-admin} or, later, a second ADMIN's
 * approval (four eyes), never from an invitation. Both steps are audited; the code never is.
 */
@Singleton
public class StaffInvitations {
    static final Duration VALID = Duration.ofHours(24);
    /** The roles an invitation may give. */
    static final Set<Role> INVITABLE = EnumSet.of(Role.OPERATOR, Role.COMPLIANCE, Role.VIEWER, Role.SIGNATORY);
    /** One answer for every refused code (wrong, spent, expired, unknown user): it tells a guesser nothing. */
    static final String REFUSED = "This invitation code is not valid for this username (wrong, already used or "
            + "expired); ask the bank's administrator for a new invitation.";

    /** A new invitation; {@code code} exists only in this answer. */
    public record Invitation(UUID userId, String username, List<String> roles, String code, Instant expiresAt) {
        @Override
        public String toString() {
            return "Invitation[" + username + ", (code redacted)]";
        }
    }

    private final TransactionRunner transactions;
    private final UserRepository users;
    private final InvitationRepository invitations;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final JsonMapper json;
    private final UserStates states;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    public StaffInvitations(TransactionRunner transactions, UserRepository users, InvitationRepository invitations,
                            PasswordHasher hasher, AuditLog audit, JsonMapper json, UserStates states) {
        this.transactions = transactions;
        this.users = users;
        this.invitations = invitations;
        this.hasher = hasher;
        this.audit = audit;
        this.json = json;
        this.states = states;
    }

    public Invitation invite(Caller admin, String username, List<String> roleNames) {
        if (!admin.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only an ADMIN invites staff.");
        }
        String name;
        try {
            name = Registrations.checkedUsername(username);
        } catch (AuthException e) {
            throw new WalletException(Kind.INVALID_REQUEST, e.getMessage());
        }
        Set<Role> roles = roles(roleNames);
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] unusable = new byte[32];
        random.nextBytes(unusable);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant expires = now.plus(VALID);
        User u = new User(UUID.randomUUID(), name, null, hasher.hash(Base64.getEncoder().encodeToString(unusable)),
                roles, now, true);
        List<String> names = roles.stream().map(Enum::name).sorted().toList();
        transactions.inTransaction(() -> {
            if (!users.insert(u)) {
                throw new WalletException(Kind.CONFLICT, "the username " + name + " is taken");
            }
            invitations.save(StaffInvitation.issued(u.id(), sha256(code), admin.userId(), now, expires));
            audit.appendInTransaction(admin.actor(), "STAFF_INVITED", AuditPayload.of(json, "userId", u.id().toString(),
                    "username", name, "roles", names, "expiresAt", expires.toString()));
            return null;
        });
        return new Invitation(u.id(), name, names, code, expires);
    }

    /**
     * The invited person sets their password with the code: the account is enabled. Refused alike for a wrong, spent
     * or expired code or an unknown username; a password breaking the policy is refused with the policy's words.
     */
    public User accept(String username, String code, String password) {
        String name = username == null ? "" : username.strip().toLowerCase(java.util.Locale.ROOT);
        String violation = PasswordHasher.policyViolation(password);
        if (violation != null) {
            throw new AuthException(AuthException.Kind.INVALID_REQUEST, violation);
        }
        byte[] given = sha256(code == null ? "" : code.strip());
        String hash = hasher.hash(password);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        InvitationRepository.Pending p = transactions.inTransaction(() -> {
            InvitationRepository.Pending found = invitations.lockByUsername(name).orElse(null);
            boolean ok = found != null && found.acceptedAt() == null && now.isBefore(found.expiresAt())
                    && MessageDigest.isEqual(found.codeHash(), given);
            if (!ok) {
                audit.appendInTransaction("anonymous", "STAFF_INVITATION_REFUSED", AuditPayload.of(json, "username",
                        name, "reason", found == null ? "unknown" : found.acceptedAt() != null ? "used"
                                : !now.isBefore(found.expiresAt()) ? "expired" : "wrong_code"));
                return null;
            }
            invitations.accept(found.userId(), hash, now);
            audit.appendInTransaction("user:" + found.username(), "STAFF_INVITATION_ACCEPTED", AuditPayload.of(json,
                    "userId", found.userId().toString(), "username", found.username(), "roles", found.roles()));
            return found;
        });
        if (p == null) {
            throw new AuthException(AuthException.Kind.UNAUTHORIZED, REFUSED);
        }
        states.invalidate(p.userId());
        return new User(p.userId(), p.username(), null, hash, Role.known(p.roles()), now, false);
    }

    private static Set<Role> roles(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new WalletException(Kind.INVALID_REQUEST, "roles: one or more of " + INVITABLE);
        }
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (String n : new TreeSet<>(names)) {
            Role r;
            try {
                r = Role.valueOf(n == null ? "" : n);
            } catch (IllegalArgumentException e) {
                throw new WalletException(Kind.INVALID_REQUEST, "roles: each must be one of " + INVITABLE);
            }
            if (r == Role.ADMIN) {
                throw new WalletException(Kind.INVALID_REQUEST, "an invitation does not make an ADMIN: an ADMIN "
                        + "comes from create-admin or a second ADMIN's approval");
            }
            if (r == Role.CUSTOMER) {
                throw new WalletException(Kind.INVALID_REQUEST, "customers register themselves; invite staff only");
            }
            out.add(r);
        }
        return out;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
