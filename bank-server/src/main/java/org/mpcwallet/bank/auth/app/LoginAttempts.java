package org.mpcwallet.bank.auth.app;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.UUID;
import org.mpcwallet.bank.auth.persistence.LoginThrottleRepository;
import org.mpcwallet.bank.limits.LimitsConfig;
import org.mpcwallet.bank.limits.Throttle;

/**
 * An account's sign-in attempts in the database (docs/controls-hardening.md §4): each method is one Micronaut
 * transaction around {@link LoginThrottleRepository}.
 */
@Singleton
public class LoginAttempts {

    /** An account's throttle state before and after an attempt was claimed, or the wait that refused it. */
    public record Claim(Throttle.State before, Throttle.State after, Throttle.Decision.Wait refused) {
    }

    private final LoginThrottleRepository throttles;
    private final Throttle accountThrottle;

    public LoginAttempts(LoginThrottleRepository throttles, LimitsConfig limits) {
        this.throttles = throttles;
        this.accountThrottle = limits.accountThrottle();
    }

    /**
     * Locks the account's throttle row: when the account must wait, the claim carries the wait and nothing changes;
     * else the attempt is stored as a failure (a correct password clears it with {@link #succeeded}).
     */
    @Transactional
    public Claim claim(UUID userId, Instant now) {
        Throttle.State before = throttles.lock(userId);
        if (accountThrottle.check(before, now) instanceof Throttle.Decision.Wait w) {
            return new Claim(before, before, w);
        }
        Throttle.State after = accountThrottle.failed(before, now);
        throttles.save(userId, after);
        return new Claim(before, after, null);
    }

    /** Forgets the account's failures after a successful sign-in. */
    @Transactional
    public void succeeded(UUID userId) {
        throttles.save(userId, Throttle.State.CLEAR);
    }
}
