package org.mpcwallet.bank.integration.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When a failed webhook delivery is tried again (docs/integration.md "Delivery"): after failed attempt {@code n}
 * (1-based) comes {@code delays[n-1]} with ±{@code jitter} of it, until the delays run out. An answer 4xx other than
 * 408 and 429 is final: the receiver refused this event, and the same bytes would be refused again.
 */
public record RetrySchedule(List<Duration> delays, double jitter) {
    /** 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about 27 hours of retries (Standard Webhooks' suggestion). */
    public static final List<Duration> STANDARD = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
            Duration.ofHours(10));

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
        for (Duration d : delays) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a retry delay must not be negative");
            }
        }
    }

    /** Whether an answer (null: none, a timeout or a refused connection) may be tried again. */
    public static boolean retryable(Integer status) {
        if (status == null) {
            return true;
        }
        if (status >= 400 && status < 500) {
            return status == 408 || status == 429;
        }
        return true;
    }

    public static boolean delivered(Integer status) {
        return status != null && status >= 200 && status < 300;
    }

    /**
     * The wait before the next attempt after failed attempt {@code attempt} answered {@code status}, or empty to give
     * up. {@code u} is uniform in [0, 1): the jitter's draw (the caller's random source).
     */
    public Optional<Duration> next(int attempt, Integer status, double u) {
        if (!retryable(status) || attempt < 1 || attempt > delays.size()) {
            return Optional.empty();
        }
        Duration base = delays.get(attempt - 1);
        double factor = 1 + jitter * (2 * u - 1);
        return Optional.of(Duration.ofNanos(Math.round(base.toNanos() * factor)));
    }
}
