package org.mpcwallet.bank.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure throttle and window transitions of docs/controls-hardening.md §4, without waiting for any clock. */
class ThrottleTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private final Throttle account = new Throttle(3, Duration.ofSeconds(1), Duration.ofSeconds(30), 10,
            Duration.ofMinutes(15));

    @Test
    void failuresBeyondTheFreeOnesWaitLongerAndLongerThenLockTheAccount() {
        Throttle.State s = Throttle.State.CLEAR;
        List<Long> waits = new ArrayList<>();
        Instant now = T0;
        for (int i = 1; i <= 10; i++) {
            assertInstanceOf(Throttle.Decision.Allowed.class, account.check(s, now), "attempt " + i + " may run");
            Throttle.State before = s;
            s = account.failed(s, now);
            assertEquals(i, s.failures());
            assertEquals(i == 10, Throttle.lockoutStarted(before, s));
            Throttle.Decision d = account.check(s, now);
            if (d instanceof Throttle.Decision.Wait w) {
                waits.add(w.retryAfter().getSeconds());
                assertEquals(i == 10, w.locked());
                now = now.plus(w.retryAfter());
            } else {
                waits.add(0L);
            }
        }
        assertEquals(List.of(0L, 0L, 0L, 1L, 2L, 4L, 8L, 16L, 30L, 900L), waits);
        // the lockout over, the account starts from nothing
        assertEquals(Throttle.State.CLEAR, account.current(s, now));
        assertEquals(1, account.failed(s, now).failures());
    }

    @Test
    void anAttemptDuringTheWaitIsRefusedWithTheSecondsLeftRoundedUp() {
        Throttle.State s = Throttle.State.CLEAR;
        for (int i = 0; i < 5; i++) {
            s = account.failed(s, T0);
        }
        Throttle.Decision.Wait w = assertInstanceOf(Throttle.Decision.Wait.class,
                account.check(s, T0.plusMillis(300)));
        assertEquals(2, w.retryAfter().getSeconds()); // 2 s after the fifth failure, 1.7 s left: 2
        assertFalse(w.locked());
        assertInstanceOf(Throttle.Decision.Allowed.class, account.check(s, T0.plusSeconds(2)));
    }

    @Test
    void failuresAreForgottenAfterTheLockoutPeriodWithoutOne() {
        Throttle.State s = account.failed(account.failed(Throttle.State.CLEAR, T0), T0);
        assertEquals(2, account.current(s, T0.plus(Duration.ofMinutes(14))).failures());
        assertEquals(Throttle.State.CLEAR, account.current(s, T0.plus(Duration.ofMinutes(15))));
    }

    @Test
    void inconsistentThrottlesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Throttle(5, Duration.ofSeconds(1),
                Duration.ofSeconds(30), 5, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new Throttle(1, Duration.ofSeconds(10),
                Duration.ofSeconds(1), 5, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new Throttle.State(-1, null, null, null));
    }

    @Test
    void aWindowCountsUpToItsLimitAndStartsAgainWhenItEnds() {
        WindowCounter hourly = new WindowCounter(3, Duration.ofHours(1));
        WindowCounter.State s = null;
        for (int i = 0; i < 3; i++) {
            s = hourly.tryAdd(s, T0.plusSeconds(i));
        }
        assertEquals(3, s.count());
        assertNull(hourly.tryAdd(s, T0.plusSeconds(60)));
        assertEquals(3540, hourly.retryAfter(s, T0.plusSeconds(60)).getSeconds());
        WindowCounter.State next = hourly.tryAdd(s, T0.plus(Duration.ofHours(1)));
        assertEquals(1, next.count());
        assertTrue(next.start().isAfter(T0));
    }
}
