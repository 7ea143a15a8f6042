package org.mpcwallet.desktop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailureKind;
import org.mpcwallet.desktop.testing.TestShares;

/**
 * The unlock rule on real files (shared-crypto's {@code VaultUnlock} has the table itself): a marked file and a legacy
 * one × the right and the wrong secrets; a crash between writing the re-sealed file and its mark; files copied
 * without their marks; the migration's atomic replace; the rules for setting the wallet secret; each secret asked
 * for once and only when the rule tries it.
 */
class VaultSecretsTest {
    private static final String WALLET = "0b8f3d2e-1c4a-4e5b-9a7d-2f6e8c1d3b5a";
    private static final String OTHER = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    private static final String LOGIN = TestShares.PASSWORD;
    private static final String SECRET = "a wallet secret nobody else knows";

    @TempDir
    Path tmp;

    /** Prompts that answer from fixed values (null: not at hand) and count how often each was asked. */
    static final class Answers implements DeviceSecrets.Prompts {
        final String login;
        final String wallet;
        int loginAsked;
        int walletAsked;
        int walletConfirmed;

        Answers(String login, String wallet) {
            this.login = login;
            this.wallet = wallet;
        }

        @Override
        public char[] loginPassword(boolean mayAsk) {
            loginAsked++;
            return login == null ? null : login.toCharArray();
        }

        @Override
        public char[] walletSecret(boolean confirm) {
            walletAsked++;
            if (confirm) {
                walletConfirmed++;
            }
            if (wallet == null) {
                throw new WalletException("no wallet secret");
            }
            return wallet.toCharArray();
        }
    }

    private final List<String> notices = new ArrayList<>();

