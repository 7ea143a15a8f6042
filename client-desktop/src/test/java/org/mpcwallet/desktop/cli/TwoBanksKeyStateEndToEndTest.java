package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;

/**
 * Key state across two bank-server processes on one PostgreSQL (docs/protocol.md §6.4, checklist row 18): instance B
 * has the key of epoch 0 in memory (it co-signed with it); the key is refreshed through instance A; then, through B,
 * the device's new share signs at the first attempt (B reads the epoch from the database, not from its memory), and
 * the old share, restored from a backup, is refused before anything reaches the signer (STALE_SHARE); nothing locks.
 * And a lock written through A stops a SIGN session that was already open on B before it decrypts.
 */
class TwoBanksKeyStateEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "two banks key state correct horse";
    private static final String SECRET = Device.walletSecretFor(PASSWORD);
    private static final String ADMIN_PASSWORD = "two banks admin password 0123";
    private static final String TO = "0x3535353535353535353535353535353535353535";

    @TempDir
    static Path work;
    private static BankProcesses a;
    private static BankProcesses b;
    private static String adminToken;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        a = BankProcesses.start(work.resolve("a"), false);
        b = a.secondInstance(work.resolve("b"));
        String out = a.createAdmin("root", ADMIN_PASSWORD);
        assertTrue(out.contains("created ADMIN root"), out);
        adminToken = JSON.readTree(send(a, "POST", "/v1/auth/login", null,
                "{\"username\":\"root\",\"password\":\"" + ADMIN_PASSWORD + "\"}", 200)).get("access_token").asText();
    }

    @AfterAll
    static void stopInstances() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void aRefreshThroughOneInstanceIsSeenByTheOtherBeforeItDecrypts() throws Exception {
        {
            Path home = work.resolve("wallet-home");
            Map<String, String> env = env();
            String user = "tb" + UUID.randomUUID().toString().substring(0, 8);
            cli(a, env, home, "register", user);
            JsonNode created = cli(a, env, home, "create", "two-banks");
            String walletId = created.get("wallet").asText();
            String address = created.get("address").asText();

            // instance B co-signs with epoch 0: its signer now holds the key in memory
            cli(b, env, home, "login", user);
            JsonNode first = cli(b, env, home, "sign", requestSign(b, env, home, walletId, 0), "--yes");
            assertEquals(address.toLowerCase(), from(first));
            Path oldBackup = work.resolve("before-refresh.json");
            cli(b, env, home, "backup", oldBackup.toString());

            // the key is refreshed through instance A
            cli(a, env, home, "login", user);
            send(a, "POST", "/v1/admin/wallets/" + walletId + "/refresh", adminToken,
                    "{\"reason\":\"scheduled share rotation (test)\"}", 201);
            assertEquals(1, cli(a, env, home, "refresh", walletId).get("epoch").asInt());

            // through B, the new share signs at the first attempt
            cli(b, env, home, "login", user);
            JsonNode second = cli(b, env, home, "sign", requestSign(b, env, home, walletId, 1), "--yes");
            assertEquals(address.toLowerCase(), from(second));

            // the old share, restored from the backup, is refused through B before the signer sees anything
            cli(b, env, home, "restore", oldBackup.toString(), "--force");
            assertEquals(0, new ShareStore(home).open(walletId, SECRET.toCharArray()).epoch());
            String requestId = requestSign(b, env, home, walletId, 2);
            CliRun stale = CliRun.run(env, "--server", b.url(), "--data-dir", home.toString(), "--json", "sign",
                    requestId, "--yes");
            assertEquals(1, stale.code(), stale::toString);
            JsonNode error = JSON.readTree(stale.err().lines().reduce((x, y) -> y).orElseThrow());
            assertEquals("STALE_SHARE", error.get("code").asText(), stale.err());
            String token = JSON.readTree(Files.readString(home.resolve("session.json"))).get("accessToken").asText();
            JsonNode mpc = JSON.readTree(send(b, "GET", "/v1/wallets/" + walletId + "/mpc", token, null, 200));
            assertFalse(mpc.get("locked").asBoolean(), mpc.toString());
            assertEquals(1, mpc.path("epoch").asInt(-1), mpc.toString());
            assertEquals("PENDING", JSON.readTree(send(b, "GET", "/v1/sign-requests/" + requestId, token, null, 200))
                    .get("status").asText());
            assertFalse(stale.all().contains(PASSWORD));
            assertFalse(stale.all().contains(SECRET));
        }
    }

    /**
     * Issue 9: a SIGN session is open on B (rounds 1-3 done, the device's last message held back); the key locks
     * through A (a decryption interrupted there: the marker a crash leaves behind, aged past the threshold, locks the
     * key at A's next signature); then the device's last message reaches B: B reads the lock from the database and
     * refuses before it decrypts, nothing is signed and B wrote no decryption marker.
     */
    @Test
    void aLockThroughOneInstanceStopsASessionAlreadyOpenOnTheOther() throws Exception {
        Path home = work.resolve("lock-home");
        Map<String, String> env = env();
        String user = "tl" + UUID.randomUUID().toString().substring(0, 8);
        cli(a, env, home, "register", user);
        String walletId = cli(a, env, home, "create", "lock-across").get("wallet").asText();
        cli(b, env, home, "login", user);
        String held = requestSign(b, env, home, walletId, 0);
        org.mpcwallet.crypto.protocol.P2KeyShare share = new ShareStore(home).open(walletId, SECRET.toCharArray());
        String token = JSON.readTree(Files.readString(home.resolve("session.json"))).get("accessToken").asText();
        org.mpcwallet.desktop.core.BankApi api = new org.mpcwallet.desktop.core.BankApi(b.url(),
                new org.mpcwallet.desktop.core.BankApi.Tokens(token, null), t -> {});
        org.mpcwallet.desktop.core.SigningCheck.Checked checked = org.mpcwallet.desktop.core.SigningCheck.check(
                api.getSignRequest(held));
        String keysetId = scalar("select keyset_id from wallets where id = '" + walletId + "'::uuid");

        try (SteppedDevice device = SteppedDevice.connect(b.url(), token)) {
            device.start(new org.mpcwallet.crypto.device.SignDriver(held, checked.tx(), share,
                    org.mpcwallet.crypto.protocol.Env.jvm(new java.security.SecureRandom()::nextBytes)));
            device.runUntilHeld(2); // the session is open on B; its last message (round 4) is held back

            sql("insert into signer_decryption (keyset_id, session_id, started_at) values ('" + keysetId
                    + "', 'crashed-on-a', now() - interval '1 minute')");
            cli(a, env, home, "login", user);
            String throughA = requestSign(a, env, home, walletId, 1);
            CliRun locked = CliRun.run(env, "--server", a.url(), "--data-dir", home.toString(), "--json", "sign",
                    throughA, "--yes");
            assertEquals(1, locked.code(), locked::toString);
            assertTrue(locked.err().contains("KEY_LOCKED"), locked.err());
            assertEquals("1", scalar("select count(*) from keyset_lock where keyset_id = '" + keysetId + "'"));
            sql("delete from signer_decryption where keyset_id = '" + keysetId + "' and session_id = 'crashed-on-a'");

            String outcome = device.releaseHeldAndFinish();
            assertTrue(outcome.contains("KEY_LOCKED"), outcome);
        }
        assertEquals("0", scalar("select count(*) from signer_decryption where keyset_id = '" + keysetId + "'"),
                "B wrote no decryption marker: it refused before decrypting");
        JsonNode request = JSON.readTree(send(b, "GET", "/v1/sign-requests/" + held, token, null, 200));
        assertEquals("FAILED", request.get("status").asText(), request.toString());
        assertTrue(request.toString().contains("KEY_LOCKED"), request.toString());
    }

    private static void sql(String statement) throws Exception {
        try (java.sql.Connection c = a.db();
                java.sql.Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String scalar(String query) throws Exception {
        try (java.sql.Connection c = a.db();
                java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String from(JsonNode signed) throws java.security.SignatureException {
        SignedRawTransaction tx = (SignedRawTransaction) TransactionDecoder.decode(
                signed.get("rawTransaction").asText());
        return tx.getFrom().toLowerCase();
    }

    private static Map<String, String> env() {
        return Device.secrets(PASSWORD);
    }

    private static JsonNode cli(BankProcesses bank, Map<String, String> env, Path home, String... args) {
        return Device.json(bank.url(), home, env, PASSWORD, bank::logs, args);
    }

    private static String requestSign(BankProcesses bank, Map<String, String> env, Path home, String walletId,
            int nonce) {
        return cli(bank, env, home, "request-sign", walletId, "--to", TO, "--value-wei", "1000000000000000",
                "--nonce", Integer.toString(nonce), "--gas-limit", "21000", "--max-fee", "2000000000",
                "--priority-fee", "1000000000", "--chain-id", "31337").get("request").asText();
    }

    private static String send(BankProcesses bank, String method, String path, String token, String body,
            int expected) throws Exception {
        return org.mpcwallet.desktop.testing.BankHttp.send(bank.url(), method, path, token, body, expected);
    }
}
