package org.mpcwallet.bank.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link TokenBuckets} with the clock driven by the test: the burst, the refill, the wait, one key per caller. */
class TokenBucketsTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aBurstThenOneRequestPerRefill() {
        TokenBuckets b = new TokenBuckets(2, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, b.take("u", 0));
        }
        Duration wait = b.take("u", 0);
        assertEquals(Duration.ofMillis(500), wait, "half a second until the next token at 2 per second");
        assertEquals(wait, b.waitFor("u", 0), "waitFor says the same and spends nothing");
        assertEquals(Duration.ZERO, b.waitFor("never-seen", 0));
        assertEquals(Duration.ZERO, b.take("other", 0), "another key has its own bucket");
        assertTrue(b.take("u", S / 4).compareTo(Duration.ZERO) > 0, "a quarter second later: not yet");
        assertEquals(Duration.ZERO, b.take("u", S / 2), "half a second later: one token");
        assertEquals(Duration.ZERO, b.take("u", 100 * S));
        assertEquals(Duration.ZERO, b.take("u", 100 * S));
        assertEquals(Duration.ZERO, b.take("u", 100 * S));
        assertTrue(b.take("u", 100 * S).compareTo(Duration.ZERO) > 0, "refilled up to the burst only");
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets(1, 0));
    }
}
