package org.mpcwallet.bank.auth.app;

import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.mpcwallet.bank.auth.persistence.UserRepository;
import org.mpcwallet.bank.db.Transactions;

/**
 * A user's current standing as the database has it (docs/controls-hardening.md §2): disabled or not, and the
 * {@code auth_version} bumped by every change of status, roles or password (migration V15). Cached for at most
 * {@link #TTL_MILLIS} per user so that every authenticated request and WebSocket frame can ask cheaply; a revocation
 * takes effect on every instance within that time.
 */
@Singleton
public class UserStates {
    /** How long a user's state is reused before it is read again. */
    public static final long TTL_MILLIS = 2_000;
    /** Above this many cached users, expired entries are dropped at the next read. */
    static final int PRUNE_ABOVE = 10_000;

    /** The state of one user. */
    public record State(boolean disabled, long version) {
    }

    private record Entry(Optional<State> state, long readAtNanos) {
    }

    private final UserRepository users;
    private final ConcurrentHashMap<UUID, Entry> cache = new ConcurrentHashMap<>();

    public UserStates(UserRepository users) {
        this.users = users;
    }

    /** Whether a token of {@code userId} issued under {@code version} is still good: the user exists, is enabled and
     * has not changed since. */
    public boolean current(UUID userId, long version) {
        Optional<State> s = cached(userId);
        return s.isPresent() && !s.get().disabled() && s.get().version() == version;
    }

    /** The state as known within the last {@link #TTL_MILLIS} (read now if older), or empty for an unknown user. */
    public Optional<State> recent(UUID userId) {
        return cached(userId);
    }

    /**
     * The state read from the database now (no cache), or empty for an unknown user; in the caller's Micronaut
     * transaction when there is one.
     */
    public Optional<State> load(UUID userId) {
        Optional<State> s;
        try {
            s = users.authState(userId).map(a -> new State(a.disabled(), a.version()));
        } catch (RuntimeException e) {
            throw Transactions.storeFailure(e);
        }
        long now = System.nanoTime();
        if (cache.size() > PRUNE_ABOVE) {
            cache.values().removeIf(e -> now - e.readAtNanos() >= TTL_MILLIS * 1_000_000L);
        }
        cache.put(userId, new Entry(s, now));
        return s;
    }

    /** Forgets the cached state of {@code userId} (after a change made through this instance). */
    public void invalidate(UUID userId) {
        cache.remove(userId);
    }

    private Optional<State> cached(UUID userId) {
        Entry e = cache.get(userId);
        if (e != null && System.nanoTime() - e.readAtNanos() < TTL_MILLIS * 1_000_000L) {
            return e.state();
        }
        return load(userId);
    }
}
