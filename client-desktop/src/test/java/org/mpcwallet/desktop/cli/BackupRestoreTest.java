package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.core.VaultMarks;
import org.mpcwallet.desktop.testing.TestShares;

/**
 * backup / restore through the CLI, in-process, with real vault envelopes: a backup first re-seals the shares still
 * sealed with the login password, so the bundle holds only shares sealed with the wallet secret (and says so); a
 * restore opens every share by the same rule and re-seals a bundle's legacy share as it installs it.
 */
class BackupRestoreTest {
    private static final String W1 = "11111111-aaaa-4bbb-8ccc-000000000001";
    private static final String W2 = "22222222-aaaa-4bbb-8ccc-000000000002";
    private static final String SECRET = "the wallet secret of this test";

    @TempDir
    Path tmp;

    private Map<String, String> env(Path home, String password) {
        return env(home, password, SECRET);
    }

    private Map<String, String> env(Path home, String password, String walletSecret) {
        return Map.of("WALLET_HOME", home.toString(), "WALLET_PASSWORD", password, "WALLET_SECRET", walletSecret);
    }

    @Test
    void roundTripRefusalsAndForce() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        ShareStore storeA = new ShareStore(a);
        // two shares sealed with the login password, as the versions before the wallet secret did
        storeA.save(W1, TestShares.p2(), TestShares.PASSWORD.toCharArray());
        storeA.save(W2, TestShares.p2(), TestShares.PASSWORD.toCharArray());
        Path bundle = tmp.resolve("backup.json");

