package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.device.VaultUnlock;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailureKind;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.core.VaultMarks;
import org.mpcwallet.desktop.testing.BankHttp;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.RecordingRelay;

/**
 * The wallet secret against the real bank (bank-server's jar on its embedded PostgreSQL, signer in-process), every
 * call of the command-line wallet going through a {@link RecordingRelay} that records what reaches the bank:
 *
 * <ul>
 *   <li>a wallet whose vault is in the state the versions before the wallet secret left it (sealed with the login
 *       password, no mark) migrates on its first unlock (a {@code sign}, which the CLI says once, plainly) and then
 *       opens only with the wallet secret: the login password no longer opens the file's bytes;</li>
 *   <li>a wrong wallet secret when signing is a clear error: the sign request stays PENDING, the vault file and the
 *       marks are byte-identical, and the right secret then signs;</li>
 *   <li>a crash between the re-sealed file's rename and its mark (the file without its mark) still unlocks;</li>
 *   <li>a wallet secret being set that is too short or is the login password is refused before the bank is asked
 *       for anything;</li>
 *   <li>in each, the wallet secret never reaches the bank: not in any request (HTTP bodies and headers, WebSocket
 *       frames unmasked), in particular not in the login request's body, which does carry the login password (the
 *       check's own proof that it sees what was sent), and not in the bank process's output.</li>
 * </ul>
 */
class WalletSecretEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "wallet secret e2e login password";
    private static final String SECRET = Device.walletSecretFor(PASSWORD);
    private static final String WRONG_SECRET = "not this device's wallet secret";
    private static final String TO = "0x3535353535353535353535353535353535353535";

    @TempDir
    static Path work;
    private static BankProcesses bank;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBank() throws Exception {
        bank = BankProcesses.start(work, false);
    }

    @AfterAll
    static void stopBank() {
        if (bank != null) {
            bank.close();
        }
    }

    @Test
    void aLegacyVaultMigratesOnItsFirstUnlockAndThenOpensOnlyWithTheWalletSecret() throws Exception {
        try (RecordingRelay relay = relay()) {
            Path home = tmp.resolve("wallet-home");
            Map<String, String> env = env(home, PASSWORD, SECRET);
            cli(relay, env, home, "register", user());
            String walletId = cli(relay, env, home, "create", "legacy").get("wallet").asText();

            // the legacy state: the share sealed with the login password as the versions before the wallet secret
            // did, and no device metadata (those versions had none)
            ShareStore store = new ShareStore(home);
            Path vault = store.file(walletId);
            P2KeyShare share = store.open(walletId, SECRET.toCharArray());
            byte[] legacy = ShareVault.seal(PASSWORD.toCharArray(), walletId, Party.P2, share.encode(),
                    new SecureRandom()::nextBytes);
            Files.write(vault, legacy);
            Files.delete(new VaultMarks(home).file());
            assertTrue(ShareVault.open(PASSWORD.toCharArray(), Files.readAllBytes(vault), walletId, Party.P2)
                    .isOk());

            String requestId = requestSign(relay, env, home, walletId, 0);
            CliRun first = CliRun.run(env, "--server", relay.url(), "--data-dir", home.toString(), "sign",
                    requestId, "--yes");
            assertEquals(0, first.code(), () -> first + bank.logs());
            assertEquals(1, count(first.err(), VaultUnlock.migrating(walletId)), first.err());
            assertEquals(1, count(first.err(), VaultUnlock.migrated(walletId)), first.err());
            assertTrue(first.err().contains("Make a new backup now; older backups are still sealed with your login "
                    + "password"), first.err());
            assertTrue(first.out().contains("signed (signature verified under the wallet's key)"), first.out());
            assertEquals("SIGNED", signRequest(relay, home, requestId).get("status").asText());

            // the file now opens only with the wallet secret: checked on its bytes with the vault itself
            byte[] migrated = Files.readAllBytes(vault);
            assertEquals(VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED,
                    ShareVault.open(PASSWORD.toCharArray(), migrated, walletId, Party.P2).failure().kind());
            assertArrayEquals(share.encode(),
                    P2KeyShare.decodeFromVault(ShareVault.open(SECRET.toCharArray(), migrated, walletId, Party.P2)
                            .value()).encode());
            assertTrue(new VaultMarks(home).isMarked(migrated));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(vault)));

            // from now on the login password is not needed to sign, and nothing more is said about it
            Map<String, String> secretOnly = new HashMap<>(env);
            secretOnly.remove("WALLET_PASSWORD");
            String second = requestSign(relay, env, home, walletId, 1);
            CliRun again = CliRun.run(secretOnly, "--server", relay.url(), "--data-dir", home.toString(), "sign",
                    second, "--yes");
            assertEquals(0, again.code(), again::toString);
            assertFalse(again.err().contains("login password"), again.err());
            assertArrayEquals(migrated, Files.readAllBytes(vault));

            // with the login password but a wrong wallet secret, the migrated file does not open
            String third = requestSign(relay, env, home, walletId, 2);
            CliRun wrong = CliRun.run(env(home, PASSWORD, WRONG_SECRET), "--server", relay.url(), "--data-dir",
                    home.toString(), "sign", third, "--yes");
            assertEquals("error: cannot open the share of wallet " + walletId + ": wrong wallet secret, or the vault "
                    + "file was modified\n", wrong.err());

            transcript("migration", walletId, requestId, first);
            for (CliRun r : List.of(first, again, wrong)) {
                assertNoSecretIn(r.all());
            }
            assertTheWalletSecretNeverReachedTheBank(relay);
        }
    }

    @Test
    void aWrongWalletSecretWhenSigningIsAClearErrorAndNothingChanges() throws Exception {
        try (RecordingRelay relay = relay()) {
            Path home = tmp.resolve("wallet-home");
            Map<String, String> env = env(home, PASSWORD, SECRET);
            cli(relay, env, home, "register", user());
            String walletId = cli(relay, env, home, "create", "wrong-secret").get("wallet").asText();
            String requestId = requestSign(relay, env, home, walletId, 0);
            Path vault = new ShareStore(home).file(walletId);
            byte[] before = Files.readAllBytes(vault);
            FileTime mtime = Files.getLastModifiedTime(vault);
            byte[] marks = Files.readAllBytes(new VaultMarks(home).file());

            CliRun wrong = CliRun.run(env(home, PASSWORD, WRONG_SECRET), "--server", relay.url(), "--data-dir",
                    home.toString(), "sign", requestId, "--yes");
            assertEquals(1, wrong.code(), wrong::toString);
            assertEquals("error: cannot open the share of wallet " + walletId + ": wrong wallet secret, or the vault "
                    + "file was modified\n", wrong.err());
            assertEquals("PENDING", signRequest(relay, home, requestId).get("status").asText());
            assertArrayEquals(before, Files.readAllBytes(vault));
            assertEquals(mtime, Files.getLastModifiedTime(vault));
            assertArrayEquals(marks, Files.readAllBytes(new VaultMarks(home).file()));
            CliRun json = CliRun.run(env(home, PASSWORD, WRONG_SECRET), "--server", relay.url(), "--data-dir",
                    home.toString(), "--json", "sign", requestId, "--yes");
            assertEquals("cannot open the share of wallet " + walletId + ": wrong wallet secret, or the vault file "
                    + "was modified", JSON.readTree(json.err().lines().reduce((a, b) -> b).orElseThrow())
                    .get("error").asText());

            // the request can still be co-signed, with the right secret
            JsonNode signed = cli(relay, env, home, "sign", requestId, "--yes");
            assertEquals(requestId, signed.get("request").asText());
            assertEquals("SIGNED", signRequest(relay, home, requestId).get("status").asText());

            transcript("wrong-wallet-secret", walletId, requestId, wrong);
            assertNoSecretIn(wrong.all() + json.all());
            assertTheWalletSecretNeverReachedTheBank(relay);
        }
    }

    /** The re-sealed file is in place but its mark is not (a crash in between, or a file copied without it). */
    @Test
    void aVaultWithoutItsMarkStillUnlocks() throws Exception {
        try (RecordingRelay relay = relay()) {
            Path home = tmp.resolve("wallet-home");
            Map<String, String> env = env(home, PASSWORD, SECRET);
            cli(relay, env, home, "register", user());
            String walletId = cli(relay, env, home, "create", "no-mark").get("wallet").asText();
            Path vault = new ShareStore(home).file(walletId);
            byte[] sealed = Files.readAllBytes(vault);
            Files.delete(new VaultMarks(home).file());

            String requestId = requestSign(relay, env, home, walletId, 0);
            CliRun r = CliRun.run(env, "--server", relay.url(), "--data-dir", home.toString(), "sign", requestId,
                    "--yes");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.err().contains(VaultUnlock.markRestored(walletId)), r.err());
            assertFalse(r.err().contains(VaultUnlock.migrating(walletId)), r.err());
            assertArrayEquals(sealed, Files.readAllBytes(vault), "opened as it was, not re-sealed");
            assertTrue(new VaultMarks(home).isMarked(sealed));
            assertEquals("SIGNED", signRequest(relay, home, requestId).get("status").asText());
            assertNoSecretIn(r.all());
            assertTheWalletSecretNeverReachedTheBank(relay);
        }
    }

    /** The first wallet of a device sets the wallet secret: too short, or the login password, is refused first. */
    @Test
    void aWalletSecretTooShortOrEqualToTheLoginPasswordIsRefusedBeforeTheBankIsAsked() throws Exception {
        try (RecordingRelay relay = relay()) {
            Path home = tmp.resolve("wallet-home");
            cli(relay, env(home, PASSWORD, SECRET), home, "register", user());
            CliRun shortOne = CliRun.run(env(home, PASSWORD, "11 chars ok"), "--server", relay.url(), "--data-dir",
                    home.toString(), "create", "first");
            assertEquals(1, shortOne.code());
            assertEquals("error: the wallet secret must be at least 12 characters long; nothing was sent to the bank "
                    + "or written\n", shortOne.err());
            CliRun same = CliRun.run(env(home, PASSWORD, PASSWORD), "--server", relay.url(), "--data-dir",
                    home.toString(), "create", "first");
            assertEquals("error: the wallet secret must not be your login password (the bank receives that one at "
                    + "every login); nothing was sent to the bank or written\n", same.err());
            assertEquals(0, cli(relay, env(home, PASSWORD, SECRET), home, "list").get("wallets").size(),
                    "no wallet was created at the bank");
            assertFalse(Files.exists(new VaultMarks(home).file()));
            assertFalse(same.all().contains(PASSWORD));
            assertTheWalletSecretNeverReachedTheBank(relay, false);
        }
    }

    // ---- helpers

    private static RecordingRelay relay() throws Exception {
        return new RecordingRelay(URI.create(bank.url()).getPort());
    }

    private static Map<String, String> env(Path home, String password, String walletSecret) {
        Map<String, String> env = new HashMap<>();
        env.put("WALLET_PASSWORD", password);
        env.put("WALLET_SECRET", walletSecret);
        env.put("HOME", home.toString());
        return env;
    }

    private static String user() {
        return "ws" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode cli(RecordingRelay relay, Map<String, String> env, Path home, String... args) {
        return Device.json(relay.url(), home, env, PASSWORD, bank::logs, args);
    }

    private static String requestSign(RecordingRelay relay, Map<String, String> env, Path home, String walletId,
            int nonce) {
        return cli(relay, env, home, "request-sign", walletId, "--to", TO, "--value-wei", "1000000000000000",
                "--nonce", Integer.toString(nonce), "--gas-limit", "21000", "--max-fee", "2000000000",
                "--priority-fee", "1000000000", "--chain-id", "31337").get("request").asText();
    }

    private static JsonNode signRequest(RecordingRelay relay, Path home, String requestId) throws Exception {
        String token = JSON.readTree(Files.readString(home.resolve("session.json"))).get("accessToken").asText();
        return JSON.readTree(BankHttp.send(bank.url(), "GET", "/v1/sign-requests/" + requestId, token, null, 200));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static void assertNoSecretIn(String printed) {
        for (String s : List.of(PASSWORD, SECRET, WRONG_SECRET)) {
            assertFalse(printed.contains(s), "a secret was printed");
        }
    }

    /**
     * What reached the bank through the relay holds the login password in the login request's body (so the check
     * sees what was sent), the device's protocol frames (so it sees the WebSocket too) and never a wallet secret;
     * neither is in the bank process's output.
     */
    private static void assertTheWalletSecretNeverReachedTheBank(RecordingRelay relay) throws Exception {
        assertTheWalletSecretNeverReachedTheBank(relay, true);
    }

    private static void assertTheWalletSecretNeverReachedTheBank(RecordingRelay relay, boolean channelUsed)
            throws Exception {
        List<String> sent = relay.sent();
        String all = String.join("\n", sent);
        boolean loginWithPassword = false;
        for (String connection : sent) {
            for (String request : connection.split("(?=POST /v1/auth/login )")) {
                if (request.startsWith("POST /v1/auth/login ")) {
                    assertFalse(request.contains(SECRET), "a login request carries the wallet secret");
                    loginWithPassword |= request.contains(PASSWORD);
                }
            }
        }
        assertTrue(loginWithPassword, "a login request through the relay carries the login password in its body");
        if (channelUsed) {
            assertTrue(all.contains("\"type\":\"keygen\"") && all.contains("\"type\":\"msg\""),
                    "the device's channel frames went through the relay, readable");
        }
        for (String s : List.of(SECRET, WRONG_SECRET)) {
            assertFalse(all.contains(s), "a wallet secret reached the bank");
        }
        String bankOutput = Files.readString(work.resolve("bank.log"), StandardCharsets.UTF_8);
        assertFalse(bankOutput.isEmpty());
        for (String s : List.of(SECRET, WRONG_SECRET, PASSWORD)) {
            assertFalse(bankOutput.contains(s), "a secret in the bank's output");
        }
    }

    /** The CLI's output of a run, for docs/client-desktop.md and the report (nothing secret in it: checked). */
    private static void transcript(String name, String walletId, String requestId, CliRun r) throws Exception {
        assertNoSecretIn(r.all());
        Path dir = Path.of("target", "transcripts");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".txt"), "wallet " + walletId + ", sign request " + requestId
                + "\n---- stdout\n" + r.out() + "---- stderr\n" + r.err());
    }
}
