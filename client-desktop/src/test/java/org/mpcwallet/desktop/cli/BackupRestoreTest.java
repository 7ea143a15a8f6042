package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.testing.TestShares;

/** backup / restore through the CLI, in-process, with real vault envelopes. */
class BackupRestoreTest {
    private static final String W1 = "11111111-aaaa-4bbb-8ccc-000000000001";
    private static final String W2 = "22222222-aaaa-4bbb-8ccc-000000000002";

    @TempDir
    Path tmp;

    private Map<String, String> env(Path home, String password) {
        return Map.of("WALLET_HOME", home.toString(), "WALLET_PASSWORD", password);
    }

    @Test
    void roundTripRefusalsAndForce() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        ShareStore storeA = new ShareStore(a);
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

        // wrong password: refused, nothing written
        CliRun wrong = CliRun.run(env(b, "some other password"), "restore", bundle.toString());
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
        assertArrayEquals(TestShares.p2().encode(), storeB.open(W2, TestShares.PASSWORD.toCharArray()).encode());

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
        }
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
