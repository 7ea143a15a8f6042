package org.mpcwallet.bank.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfirmationsTest {
    @Test
    void countsTheIncludingBlockAsOne() {
        assertEquals(1, Confirmations.of(10, 10));
        assertEquals(6, Confirmations.of(10, 15));
    }

    @Test
    void aHeadBehindTheReceiptGivesZero() {
        assertEquals(0, Confirmations.of(10, 9));
    }

    @Test
    void reachedComparesWithTheRequiredCount() {
        assertTrue(Confirmations.reached(12, 12));
        assertFalse(Confirmations.reached(11, 12));
        assertThrows(IllegalArgumentException.class, () -> Confirmations.reached(1, 0));
        assertThrows(IllegalArgumentException.class, () -> Confirmations.of(-1, 0));
    }
}
