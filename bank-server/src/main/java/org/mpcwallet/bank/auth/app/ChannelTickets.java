package org.mpcwallet.bank.auth.app;

import io.micronaut.json.JsonMapper;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.User;
import org.mpcwallet.bank.auth.persistence.ChannelTicket;
import org.mpcwallet.bank.auth.persistence.ChannelTicketRepository;
import org.mpcwallet.bank.auth.persistence.UserRepository;
import org.mpcwallet.bank.db.Transactions;

/**
 * Single-use tickets for the MPC channel's WebSocket upgrade (docs/browser-wallet.md "The channel from the worker").
 * A browser cannot put the access token on an upgrade request, so the signed-in client asks for a ticket over REST
 * and opens {@code /v1/mpc/ws?ticket=...}. A ticket is 32 random bytes (base64url, 43 characters), lives
 * {@link #TTL}, is kept only as its SHA-256 and admits at most one upgrade, by a user who is still enabled and whose
 * {@code auth_version} has not changed since the ticket was issued. Refusals are audited with their reason
 * ({@code AUTH_TICKET_REFUSED}: unknown, reused, expired, malformed, user_changed); the ticket itself never is.
 */
@Singleton
public class ChannelTickets {
    /** How long a ticket admits an upgrade. */
    public static final Duration TTL = Duration.ofSeconds(30);
    /** Expired tickets are deleted once they are this old (their rows explain refusals until then). */
    static final Duration KEEP_EXPIRED = Duration.ofHours(1);
    private static final int TICKET_CHARS = 43;

    /** A ticket just issued; {@code toString} leaves the ticket out. */
    public record Issued(String ticket, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[(redacted), expiresAt=" + expiresAt + "]";
        }
    }

    private final ChannelTicketRepository tickets;
    private final UserRepository users;
    private final UserStates states;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ChannelTickets(ChannelTicketRepository tickets, UserRepository users, UserStates states,
                          AuditLog audit, JsonMapper json) {
        this(tickets, users, states, audit, json, Clock.systemUTC());
    }

    ChannelTickets(ChannelTicketRepository tickets, UserRepository users, UserStates states, AuditLog audit,
                   JsonMapper json, Clock clock) {
        this.tickets = tickets;
        this.users = users;
        this.states = states;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** Issues a ticket to the user {@code userId} whose access token carried {@code authVersion}. */
    public Issued issue(UUID userId, long authVersion) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        Instant expires = now.plus(TTL);
        try {
            tickets.deleteExpiredBefore(now.minus(KEEP_EXPIRED));
            tickets.save(new ChannelTicket(UUID.randomUUID(), AuthService.sha256(ticket), userId, authVersion, now,
                    expires, null));
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
        return new Issued(ticket, expires);
    }

    /**
     * Redeems {@code ticket} for one upgrade: the authentication the channel needs (username, roles, claims
     * {@code uid} and {@code ver}), or empty when the ticket is malformed, unknown, used, expired, or its user was
     * disabled or changed since. Each refusal is audited; {@code address} is the client's.
     */
    public Optional<Authentication> redeem(String ticket, String address) {
        if (ticket == null || ticket.length() != TICKET_CHARS || !base64url(ticket)) {
            return refuse("anonymous", "malformed", null, address);
        }
        Instant now = clock.instant();
        try {
            Optional<ChannelTicket> found = tickets.findByHash(AuthService.sha256(ticket));
            if (found.isEmpty()) {
                return refuse("anonymous", "unknown", null, address);
            }
            ChannelTicket t = found.get();
            User user;
            user = users.findById(t.userId()).orElse(null);
            String actor = user == null ? "anonymous" : "user:" + user.username();
            if (t.usedAt() != null) {
                return refuse(actor, "reused", t, address);
            }
            if (!t.expiresAt().isAfter(now)) {
                return refuse(actor, "expired", t, address);
            }
            if (tickets.use(t.id(), now) != 1) {
                return refuse(actor, "reused", t, address); // a concurrent upgrade used it first
            }
            if (user == null || user.disabled() || !states.current(user.id(), t.authVersion())) {
                return refuse(actor, "user_changed", t, address);
            }
            return Optional.of(Authentication.build(user.username(),
                    user.roles().stream().map(Enum::name).sorted().toList(),
                    Map.of(AuthService.CLAIM_USER_ID, user.id().toString(),
                            AuthService.CLAIM_VERSION, t.authVersion())));
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
    }

    private Optional<Authentication> refuse(String actor, String reason, ChannelTicket t, String address) {
        audit.append(actor, "AUTH_TICKET_REFUSED", AuditPayload.of(json, "reason", reason,
                "ticketId", t == null ? null : t.id().toString(), "address", address));
        return Optional.empty();
    }

    private static boolean base64url(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || ch == '-' || ch == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
