package org.mpcwallet.bank.limits;

import java.time.Duration;

/**
 * A request refused by a limit (docs/controls-hardening.md §4): the API answers 429 (or 503 when the server as a whole
 * is saturated) with {@code Retry-After}. The message is safe to show to the caller.
 */
public final class RateLimited extends RuntimeException {
    private final Duration retryAfter;
    private final boolean overloaded;

    private RateLimited(String message, Duration retryAfter, boolean overloaded) {
        super(message, null, false, false);
        this.retryAfter = Throttle.roundUp(retryAfter);
        this.overloaded = overloaded;
    }

    /** This caller (account, address, user) went over its limit: 429. */
    public static RateLimited tooMany(String message, Duration retryAfter) {
        return new RateLimited(message, retryAfter, false);
    }

    /** The server has no capacity for this kind of work right now: 503. */
    public static RateLimited overloaded(String message, Duration retryAfter) {
        return new RateLimited(message, retryAfter, true);
    }

    /** Whole seconds, at least 1. */
    public long retryAfterSeconds() {
        return retryAfter.getSeconds();
    }

    public boolean overloaded() {
        return overloaded;
    }
}