        CliRun backup = CliRun.run(env(a, TestShares.PASSWORD), "--json", "backup", bundle.toString());
        assertEquals(0, backup.code(), backup::toString);
        JsonNode out = Json.parse(backup.out(), "out");
        assertEquals(bundle.toString(), out.get("backup").asText());
        assertEquals(2, out.get("wallets").size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)));
        String text = Files.readString(bundle);
        assertTrue(text.contains("\"format\":\"mpcwallet-backup\""), text);
        // the backup re-sealed both with the wallet secret first, and said so
        assertTrue(backup.err().contains("the share of wallet " + W1 + " is now sealed with your wallet secret; your "
                + "login password no longer opens it. Make a new backup now; older backups are still sealed with "
                + "your login password"), backup.err());
        for (JsonNode w : Json.parse(text, "bundle").get("wallets")) {
            assertEquals("wallet-secret", w.get("sealedWith").asText(), text);
            byte[] envelope = Base64.getDecoder().decode(w.get("vault").asText());
            String id = w.get("walletId").asText();
            assertArrayEquals(storeA.envelope(id), envelope);
            assertFalse(ShareVault.open(TestShares.PASSWORD.toCharArray(), envelope, id, Party.P2).isOk());
            assertTrue(ShareVault.open(SECRET.toCharArray(), envelope, id, Party.P2).isOk());
        }

        // wrong wallet secret: refused, nothing written
        CliRun wrong = CliRun.run(env(b, TestShares.PASSWORD, "some other wallet secret"), "restore",
                bundle.toString());
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().startsWith("error: restore refused, nothing was written: cannot open the share of wallet "),
                wrong.err());
        assertFalse(Files.exists(b.resolve("wallets").resolve(W1 + ".vault")));
        assertFalse(Files.exists(b.resolve("wallets").resolve(W2 + ".vault")));

        // right password: both installed, openable, byte-identical envelopes
        CliRun ok = CliRun.run(env(b, TestShares.PASSWORD), "--json", "restore", bundle.toString());
        assertEquals(0, ok.code(), ok::toString);
        assertEquals("{\"restored\":[\"" + W1 + "\",\"" + W2 + "\"],\"unchanged\":[]}\n", ok.out());
        ShareStore storeB = new ShareStore(b);
        assertArrayEquals(storeA.envelope(W1), storeB.envelope(W1));
        assertArrayEquals(TestShares.p2().encode(), storeB.open(W2, SECRET.toCharArray()).encode());
        assertTrue(new VaultMarks(b).isMarked(storeB.envelope(W2)), "the bundle's marks came along");

        // again: identical shares are left alone
        CliRun again = CliRun.run(env(b, TestShares.PASSWORD), "--json", "restore", bundle.toString());
        assertEquals("{\"restored\":[],\"unchanged\":[\"" + W1 + "\",\"" + W2 + "\"]}\n", again.out());

        // a different share for W1 on the device (sealed under another password): refused unless --force
        Path c = tmp.resolve("c");
        ShareStore storeC = new ShareStore(c);
        storeC.save(W1, TestShares.p2(), "a different password entirely".toCharArray());
        byte[] before = storeC.envelope(W1);
        CliRun conflict = CliRun.run(env(c, TestShares.PASSWORD), "restore", bundle.toString());
        assertEquals(1, conflict.code());
        assertEquals("error: restore refused, nothing was written: wallet(s) " + W1
                + " already hold a different share (use --force to replace them)\n", conflict.err());
        assertArrayEquals(before, storeC.envelope(W1));
        assertFalse(storeC.exists(W2), "nothing written, not even the non-conflicting wallet");

        CliRun forced = CliRun.run(env(c, TestShares.PASSWORD), "restore", bundle.toString(), "--force");
        assertEquals(0, forced.code(), forced::toString);
        assertArrayEquals(storeA.envelope(W1), storeC.envelope(W1));
        assertTrue(storeC.exists(W2));

        for (CliRun r : new CliRun[] {backup, wrong, ok, again, conflict, forced}) {
            assertFalse(r.all().contains(TestShares.PASSWORD), r.toString());
            assertFalse(r.all().contains(SECRET), r.toString());
        }
    }

    /**
     * A bundle made before the wallet secret (entries without "sealedWith", sealed with the login password): restore
     * opens it with the login password and installs the share re-sealed with the wallet secret, saying so; an
     * existing identical share still sealed with the login password is re-sealed as well.
     */
    @Test
    void aBackupFromBeforeTheWalletSecretIsResealedAsItIsRestored() throws Exception {
        byte[] legacy1 = ShareVault.seal(TestShares.PASSWORD.toCharArray(), W1, Party.P2, TestShares.p2().encode(),
                new SecureRandom()::nextBytes);
        byte[] legacy2 = ShareVault.seal(TestShares.PASSWORD.toCharArray(), W2, Party.P2, TestShares.p2().encode(),
                new SecureRandom()::nextBytes);
        Path bundle = tmp.resolve("old-backup.json");
        Files.writeString(bundle, "{\"format\":\"mpcwallet-backup\",\"version\":1,\"createdAt\":\"2025-01-01T00:00:00Z\","
                + "\"wallets\":[{\"walletId\":\"" + W1 + "\",\"vault\":\"" + Base64.getEncoder().encodeToString(legacy1)
                + "\"},{\"walletId\":\"" + W2 + "\",\"vault\":\"" + Base64.getEncoder().encodeToString(legacy2)
                + "\"}]}");
        Path home = tmp.resolve("device");
        ShareStore store = new ShareStore(home);
        store.install(W2, legacy2, false); // the same share, still sealed with the login password

        // a wallet secret too short to be set: refused, nothing written
        CliRun tooShort = CliRun.run(env(home, TestShares.PASSWORD, "short"), "restore", bundle.toString());
        assertEquals("error: restore refused, nothing was written: the wallet secret must be at least 12 characters "
                + "long\n", tooShort.err());
        assertFalse(store.exists(W1));
        assertArrayEquals(legacy2, store.envelope(W2));

        CliRun ok = CliRun.run(env(home, TestShares.PASSWORD), "--json", "restore", bundle.toString());
        assertEquals(0, ok.code(), ok::toString);
        assertEquals("{\"restored\":[\"" + W1 + "\"],\"unchanged\":[\"" + W2 + "\"]}\n", ok.out());
        for (String id : new String[] {W1, W2}) {
            byte[] now = store.envelope(id);
            assertFalse(ShareVault.open(TestShares.PASSWORD.toCharArray(), now, id, Party.P2).isOk(), id);
            assertArrayEquals(TestShares.p2().encode(), store.open(id, SECRET.toCharArray()).encode());
            assertTrue(new VaultMarks(home).isMarked(now), id);
            assertTrue(ok.err().contains("the share of wallet " + id + " is still sealed with your login password"),
                    ok.err());
        }
        assertFalse(ok.all().contains(SECRET));
    }

    /** A bundle sealed with another wallet secret than the device's own shares is refused; nothing is written. */
    @Test
    void aBackupUnderAnotherWalletSecretThanTheDevicesIsRefused() throws Exception {
        Path a = tmp.resolve("a");
        new ShareStore(a).save(W1, TestShares.p2(), TestShares.PASSWORD.toCharArray());
        Path bundle = tmp.resolve("backup.json");
        assertEquals(0, CliRun.run(env(a, TestShares.PASSWORD, "the first device's secret"), "backup",
                bundle.toString()).code());
        Path b = tmp.resolve("b");
        new ShareStore(b).save(W2, TestShares.p2(), TestShares.PASSWORD.toCharArray());
        CliRun migrate = CliRun.run(env(b, TestShares.PASSWORD, "the second device's secret"), "backup",
                tmp.resolve("b.json").toString());
        assertEquals(0, migrate.code(), migrate::toString);

        CliRun r = CliRun.run(env(b, TestShares.PASSWORD, "the first device's secret"), "restore", bundle.toString());
        assertEquals(1, r.code());
        assertEquals("error: restore refused, nothing was written: this is not the wallet secret of this device: it "
                + "does not open the share of wallet " + W2 + ", which is sealed with the device's wallet secret\n",
                r.err());
        assertFalse(new ShareStore(b).exists(W1));
    }

    @Test
    void aFileThatIsNotABackupIsRefused() throws Exception {
        Path f = tmp.resolve("x.json");
        Files.writeString(f, "{\"format\":\"something\"}");
        CliRun r = CliRun.run(env(tmp.resolve("h"), TestShares.PASSWORD), "restore", f.toString());
        assertEquals(1, r.code());
        assertEquals("error: " + f + " is not a wallet backup\n", r.err());
    }
}
