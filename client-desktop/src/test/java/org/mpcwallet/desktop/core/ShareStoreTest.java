package org.mpcwallet.desktop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.desktop.testing.TestShares;

class ShareStoreTest {
    private static final String WALLET = "0b8f3d2e-1c4a-4e5b-9a7d-2f6e8c1d3b5a";

    @TempDir
    Path tmp;

    private static char[] pw() {
        return TestShares.PASSWORD.toCharArray();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void savesWithMode600InA700DirectoryAndOpensTheSameShare() throws Exception {
        Path data = tmp.resolve("data");
        ShareStore store = new ShareStore(data);
        store.save(WALLET, TestShares.p2(), pw());

        Path f = store.file(WALLET);
        assertEquals(data.resolve("wallets").resolve(WALLET + ".vault"), f);
        assertEquals("rw-------", mode(f));
        assertEquals("rwx------", mode(data.resolve("wallets")));
        assertEquals("rwx------", mode(data));
        P2KeyShare back = store.open(WALLET, pw());
        assertArrayEquals(TestShares.p2().encode(), back.encode());
        assertEquals(List.of(WALLET), store.walletIds());
        try (Stream<Path> s = Files.list(store.directory())) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void aKeygenNeverReplacesAnExistingShare() {
        ShareStore store = new ShareStore(tmp);
        store.save(WALLET, TestShares.p2(), pw());
        WalletException e = assertThrows(WalletException.class, () -> store.save(WALLET, TestShares.p2(), pw()));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void forcedInstallReplacesAtomicallyWithMode600AndNoTemporaryFiles() throws Exception {
        ShareStore store = new ShareStore(tmp);
        store.install(WALLET, "old envelope".getBytes(), false);
        Path f = store.file(WALLET);
        Object oldKey = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertThrows(WalletException.class, () -> store.install(WALLET, "new".getBytes(), false));
        assertArrayEquals("old envelope".getBytes(), Files.readAllBytes(f));

        store.install(WALLET, "new envelope".getBytes(), true);
        assertArrayEquals("new envelope".getBytes(), Files.readAllBytes(f));
        assertEquals("rw-------", mode(f));
        Object newKey = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertFalse(oldKey.equals(newKey), "replaced by rename of a new file, not rewritten in place");
        try (Stream<Path> s = Files.list(store.directory())) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void aWrongPasswordIsAClearErrorAndLeavesTheFileByteIdentical() throws Exception {
        ShareStore store = new ShareStore(tmp);
        store.save(WALLET, TestShares.p2(), pw());
        Path f = store.file(WALLET);
        byte[] before = Files.readAllBytes(f);
        FileTime mtime = Files.getLastModifiedTime(f);

        WalletException e = assertThrows(WalletException.class,
                () -> store.open(WALLET, "not the password at all".toCharArray()));
        assertEquals("cannot open the share of wallet " + WALLET + ": wrong password, or the vault file was modified",
                e.getMessage());
        assertFalse(e.getMessage().contains("not the password"));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(mtime, Files.getLastModifiedTime(f));
        assertEquals("rw-------", mode(f));
    }

    @Test
    void aTamperedOrTruncatedFileIsAClearError() throws Exception {
        ShareStore store = new ShareStore(tmp);
        store.save(WALLET, TestShares.p2(), pw());
        Path f = store.file(WALLET);
        byte[] good = Files.readAllBytes(f);

        byte[] flipped = good.clone();
        flipped[flipped.length - 40] ^= 0x01;
        Files.write(f, flipped);
        WalletException e1 = assertThrows(WalletException.class, () -> store.open(WALLET, pw()));
        assertTrue(e1.getMessage().contains("wrong password, or the vault file was modified"), e1.getMessage());

        Files.write(f, java.util.Arrays.copyOf(good, 30));
        WalletException e2 = assertThrows(WalletException.class, () -> store.open(WALLET, pw()));
        assertTrue(e2.getMessage().startsWith("the vault file of wallet " + WALLET + " is damaged"), e2.getMessage());

        Files.write(f, good);
        WalletException e3 = assertThrows(WalletException.class,
                () -> ShareStore.decode("another-wallet", good, pw()));
        assertTrue(e3.getMessage().contains("belongs to another wallet"), e3.getMessage());
    }

    @Test
    void missingShareAndUnsafeWalletIdsAreRefused() {
        ShareStore store = new ShareStore(tmp);
        WalletException e = assertThrows(WalletException.class, () -> store.open(WALLET, pw()));
        assertTrue(e.getMessage().startsWith("no share for wallet " + WALLET), e.getMessage());
        for (String bad : new String[] {"../etc", "a/b", ".hidden", "", "x".repeat(129)}) {
            assertThrows(WalletException.class, () -> store.file(bad), bad);
        }
    }

    @Test
    void theSessionFileIsMode600AndItsToStringHidesTokens() throws Exception {
        SessionStore s = new SessionStore(tmp.resolve("d"));
        Session session = new Session("http://127.0.0.1:1", "alice", "access-secret-1", "refresh-secret-1");
        s.save(session);
        assertEquals("rw-------", mode(s.file()));
        assertEquals("rwx------", mode(tmp.resolve("d")));
        assertEquals(session, s.load());
        assertFalse(session.toString().contains("secret"));
        assertTrue(s.delete());
        assertEquals(null, s.load());
    }
}
