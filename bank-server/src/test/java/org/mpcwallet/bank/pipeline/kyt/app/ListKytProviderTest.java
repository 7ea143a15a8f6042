package org.mpcwallet.bank.pipeline.kyt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.pipeline.kyt.domain.Direction;
import org.mpcwallet.bank.pipeline.kyt.domain.KytResult;
import org.mpcwallet.bank.pipeline.kyt.domain.KytResult.Verdict;

/** {@link ListKytProvider}: list lookups in both directions, case-insensitivity, and each configuration error. */
class ListKytProviderTest {
    private static final String BLACK = "0x" + "ab".repeat(20);
    private static final String BLACK2 = "0x" + "12".repeat(20);
    private static final String GREY = "0x" + "cd".repeat(20);
    private static final String CLEAN = "0x" + "ef".repeat(20);

    private final ListKytProvider kyt = new ListKytProvider(BLACK + ", " + BLACK2, GREY);

    @Test
    void blockedReviewAllowInBothDirections() {
        for (Direction d : Direction.values()) {
            assertEquals(Verdict.BLOCK, kyt.screen(BLACK, d).verdict());
            assertEquals(Verdict.BLOCK, kyt.screen(BLACK2, d).verdict());
            assertEquals(Verdict.REVIEW, kyt.screen(GREY, d).verdict());
            assertEquals(Verdict.ALLOW, kyt.screen(CLEAN, d).verdict());
        }
        KytResult r = kyt.screen(BLACK2, Direction.INBOUND);
        assertEquals("list", r.provider());
        assertEquals("INBOUND address is on the KYT blocked list (entry 2)", r.reason());
        assertEquals("OUTBOUND address is on the KYT grey list (entry 1)", kyt.screen(GREY, Direction.OUTBOUND).reason());
    }

    @Test
    void caseInsensitiveBothWays() {
        ListKytProvider upperConfig = new ListKytProvider("0x" + "AB".repeat(20), "0x" + "Cd".repeat(20));
        assertEquals(Verdict.BLOCK, upperConfig.screen(BLACK, Direction.OUTBOUND).verdict());
        assertEquals(Verdict.REVIEW, upperConfig.screen("0x" + "cD".repeat(20), Direction.OUTBOUND).verdict());
        assertEquals(Verdict.BLOCK, kyt.screen("0x" + "aB".repeat(20), Direction.OUTBOUND).verdict());
    }

    @Test
    void onBothListsBlocks() {
        ListKytProvider both = new ListKytProvider(BLACK, GREY + "," + BLACK.toUpperCase().replace("0X", "0x"));
        assertEquals(Verdict.BLOCK, both.screen(BLACK, Direction.OUTBOUND).verdict());
    }

    @Test
    void emptyOrMissingListsAllowEverything() {
        for (String none : new String[] {null, "", "  \n"}) {
            ListKytProvider p = new ListKytProvider(none, none);
            assertEquals(0, p.blockedCount());
            assertEquals(0, p.greyCount());
            assertEquals(Verdict.ALLOW, p.screen(BLACK, Direction.OUTBOUND).verdict());
        }
    }

    @Test
    void duplicatesCountOnceAndKeepTheFirstPosition() {
        ListKytProvider p = new ListKytProvider(BLACK + "," + BLACK.toUpperCase().replace("0X", "0x"), null);
        assertEquals(1, p.blockedCount());
        assertTrue(p.screen(BLACK, Direction.OUTBOUND).reason().endsWith("(entry 1)"));
    }

    @Test
    void malformedEntryIsAConstructionErrorNamingListAndPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ListKytProvider(BLACK + "," + BLACK2 + ",0x1234", null));
        assertEquals("KYT blocked list: entry 3 is not a 0x-prefixed 40-hex-digit address: '0x1234'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ListKytProvider(BLACK, "nonsense"));
        assertTrue(e.getMessage().startsWith("KYT grey list: entry 1 "), e.getMessage());
    }

    @Test
    void eachMalformedShapeIsRefused() {
        String[] bad = {
            "ab".repeat(20),                 // no prefix
            "0X" + "ab".repeat(20),          // upper-case prefix
            "0x" + "ab".repeat(19) + "a",    // 39 digits
            "0x" + "ab".repeat(20) + "a",    // 41 digits
            "0x" + "ab".repeat(19) + "ag",   // not hex
            "0x" + "ab".repeat(19) + "a ",   // trimmed: 39 digits
            "0x" + "ab".repeat(10) + " " + "ab".repeat(10), // space inside
        };
        for (String b : bad) {
            assertThrows(IllegalArgumentException.class, () -> new ListKytProvider(b, null), b);
        }
    }

    @Test
    void emptyEntryIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ListKytProvider(BLACK + ",," + BLACK2, null));
        assertEquals("KYT blocked list: entry 2 is empty", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ListKytProvider(null, GREY + ","));
        assertEquals("KYT grey list: entry 2 is empty", e.getMessage());
    }

    @Test
    void aLongMalformedEntryIsCut() {
        String longEntry = "x".repeat(500);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ListKytProvider(longEntry, null));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void malformedInputIsBlockedNotThrown() {
        assertEquals(Verdict.BLOCK, kyt.screen(null, Direction.OUTBOUND).verdict());
        assertEquals(Verdict.BLOCK, kyt.screen("0x1234", Direction.OUTBOUND).verdict());
        assertEquals(Verdict.BLOCK, kyt.screen(" " + CLEAN, Direction.OUTBOUND).verdict());
        assertEquals(Verdict.BLOCK, kyt.screen(CLEAN, null).verdict());
    }

    @Test
    void resultChecksItsFields() {
        assertThrows(NullPointerException.class, () -> new KytResult(null, "r", "p"));
        assertThrows(IllegalArgumentException.class, () -> new KytResult(Verdict.ALLOW, " ", "p"));
        assertThrows(IllegalArgumentException.class, () -> new KytResult(Verdict.ALLOW, "r", null));
    }
}