    private VaultSecrets vaults(Path home) {
        return new VaultSecrets(new ShareStore(home), notices::add);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** A device as the versions before the wallet secret left it: the share sealed with the login password. */
    private ShareStore legacyDevice(Path home) {
        ShareStore store = new ShareStore(home);
        store.save(WALLET, TestShares.p2(), LOGIN.toCharArray());
        return store;
    }

    /** A device whose share is sealed with the wallet secret and marked (a keygen of this version). */
    private ShareStore markedDevice(Path home) {
        VaultSecrets v = vaults(home);
        v.saveNew(WALLET, TestShares.p2(), SECRET.toCharArray());
        return v.store();
    }

    private static boolean opensWith(byte[] envelope, String secret) {
        return ShareVault.open(secret.toCharArray(), envelope, WALLET, Party.P2).isOk();
    }

    @Test
    void aMarkedFileOpensWithTheWalletSecretAndNothingIsWrittenOrAsked() throws Exception {
        Path home = tmp.resolve("d");
        ShareStore store = markedDevice(home);
        byte[] before = store.envelope(WALLET);
        byte[] marksBefore = Files.readAllBytes(new VaultMarks(home).file());
        FileTime mtime = Files.getLastModifiedTime(store.file(WALLET));
        Answers a = new Answers(LOGIN, SECRET);
        try (DeviceSecrets s = new DeviceSecrets(a)) {
            assertArrayEquals(TestShares.p2().encode(), vaults(home).openVault(WALLET, s).encode());
        }
        assertEquals(0, a.loginAsked, "the login password is not asked for a file sealed with the wallet secret");
        assertEquals(1, a.walletAsked);
        assertArrayEquals(before, store.envelope(WALLET));
        assertEquals(mtime, Files.getLastModifiedTime(store.file(WALLET)));
        assertArrayEquals(marksBefore, Files.readAllBytes(new VaultMarks(home).file()));
        assertEquals(List.of(), notices);
    }

    @Test
    void aMarkedFileAndAWrongWalletSecretIsAClearErrorNeverTheLoginPasswordAndNothingChanges() throws Exception {
        Path home = tmp.resolve("d");
        ShareStore store = markedDevice(home);
        byte[] before = store.envelope(WALLET);
        byte[] marksBefore = Files.readAllBytes(new VaultMarks(home).file());
        FileTime mtime = Files.getLastModifiedTime(store.file(WALLET));
        Answers a = new Answers(LOGIN, "not the wallet secret at all");
        try (DeviceSecrets s = new DeviceSecrets(a)) {
            WalletException e = assertThrows(WalletException.class, () -> vaults(home).openVault(WALLET, s));
            assertEquals("cannot open the share of wallet " + WALLET + ": wrong wallet secret, or the vault file was "
                    + "modified", e.getMessage());
        }
        assertEquals(0, a.loginAsked);
        assertArrayEquals(before, store.envelope(WALLET));
        assertEquals(mtime, Files.getLastModifiedTime(store.file(WALLET)));
        assertArrayEquals(marksBefore, Files.readAllBytes(new VaultMarks(home).file()));
        // even a marked file that the login password would open is not opened with it (the mark is obeyed)
        ShareStore legacy = new ShareStore(tmp.resolve("e"));
        legacy.save(WALLET, TestShares.p2(), LOGIN.toCharArray());
        VaultSecrets v = vaults(tmp.resolve("e"));
        v.mark(legacy.envelope(WALLET));
        try (DeviceSecrets s = new DeviceSecrets(new Answers(LOGIN, SECRET))) {
            assertThrows(WalletException.class, () -> v.openVault(WALLET, s));
        }
    }

    @Test
    void aLegacyFileIsResealedWithTheWalletSecretAtomicallyThenOpensOnlyWithIt() throws Exception {
        Path home = tmp.resolve("d");
        ShareStore store = legacyDevice(home);
        byte[] legacy = store.envelope(WALLET);
        Object inode = Files.readAttributes(store.file(WALLET), BasicFileAttributes.class).fileKey();
        Answers a = new Answers(LOGIN, SECRET);
        try (DeviceSecrets s = new DeviceSecrets(a)) {
            assertArrayEquals(TestShares.p2().encode(), vaults(home).openVault(WALLET, s).encode());
        }
        assertEquals(1, a.loginAsked);
        assertEquals(1, a.walletConfirmed, "the first wallet secret of the device is set: typed twice");
        assertEquals(List.of(org.mpcwallet.crypto.device.VaultUnlock.migrating(WALLET),
                org.mpcwallet.crypto.device.VaultUnlock.migrated(WALLET)), notices);

        byte[] now = store.envelope(WALLET);
        assertNotEquals(inode, Files.readAttributes(store.file(WALLET), BasicFileAttributes.class).fileKey(),
                "replaced by the rename of a new file, not rewritten in place");
        assertEquals(VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED,
                ShareVault.open(LOGIN.toCharArray(), now, WALLET, Party.P2).failure().kind());
        assertTrue(opensWith(now, SECRET));
        assertTrue(opensWith(legacy, LOGIN), "the old bytes were the login password's");
        assertTrue(new VaultMarks(home).isMarked(now));
        assertEquals("rw-------", mode(store.file(WALLET)));
        assertEquals("rw-------", mode(new VaultMarks(home).file()));
        try (Stream<Path> files = Files.list(store.directory())) {
            assertEquals(List.of(store.file(WALLET)), files.toList(), "no temporary file left");
        }
        String json = Files.readString(new VaultMarks(home).file());
        assertTrue(json.startsWith("{\"format\":\"mpcwallet-vault-seals\",\"version\":1,\"walletSecret\":[{\"walletId\":\""
                + WALLET + "\",\"salt\":\""), json);
        assertFalse(json.contains(SECRET));

        // the next unlock asks for the wallet secret only, says nothing and writes nothing
        notices.clear();
        Answers b = new Answers(null, SECRET);
        try (DeviceSecrets s = new DeviceSecrets(b)) {
            vaults(home).openVault(WALLET, s);
        }
        assertEquals(0, b.loginAsked);
        assertEquals(List.of(), notices);
        assertArrayEquals(now, store.envelope(WALLET));
    }

    /** A crash after the re-sealed file was renamed but before its mark was written (simulated: no mark). */
    @Test
    void aResealedFileWithoutItsMarkStillOpensAndGetsItsMarkBack() throws Exception {
        Path home = tmp.resolve("d");
        ShareStore store = new ShareStore(home);
        store.save(WALLET, TestShares.p2(), SECRET.toCharArray()); // sealed with the wallet secret, never marked
        byte[] before = store.envelope(WALLET);
        assertFalse(Files.exists(new VaultMarks(home).file()));
        Answers a = new Answers(LOGIN, SECRET);
        try (DeviceSecrets s = new DeviceSecrets(a)) {
            assertArrayEquals(TestShares.p2().encode(), vaults(home).openVault(WALLET, s).encode());
        }
        assertEquals(1, a.loginAsked, "unmarked: the login password first");
        assertEquals(0, a.walletConfirmed, "the wallet secret only opens, it is not set again");
        assertArrayEquals(before, store.envelope(WALLET), "not re-sealed");
        assertTrue(new VaultMarks(home).isMarked(before), "the mark is restored");
        assertEquals(List.of(org.mpcwallet.crypto.device.VaultUnlock.markRestored(WALLET)), notices);
    }

    /** Vault files copied to another device without the metadata file (e.g. by hand from a backup disk). */
    @Test
    void filesCopiedWithoutTheirMarksOpenWithTheWalletSecretEvenWithoutTheLoginPassword() throws Exception {
        ShareStore a = markedDevice(tmp.resolve("a"));
        ShareStore b = new ShareStore(tmp.resolve("b"));
        b.install(WALLET, a.envelope(WALLET), false);
        Answers noLogin = new Answers(null, SECRET);
        try (DeviceSecrets s = new DeviceSecrets(noLogin)) {
            vaults(tmp.resolve("b")).openVault(WALLET, s);
        }
        assertEquals(1, noLogin.loginAsked);
        assertTrue(new VaultMarks(tmp.resolve("b")).isMarked(b.envelope(WALLET)));
        assertArrayEquals(a.envelope(WALLET), b.envelope(WALLET));
    }

    @Test
    void aLegacyFileNeitherSecretOpensIsRefusedAndNothingIsWritten() throws Exception {
        Path home = tmp.resolve("d");
        ShareStore store = legacyDevice(home);
        byte[] before = store.envelope(WALLET);
        try (DeviceSecrets s = new DeviceSecrets(new Answers("a wrong login password", SECRET))) {
            WalletException e = assertThrows(WalletException.class, () -> vaults(home).openVault(WALLET, s));
            assertEquals("cannot open the share of wallet " + WALLET + ": neither your login password nor your wallet "
                    + "secret opens it (or the vault file was modified)", e.getMessage());
        }
        try (DeviceSecrets s = new DeviceSecrets(new Answers(null, SECRET))) {
            WalletException e = assertThrows(WalletException.class, () -> vaults(home).openVault(WALLET, s));
            assertTrue(e.getMessage().contains("still sealed with your login password, which is needed once"),
                    e.getMessage());
        }
        assertArrayEquals(before, store.envelope(WALLET));
        assertFalse(Files.exists(new VaultMarks(home).file()));
        assertEquals(List.of(), notices);
    }

    @Test
    void aWalletSecretBeingSetIsRefusedWhenShortOrTheLoginPasswordAndNothingIsWritten() throws Exception {
        Path home = tmp.resolve("d");
        ShareStore store = legacyDevice(home);
        byte[] before = store.envelope(WALLET);
        for (String bad : new String[] {"short", "elevenchars", LOGIN}) {
            try (DeviceSecrets s = new DeviceSecrets(new Answers(LOGIN, bad))) {
                WalletException e = assertThrows(WalletException.class, () -> vaults(home).openVault(WALLET, s));
                assertEquals((bad.equals(LOGIN) ? "the wallet secret must not be your login password (the bank "
                        + "receives that one at every login)" : "the wallet secret must be at least 12 characters long")
                        + "; the share of wallet " + WALLET + " was not re-sealed (nothing was written)",
                        e.getMessage());
            }
            assertArrayEquals(before, store.envelope(WALLET), bad);
            assertFalse(Files.exists(new VaultMarks(home).file()), bad);
        }
        // NFC: the same login password typed decomposed is still the login password
        String composed = "pässword of twelve";
        String decomposed = java.text.Normalizer.normalize(composed, java.text.Normalizer.Form.NFD);
        assertNotEquals(composed, decomposed);
        ShareStore nfc = new ShareStore(tmp.resolve("nfc"));
        nfc.save(WALLET, TestShares.p2(), composed.toCharArray());
        try (DeviceSecrets s = new DeviceSecrets(new Answers(composed, decomposed))) {
            assertThrows(WalletException.class, () -> vaults(tmp.resolve("nfc")).openVault(WALLET, s));
        }
    }

    /** Once the device has a share sealed with the wallet secret, a migration must use that same secret. */
    @Test
    void aSecondLegacyShareMigratesOnlyUnderTheDevicesWalletSecret() throws Exception {
        Path home = tmp.resolve("d");
        VaultSecrets v = vaults(home);
        v.saveNew(WALLET, TestShares.p2(), SECRET.toCharArray());
        v.store().save(OTHER, TestShares.p2(), LOGIN.toCharArray());
        byte[] before = v.store().envelope(OTHER);
        try (DeviceSecrets s = new DeviceSecrets(new Answers(LOGIN, "another long wallet secret"))) {
            WalletException e = assertThrows(WalletException.class, () -> v.openVault(OTHER, s));
            assertEquals("this is not the wallet secret of this device: it does not open the share of wallet " + WALLET
                    + ", which is sealed with the device's wallet secret; the share of wallet " + OTHER
                    + " was not re-sealed (nothing was written)", e.getMessage());
        }
        assertArrayEquals(before, v.store().envelope(OTHER));
        Answers a = new Answers(LOGIN, SECRET);
        try (DeviceSecrets s = new DeviceSecrets(a)) {
            v.openVault(OTHER, s);
        }
        assertEquals(0, a.walletConfirmed, "entered once, checked against the device's share");
        byte[] now = v.store().envelope(OTHER);
        assertTrue(ShareVault.open(SECRET.toCharArray(), now, OTHER, Party.P2).isOk());
    }

    /** The mark names the envelope (wallet id and salt), so it follows a .vault.next renamed over the .vault. */
    @Test
    void aMarkFollowsTheEnvelopeThroughARenameAndStaleMarksAreForgotten() throws Exception {
        Path home = tmp.resolve("d");
        VaultSecrets v = vaults(home);
        v.saveNew(WALLET, TestShares.p2(), SECRET.toCharArray());
        byte[] old = v.store().envelope(WALLET);
        v.saveNext(WALLET, TestShares.p2Refreshed(), SECRET.toCharArray());
        assertEquals("rw-------", mode(v.store().nextFile(WALLET)));
        assertEquals(2, v.marks().load().size());
        v.store().promoteNext(WALLET);
        assertTrue(v.isMarked(v.store().envelope(WALLET)));
        try (DeviceSecrets s = new DeviceSecrets(new Answers(null, SECRET))) {
            assertEquals(1, v.openVault(WALLET, s).epoch());
            assertNull(v.openNext(WALLET, s));
        }
        // the next mark written forgets the envelope no file holds any more
        v.saveNew(OTHER, TestShares.p2(), SECRET.toCharArray());
        assertFalse(v.marks().load().contains(VaultMarks.keyOf(old)));
        assertEquals(2, v.marks().load().size());
    }

    @Test
    void eachSecretIsAskedForOnceAndTheFirstSecretIsSetTwice() {
        Answers a = new Answers(LOGIN, SECRET);
        try (DeviceSecrets s = new DeviceSecrets(a)) {
            Path home = tmp.resolve("d");
            VaultSecrets v = vaults(home);
            char[] set = v.sealingSecret(s);
            assertEquals(SECRET, new String(set));
            assertEquals(1, a.walletConfirmed);
            v.saveNew(WALLET, TestShares.p2(), set);
            v.store().save(OTHER, TestShares.p2(), LOGIN.toCharArray());
            v.openVault(WALLET, s);
            v.openVault(OTHER, s);
            v.openVault(OTHER, s);
            assertEquals(1, a.walletAsked);
            assertEquals(1, a.loginAsked);
        }
    }

    @Test
    void aDamagedMetadataFileIsAClearErrorNeverOverwritten() throws Exception {
        Path home = tmp.resolve("d");
        ShareStore store = legacyDevice(home);
        Files.writeString(new VaultMarks(home).file(), "{\"format\":\"something else\"}");
        try (DeviceSecrets s = new DeviceSecrets(new Answers(LOGIN, SECRET))) {
            WalletException e = assertThrows(WalletException.class, () -> vaults(home).openVault(WALLET, s));
            assertTrue(e.getMessage().startsWith("the device metadata file " + new VaultMarks(home).file()
                    + " is damaged"), e.getMessage());
        }
        assertEquals("{\"format\":\"something else\"}", Files.readString(new VaultMarks(home).file()));
        assertTrue(opensWith(store.envelope(WALLET), LOGIN));
    }
}
