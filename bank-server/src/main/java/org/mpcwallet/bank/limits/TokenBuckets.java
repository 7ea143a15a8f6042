package org.mpcwallet.bank.limits;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key (docs/integration.md "Rate limits"): each key may spend {@code burst} requests at once and
 * earns {@code perSecond} back each second. {@link #take} answers how long the caller must wait (zero: allowed, and
 * the token spent). In memory, per bank instance; the time comes from the caller (tests drive it).
 */
public final class TokenBuckets {
    /** Above this many keys, buckets that have been full for a while are dropped at the next take. */
    static final int PRUNE_ABOVE = 50_000;

    private final double perSecond;
    private final double burst;
    private final ConcurrentHashMap<String, double[]> buckets = new ConcurrentHashMap<>(); // {tokens, atNanos}

    public TokenBuckets(double perSecond, int burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a bucket needs a positive rate and a burst of at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Spends one token of {@code key} at {@code nowNanos}: {@link Duration#ZERO}, or how long until one is there. */
    public Duration take(String key, long nowNanos) {
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.values().removeIf(b -> {
                synchronized (b) {
                    return refilled(b, nowNanos) >= burst;
                }
            });
        }
        double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, nowNanos});
        synchronized (b) {
            double tokens = refilled(b, nowNanos);
            b[1] = nowNanos;
            if (tokens >= 1) {
                b[0] = tokens - 1;
                return Duration.ZERO;
            }
            b[0] = tokens;
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9));
        }
    }

    /** How long until {@code key} has a token at {@code nowNanos} ({@link Duration#ZERO}: it has one); spends none. */
    public Duration waitFor(String key, long nowNanos) {
        double[] b = buckets.get(key);
        if (b == null) {
            return Duration.ZERO;
        }
        synchronized (b) {
            double tokens = refilled(b, nowNanos);
            return tokens >= 1 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9));
        }
    }

    private double refilled(double[] b, long nowNanos) {
        double elapsed = Math.max(0, nowNanos - (long) b[1]) / 1e9;
        return Math.min(burst, b[0] + elapsed * perSecond);
    }
}
