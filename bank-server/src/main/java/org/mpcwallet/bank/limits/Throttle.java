package org.mpcwallet.bank.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * Progressive throttling of failed attempts (docs/controls-hardening.md §4), as pure transitions over a
 * {@link State}: the first {@code freeFailures} failures cost nothing; each further one makes the next attempt wait
 * {@code firstDelay}, doubling up to {@code maxDelay}; the {@code lockoutAfter}-th failure locks for
 * {@code lockout}. A success clears the state; so do the end of a lockout and {@code lockout} without a failure.
 *
 * @param freeFailures failures allowed before any delay
 * @param firstDelay   the wait after the first failure beyond the free ones
 * @param maxDelay     the longest wait before the lockout
 * @param lockoutAfter the failure that starts the lockout
 * @param lockout      how long the lockout lasts
 */
public record Throttle(int freeFailures, Duration firstDelay, Duration maxDelay, int lockoutAfter, Duration lockout) {

    public Throttle {
        if (freeFailures < 0 || lockoutAfter <= freeFailures || firstDelay.isNegative()
                || maxDelay.compareTo(firstDelay) < 0 || lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("inconsistent throttle: " + freeFailures + " free, lockout after "
                    + lockoutAfter);
        }
    }

    /** What is known about one account's or one address's recent failures. */
    public record State(int failures, Instant lastFailureAt, Instant nextAttemptAt, Instant lockedUntil) {
        public static final State CLEAR = new State(0, null, null, null);

        public State {
            if (failures < 0) {
                throw new IllegalArgumentException("failures < 0");
            }
        }
    }

    /** The answer to "may one more attempt run now?". */
    public sealed interface Decision {
        /** It may. */
        record Allowed() implements Decision {
        }

        /** Not before {@code retryAfter}; {@code locked} when that is a lockout. */
        record Wait(Duration retryAfter, boolean locked) implements Decision {
        }
    }

    /** Whether an attempt may run at {@code now}. */
    public Decision check(State s, Instant now) {
        State live = current(s, now);
        if (live.lockedUntil() != null) {
            return new Decision.Wait(roundUp(Duration.between(now, live.lockedUntil())), true);
        }
        if (live.nextAttemptAt() != null && now.isBefore(live.nextAttemptAt())) {
            return new Decision.Wait(roundUp(Duration.between(now, live.nextAttemptAt())), false);
        }
        return new Decision.Allowed();
    }

    /** The state after one more failure at {@code now}. */
    public State failed(State s, Instant now) {
        State live = current(s, now);
        int failures = live.failures() + 1;
        if (failures >= lockoutAfter) {
            return new State(failures, now, null, now.plus(lockout));
        }
        if (failures <= freeFailures) {
            return new State(failures, now, null, null);
        }
        int doublings = Math.min(30, failures - freeFailures - 1);
        Duration delay = firstDelay.multipliedBy(1L << doublings);
        if (delay.compareTo(maxDelay) > 0) {
            delay = maxDelay;
        }
        return new State(failures, now, now.plus(delay), null);
    }

    /** Whether {@code after} (a failure's result) is the lockout starting. */
    public static boolean lockoutStarted(State before, State after) {
        return after.lockedUntil() != null && (before.lockedUntil() == null || !before.lockedUntil()
                .equals(after.lockedUntil()));
    }

    /** A state whose lockout ended, or without a failure for {@code lockout}, is clear again. */
    public State current(State s, Instant now) {
        if (s.lockedUntil() != null) {
            return now.isBefore(s.lockedUntil()) ? s : State.CLEAR;
        }
        if (s.lastFailureAt() != null && !now.isBefore(s.lastFailureAt().plus(lockout))) {
            return State.CLEAR;
        }
        return s;
    }

    /** Whole seconds, at least 1, as {@code Retry-After} carries them. */
    static Duration roundUp(Duration d) {
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
