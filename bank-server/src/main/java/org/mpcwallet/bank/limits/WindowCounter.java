package org.mpcwallet.bank.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * At most {@code limit} events per {@code window} (a fixed window that starts at its first event), as pure
 * transitions over a {@link State}.
 */
public record WindowCounter(int limit, Duration window) {

    public WindowCounter {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a window needs a positive limit and length");
        }
    }

    /** Events counted in the window that started at {@code start}. */
    public record State(Instant start, int count) {
    }

    /** The state with one more event at {@code now}, or null when the limit is reached. */
    public State tryAdd(State s, Instant now) {
        if (s == null || !now.isBefore(s.start().plus(window))) {
            return new State(now, 1);
        }
        return s.count() >= limit ? null : new State(s.start(), s.count() + 1);
    }

    /** How long until {@code s}'s window ends. */
    public Duration retryAfter(State s, Instant now) {
        return Throttle.roundUp(Duration.between(now, s.start().plus(window)));
    }
}
