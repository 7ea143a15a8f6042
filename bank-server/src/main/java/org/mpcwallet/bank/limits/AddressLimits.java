package org.mpcwallet.bank.limits;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Per client address, in this instance's memory (docs/controls-hardening.md §4): the failed-login throttle and the
 * registration window. Each instance counts what it sees; behind a load balancer the effective limit is the
 * configured one times the instances (the per-account throttle is in the database and holds across them). At most
 * {@link #MAX_ADDRESSES} addresses are remembered; beyond, forgotten entries go first.
 */
@Singleton
public class AddressLimits {
    static final int MAX_ADDRESSES = 100_000;

    private final Throttle logins;
    private final WindowCounter registrations;
    private final ConcurrentHashMap<String, Throttle.State> loginStates = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, WindowCounter.State> registrationStates = new ConcurrentHashMap<>();

    public AddressLimits(LimitsConfig config) {
        this.logins = config.addressThrottle();
        this.registrations = new WindowCounter(config.registrationsPerAddressPerHour(), Duration.ofHours(1));
    }

    /** Throws {@link RateLimited} when logins from {@code address} must wait. */
    public void checkLogin(String address, Instant now) {
        Throttle.State s = loginStates.get(address);
        if (s != null && logins.check(s, now) instanceof Throttle.Decision.Wait w) {
            throw RateLimited.tooMany(w.locked() ? "too many failed sign-ins from your address; try again later"
                    : "too many failed sign-ins from your address; wait before trying again", w.retryAfter());
        }
    }

    /** Counts a failed login from {@code address}; true when that failure locked the address. */
    public boolean loginFailed(String address, Instant now) {
        prune(loginStates, now);
        AtomicBoolean locked = new AtomicBoolean();
        loginStates.compute(address, (k, old) -> {
            Throttle.State before = old == null ? Throttle.State.CLEAR : old;
            Throttle.State after = logins.failed(before, now);
            locked.set(Throttle.lockoutStarted(before, after));
            return after;
        });
        return locked.get();
    }

    /** Counts one registration from {@code address}, or throws {@link RateLimited} when its hour is used up. */
    public void register(String address, Instant now) {
        prune(registrationStates, now);
        Duration[] refused = new Duration[1];
        registrationStates.compute(address, (k, old) -> {
            WindowCounter.State next = registrations.tryAdd(old, now);
            if (next == null) {
                refused[0] = registrations.retryAfter(old, now);
                return old;
            }
            return next;
        });
        if (refused[0] != null) {
            throw RateLimited.tooMany("too many registrations from your address; try again later", refused[0]);
        }
    }

    private <S> void prune(ConcurrentHashMap<String, S> states, Instant now) {
        if (states.size() < MAX_ADDRESSES) {
            return;
        }
        states.entrySet().removeIf(e -> e.getValue() instanceof Throttle.State t
                ? logins.current(t, now).equals(Throttle.State.CLEAR)
                : e.getValue() instanceof WindowCounter.State w && !now.isBefore(w.start().plus(Duration.ofHours(1))));
        if (states.size() >= MAX_ADDRESSES) {
            states.clear(); // a flood of addresses: forget rather than grow without bound
        }
    }
}
