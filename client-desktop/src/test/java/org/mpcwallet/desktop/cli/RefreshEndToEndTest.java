package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;

/**
 * Key refresh from the command line against the real bank (bank-server's jar on its embedded PostgreSQL, signer
 * in-process): an ADMIN (made with the jar's documented {@code create-admin} command) authorizes the refresh over
 * REST, {@code wallet refresh} runs it, the vault then holds epoch 1 of the same key and co-signing works; a share
 * restored from a backup taken before the refresh is refused with STALE_SHARE and the key stays unlocked; a
 * {@code .vault.next} left by a refresh that completed at the bank is adopted by the next {@code sign}.
 */
class RefreshEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "refresh e2e correct horse battery";
    private static final String SECRET = Device.walletSecretFor(PASSWORD);
    private static final String ADMIN_PASSWORD = "refresh e2e admin password 0123";
    private static final String TO = "0x3535353535353535353535353535353535353535";

    @TempDir
    static Path work;
    private static BankProcesses bank;
    private static String adminToken;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBank() throws Exception {
        bank = BankProcesses.start(work, false);
        String out = bank.createAdmin("root", ADMIN_PASSWORD);
        assertTrue(out.contains("created ADMIN root"), out);
        assertFalse(out.contains(ADMIN_PASSWORD));
        JsonNode login = JSON.readTree(send("POST", "/v1/auth/login", null,
                "{\"username\":\"root\",\"password\":\"" + ADMIN_PASSWORD + "\"}", 200));
        adminToken = login.get("access_token").asText();
    }

    @AfterAll
    static void stopBank() {
        if (bank != null) {
            bank.close();
        }
    }

    @Test
    void anAuthorizedRefreshKeepsTheAddressAndTheNewShareSigns() throws Exception {
        Path home = tmp.resolve("wallet-home");
        Map<String, String> env = env();
        cli(env, home, "register", user());
        JsonNode created = cli(env, home, "create", "savings");
        String walletId = created.get("wallet").asText();
        String address = created.get("address").asText();
        String publicKey = created.get("publicKey").asText();
        String token = accessToken(home);

        // without an authorization the bank refuses, and the device's files stay as they were
        byte[] vaultBefore = Files.readAllBytes(new ShareStore(home).file(walletId));
        CliRun refused = CliRun.run(env, "--server", bank.url(), "--data-dir", home.toString(), "--json", "refresh",
                walletId);
        assertEquals(1, refused.code());
        JsonNode error = JSON.readTree(refused.err());
        assertEquals("NOT_AUTHORIZED", error.get("code").asText());
        assertTrue(error.get("error").asText().contains("authorize"), refused.err());
        assertTrue(java.util.Arrays.equals(vaultBefore, Files.readAllBytes(new ShareStore(home).file(walletId))));
        assertFalse(new ShareStore(home).hasNext(walletId));

        authorizeRefresh(walletId);
        // one open authorization per wallet (issue 10 §7): a second one while the first is unused is refused
        send("POST", "/v1/admin/wallets/" + walletId + "/refresh", adminToken, "{\"reason\":\"again\"}", 409);
        JsonNode refreshed = cli(env, home, "refresh", walletId);
        assertEquals(walletId, refreshed.get("wallet").asText());
        assertEquals(1, refreshed.get("epoch").asInt());
        assertEquals(publicKey, refreshed.get("publicKey").asText());

        // the vault now holds epoch 1 of the same key; no .next left; owner-only
        ShareStore store = new ShareStore(home);
        P2KeyShare share = store.open(walletId, SECRET.toCharArray());
        assertEquals(1, share.epoch());
        assertEquals(address, EthAddress.fromPublicKey(share.publicKey().encodeUncompressed()).toChecksumHex());
        assertEquals(publicKey, Bytes.toHex(share.publicKey().encodeUncompressed()));
        assertFalse(store.hasNext(walletId));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file(walletId))));
        JsonNode mpc = get("/v1/wallets/" + walletId + "/mpc", token);
        assertEquals(1, mpc.path("epoch").asInt(-1), mpc.toString());
        assertFalse(mpc.get("locked").asBoolean());
        assertEquals(address, get("/v1/wallets/" + walletId, token).get("address").asText());

        // the authorization was used up
        CliRun second = CliRun.run(env, "--server", bank.url(), "--data-dir", home.toString(), "--json", "refresh",
                walletId);
        assertEquals("NOT_AUTHORIZED", JSON.readTree(second.err()).get("code").asText());

        String requestId = requestSign(env, home, walletId);
        JsonNode signed = cli(env, home, "sign", requestId, "--yes");
        SignedRawTransaction tx = (SignedRawTransaction) TransactionDecoder.decode(
                signed.get("rawTransaction").asText());
        assertEquals(address.toLowerCase(), tx.getFrom().toLowerCase(), "web3j recovers the wallet's address");
        assertEquals("SIGNED", get("/v1/sign-requests/" + requestId, token).get("status").asText());
    }

    @Test
    void aShareFromBeforeTheRefreshIsRefusedAsStaleAndTheKeyStaysUnlocked() throws Exception {
        Path home = tmp.resolve("wallet-home");
        Map<String, String> env = env();
        cli(env, home, "register", user());
        JsonNode created = cli(env, home, "create", "savings");
        String walletId = created.get("wallet").asText();
        String address = created.get("address").asText();
        String token = accessToken(home);
        Path oldBackup = tmp.resolve("before-refresh.json");
        cli(env, home, "backup", oldBackup.toString());

        authorizeRefresh(walletId);
        assertEquals(1, cli(env, home, "refresh", walletId).get("epoch").asInt());
        ShareStore store = new ShareStore(home);
        byte[] current = Files.readAllBytes(store.file(walletId));

        // the user restores the old backup over the refreshed share
        cli(env, home, "restore", oldBackup.toString(), "--force");
        assertEquals(0, store.open(walletId, SECRET.toCharArray()).epoch());
        String requestId = requestSign(env, home, walletId);
        CliRun stale = CliRun.run(env, "--server", bank.url(), "--data-dir", home.toString(), "--json", "sign",
                requestId, "--yes");
        assertEquals(1, stale.code(), stale::toString);
        JsonNode error = JSON.readTree(stale.err().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals("STALE_SHARE", error.get("code").asText(), stale.err());
        assertTrue(error.get("error").asText().contains("epoch 0"), stale.err());
        assertFalse(stale.all().contains(PASSWORD));
        assertFalse(stale.all().contains(SECRET));

        // nothing ran at the signer: the key is not locked and the request can still be co-signed
        JsonNode mpc = get("/v1/wallets/" + walletId + "/mpc", token);
        assertFalse(mpc.get("locked").asBoolean(), mpc.toString());
        assertEquals(1, mpc.path("epoch").asInt(-1), mpc.toString());
        assertEquals("PENDING", get("/v1/sign-requests/" + requestId, token).get("status").asText());

        // recovery as after a crash between the bank's `done` and the rename: the refreshed share is only in
        // <id>.vault.next; the next sign asks the bank, adopts it (rename over .vault) and signs
        Files.write(store.nextFile(walletId), current);
        Files.setPosixFilePermissions(store.nextFile(walletId), PosixFilePermissions.fromString("rw-------"));
        JsonNode signed = cli(env, home, "sign", requestId, "--yes");
        SignedRawTransaction tx = (SignedRawTransaction) TransactionDecoder.decode(
                signed.get("rawTransaction").asText());
        assertEquals(address.toLowerCase(), tx.getFrom().toLowerCase());
        assertFalse(store.hasNext(walletId));
        assertEquals(1, store.open(walletId, SECRET.toCharArray()).epoch());
        assertFalse(get("/v1/wallets/" + walletId + "/mpc", token).get("locked").asBoolean());
    }

    // ---- helpers

    private static Map<String, String> env() {
        Map<String, String> env = Device.secrets(PASSWORD);
        env.put("HOME", work.toString());
        return env;
    }

    private static String user() {
        return "rf" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String requestSign(Map<String, String> env, Path home, String walletId) throws Exception {
        return cli(env, home, "request-sign", walletId, "--to", TO, "--value-wei", "1000000000000000", "--nonce", "0",
                "--gas-limit", "21000", "--max-fee", "2000000000", "--priority-fee", "1000000000", "--chain-id",
                "31337").get("request").asText();
    }

    private static void authorizeRefresh(String walletId) throws Exception {
        JsonNode a = JSON.readTree(send("POST", "/v1/admin/wallets/" + walletId + "/refresh", adminToken,
                "{\"reason\":\"scheduled share rotation (test)\"}", 201));
        assertEquals(walletId, a.get("walletId").asText());
    }

    private static String accessToken(Path home) throws Exception {
        return JSON.readTree(Files.readString(home.resolve("session.json"))).get("accessToken").asText();
    }

    private static JsonNode cli(Map<String, String> env, Path home, String... args) {
        return Device.json(bank.url(), home, env, PASSWORD, bank::logs, args);
    }

    private static JsonNode get(String path, String token) throws Exception {
        return JSON.readTree(send("GET", path, token, null, 200));
    }

    private static String send(String method, String path, String token, String body, int expected)
            throws Exception {
        return org.mpcwallet.desktop.testing.BankHttp.send(bank.url(), method, path, token, body, expected);
    }
}
