package org.mpcwallet.bank.auth.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.User;
import org.mpcwallet.bank.auth.persistence.UserRepository;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.limits.AddressLimits;

/**
 * Accounts with a password: a customer's self-registration (limited per client address) and an ADMIN created from
 * the command line; the username, email and password rules. Blocking (bcrypt, JDBC): call it off the event loop.
 * Audited; never a password. Staff come in by invitation ({@link StaffInvitations}), API clients by registration
 * (integration), both under the same username rule.
 */
@Singleton
public class Registrations {
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final JsonMapper json;
    private final AddressLimits addressLimits;
    private final Clock clock = Clock.systemUTC();

    public Registrations(UserRepository users, PasswordHasher hasher, AuditLog audit, JsonMapper json,
                         AddressLimits addressLimits) {
        this.users = users;
        this.hasher = hasher;
        this.audit = audit;
        this.json = json;
        this.addressLimits = addressLimits;
    }

    /** Self-registration: always a CUSTOMER; limited per client {@code address} (§4). */
    public User register(String username, String email, String password, String address, String correlationId) {
        addressLimits.register(address, clock.instant());
        User u = create(username, email, password, EnumSet.of(Role.CUSTOMER));
        audit.append("user:" + u.username(), "AUTH_REGISTERED",
                payload("userId", u.id().toString(), "roles", List.of(Role.CUSTOMER.name()), "correlationId",
                        correlationId));
        return u;
    }

    /** The first (or another) admin, from the command line; {@code actor} names who ran it. */
    public User createAdmin(String username, String password, String actor) {
        User u = create(username, null, password, EnumSet.of(Role.ADMIN));
        audit.append(actor, "AUTH_ADMIN_CREATED",
                payload("userId", u.id().toString(), "username", u.username(), "roles", List.of(Role.ADMIN.name())));
        return u;
    }

    /** A username as stored (lower case), or INVALID_REQUEST saying the rule it breaks. */
    static String checkedUsername(String username) {
        String name = username == null ? "" : username.toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(name).matches()) {
            throw new AuthException(AuthException.Kind.INVALID_REQUEST,
                    "username must be 3-64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        if (name.startsWith(org.mpcwallet.bank.wallet.app.Caller.CLIENT_USER_PREFIX)) {
            throw new AuthException(AuthException.Kind.INVALID_REQUEST, "usernames starting with '"
                    + org.mpcwallet.bank.wallet.app.Caller.CLIENT_USER_PREFIX + "' are reserved for API clients");
        }
        return name;
    }

    private User create(String username, String email, String password, Set<Role> roles) {
        String name = checkedUsername(username);
        String mail = email == null || email.isBlank() ? null : email.strip().toLowerCase(Locale.ROOT);
        if (mail != null && !EMAIL.matcher(mail).matches()) {
            throw new AuthException(AuthException.Kind.INVALID_REQUEST, "email is not a valid address");
        }
        String violation = PasswordHasher.policyViolation(password);
        if (violation != null) {
            throw new AuthException(AuthException.Kind.INVALID_REQUEST, violation);
        }
        User u = new User(UUID.randomUUID(), name, mail, hasher.hash(password), roles,
                clock.instant().truncatedTo(ChronoUnit.MICROS), false);
        boolean inserted;
        try {
            inserted = users.insert(u);
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
        if (!inserted) {
            throw new AuthException(AuthException.Kind.CONFLICT, "username or email is already registered");
        }
        return u;
    }

    private String payload(Object... kv) {
        return AuditPayload.of(json, kv);
    }
}
