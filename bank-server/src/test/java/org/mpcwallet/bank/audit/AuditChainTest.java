package org.mpcwallet.bank.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.audit.domain.AuditChain;
import org.mpcwallet.bank.audit.domain.AuditEvent;
import org.mpcwallet.bank.audit.domain.ChainVerification;
import org.mpcwallet.bank.audit.domain.Hash;

/** The canonical encoding and chain walk, without a database. */
class AuditChainTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void canonicalEncodingIsTheDocumentedLayout() {
        Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");
        byte[] enc = AuditChain.canonical(258, at, "ab", "T", "{}");
        long micros = at.getEpochSecond() * 1_000_000L + 123_456L;
        String expected = "01"
                + "0000000000000102"
                + String.format("%016x", micros)
                + "00000002" + "6162"
                + "00000001" + "54"
                + "00000002" + "7b7d";
        assertEquals(expected, HEX.formatHex(enc));
    }

    @Test
    void hashIsSha256OfPrevHashAndCanonical() throws Exception {
        Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(new byte[32]);
        sha.update(AuditChain.canonical(1, at, "ab", "T", "{}"));
        assertArrayEquals(sha.digest(), AuditChain.hash(Hash.ZERO, 1, at, "ab", "T", "{}").toBytes());
    }

    @Test
    void lengthPrefixesSeparateFields() {
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        assertNotEquals(AuditChain.hash(Hash.ZERO, 1, at, "ab", "C", "{}"),
                AuditChain.hash(Hash.ZERO, 1, at, "a", "BC", "{}"));
    }

    @Test
    void nanosecondsAndLoneSurrogatesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> AuditChain.canonical(1, Instant.parse("2026-01-02T03:04:05.123456789Z"), "a", "T", "{}"));
        assertThrows(IllegalArgumentException.class,
                () -> AuditChain.canonical(1, Instant.EPOCH, "a\uDC00", "T", "{}"));
    }

    @Test
    void walkReportsTheFirstBrokenLink() {
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        AuditEvent e1 = event(1, Hash.ZERO, at, "{\"a\":1}");
        AuditEvent e2 = event(2, e1.hash(), at, "{\"a\":2}");
        AuditEvent e3 = event(3, e2.hash(), at, "{\"a\":3}");
        assertTrue(ChainVerification.walk(List.of(e1, e2, e3).iterator(), 3, e3.hash()).ok());
        ChainVerification gap = ChainVerification.walk(List.of(e1, e3).iterator(), 3, e3.hash());
        assertFalse(gap.ok());
        assertEquals(2L, gap.firstBrokenSeq());
        assertEquals(1, gap.count());
        AuditEvent forged = new AuditEvent(2, at, "x", "T", "{\"a\":9}", e1.hash(), e2.hash());
        assertEquals(2L, ChainVerification.walk(List.of(e1, forged, e3).iterator(), 3, e3.hash()).firstBrokenSeq());
        assertEquals(3L, ChainVerification.walk(List.of(e1, e2).iterator(), 3, e3.hash()).firstBrokenSeq());
        assertEquals(2L, ChainVerification.walk(List.of(e1, e2).iterator(), 2, e1.hash()).firstBrokenSeq());
    }

    private static AuditEvent event(long seq, Hash prev, Instant at, String payload) {
        return new AuditEvent(seq, at, "x", "T", payload, prev, AuditChain.hash(prev, seq, at, "x", "T", payload));
    }
}
