package org.mpcwallet.desktop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.desktop.core.ShareSelection.Candidate;
import org.mpcwallet.desktop.core.ShareSelection.Source;
import org.mpcwallet.desktop.testing.TestShares;

/** Which share file is current after a refresh that may not have finished; the .vault.next file handling. */
class ShareSelectionTest {
    private static final P2KeyShare OLD = TestShares.p2();
    private static final P2KeyShare NEW = TestShares.p2Refreshed();
    private static final String Q = Bytes.toHex(OLD.publicKey().encodeUncompressed());

    @TempDir
    Path tmp;

    @Test
    void theRefreshedShareKeepsQAtTheNextEpoch() {
        assertEquals(0, OLD.epoch());
        assertEquals(1, NEW.epoch());
        assertEquals(OLD.publicKey(), NEW.publicKey());
    }

    @Test
    void withoutANextFileTheVaultIsUsed() {
        assertEquals(List.of(Source.VAULT), sources(ShareSelection.candidates(OLD, null, Q, 0L)));
        assertEquals(List.of(Source.VAULT), sources(ShareSelection.candidates(OLD, null, null, null)));
        assertTrue(ShareSelection.candidates(null, null, Q, 0L).isEmpty());
    }

    @Test
    void theBanksEpochDecides() {
        // the refresh completed at the bank, the device did not get to rename: .next is current
        assertEquals(List.of(Source.NEXT), sources(ShareSelection.candidates(OLD, NEW, Q, 1L)));
        // the refresh did not complete at the bank: .vault is current, .next is ignored
        assertEquals(List.of(Source.VAULT), sources(ShareSelection.candidates(OLD, NEW, Q, 0L)));
        // neither matches (e.g. an old backup restored): .vault, and the bank answers STALE_SHARE
        assertEquals(List.of(Source.VAULT), sources(ShareSelection.candidates(OLD, NEW, Q, 5L)));
        // only a .next
        assertEquals(List.of(Source.NEXT), sources(ShareSelection.candidates(null, NEW, Q, 1L)));
    }

    @Test
    void withoutTheBanksEpochBothAreTriedVaultFirst() {
        assertEquals(List.of(Source.VAULT, Source.NEXT), sources(ShareSelection.candidates(OLD, NEW, Q, null)));
        assertEquals(List.of(Source.VAULT, Source.NEXT), sources(ShareSelection.candidates(OLD, NEW, null, null)));
    }

    @Test
    void aNextFileOfAnotherKeyIsIgnored() {
        String otherQ = "04" + "11".repeat(64);
        assertEquals(List.of(Source.VAULT), sources(ShareSelection.candidates(OLD, NEW, otherQ, 1L)));
        assertTrue(ShareSelection.candidates(null, NEW, otherQ, 1L).isEmpty());
    }

    @Test
    void candidatesDoNotPrintTheShare() {
        String s = ShareSelection.candidates(OLD, null, Q, 0L).get(0).toString();
        assertFalse(s.contains(OLD.x2().toString(16)));
        assertTrue(s.contains("redacted"));
    }

    @Test
    void nextFileIsSealedPrivatelyAndPromotedAtomically() throws Exception {
        ShareStore store = new ShareStore(tmp);
        char[] pw = TestShares.PASSWORD.toCharArray();
        String id = "3f7c1f5e-0c1b-4d7e-9a57-2f5b8d8e1a01";
        store.save(id, OLD, pw);
        assertFalse(store.hasNext(id));
        assertEquals(null, store.openNext(id, pw));
        store.saveNext(id, NEW, pw);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.nextFile(id))));
        assertEquals(0, store.open(id, pw).epoch(), "the .vault is untouched until the bank confirmed");
        assertEquals(1, store.openNext(id, pw).epoch());
        assertEquals(List.of(id), store.walletIds(), ".next files are not wallets of their own");
        store.promoteNext(id);
        assertFalse(store.hasNext(id));
        assertEquals(1, store.open(id, pw).epoch());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file(id))));
        try (var files = Files.list(store.directory())) {
            assertEquals(List.of(id + ".vault"), files.map(p -> p.getFileName().toString()).toList());
        }
        // promoting without a .next fails clearly and keeps the .vault
        WalletException e = org.junit.jupiter.api.Assertions.assertThrows(WalletException.class,
                () -> store.promoteNext(id));
        assertTrue(e.getMessage().contains(".vault.next is not a regular file"), e.getMessage());
        assertEquals(1, store.open(id, pw).epoch());
    }

    private static List<Source> sources(List<Candidate> c) {
        return c.stream().map(Candidate::source).toList();
    }
}
