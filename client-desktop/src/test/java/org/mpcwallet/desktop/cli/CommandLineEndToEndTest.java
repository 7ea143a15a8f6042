package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;

/**
 * Issue 3's end-to-end test: the real bank (bank-server's jar as its own process on its embedded PostgreSQL), the
 * signer in-process or as a separate bank-signer process over mutual TLS, and the command-line wallet as the user's
 * party: register, create (keygen over the WebSocket), a sign request, co-sign from the command line. The signed
 * transaction is decoded by web3j, which recovers the wallet's address.
 */
class CommandLineEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "e2e correct horse battery staple";
    private static final String TO = "0x3535353535353535353535353535353535353535";

    @TempDir
    Path work;

    @ParameterizedTest(name = "signer {0}")
    @ValueSource(strings = {"in-process", "remote"})
    void keygenAndSignFromTheCommandLine(String mode) throws Exception {
        try (BankProcesses bank = BankProcesses.start(work, mode.equals("remote"))) {
            Path home = work.resolve("wallet-home");
            Map<String, String> env = Device.secrets(PASSWORD);
            env.put("HOME", work.toString());
            String user = "e2e" + UUID.randomUUID().toString().substring(0, 8);

            JsonNode reg = cli(bank, env, home, "register", user);
            assertEquals(user, reg.get("username").asText());

            JsonNode created = cli(bank, env, home, "create", "savings");
            String walletId = created.get("wallet").asText();
            String address = created.get("address").asText();
            assertTrue(address.matches("0x[0-9a-fA-F]{40}"), address);

            // the bank agrees: ACTIVE with the same address
            String token = JSON.readTree(Files.readString(home.resolve("session.json"))).get("accessToken").asText();
            JsonNode wallet = get(bank, "/v1/wallets/" + walletId, token);
            assertEquals("ACTIVE", wallet.get("status").asText());
            assertEquals(address, wallet.get("address").asText());

            // the user's share is on disk, owner-only, and is not the plaintext share
            Path vault = Path.of(created.get("vault").asText());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(vault)));

            JsonNode req = cli(bank, env, home, "request-sign", walletId, "--to", TO, "--value-wei",
                    "1000000000000000", "--nonce", "0", "--gas-limit", "21000", "--max-fee", "2000000000",
                    "--priority-fee", "1000000000", "--chain-id", "31337");
            String requestId = req.get("request").asText();
            JsonNode pending = cli(bank, env, home, "requests", walletId);
            assertEquals(requestId, pending.get("requests").get(0).get("id").asText());

            JsonNode signed = cli(bank, env, home, "sign", requestId, "--yes");
            String raw = signed.get("rawTransaction").asText();
            SignedRawTransaction tx = (SignedRawTransaction) TransactionDecoder.decode(raw);
            assertEquals(address.toLowerCase(), tx.getFrom().toLowerCase(), "web3j recovers the 2PC wallet's address");
            assertEquals(TO, tx.getTo().toLowerCase());
            assertEquals(new BigInteger("1000000000000000"), tx.getValue());
            assertEquals(31337L, ((org.web3j.crypto.transaction.type.Transaction1559) tx.getTransaction())
                    .getChainId());

            JsonNode after = get(bank, "/v1/sign-requests/" + requestId, token);
            assertEquals("SIGNED", after.get("status").asText());
            assertEquals(raw, after.get("rawTransaction").asText());
            assertEquals(signed.get("txHash").asText(), after.get("txHash").asText());

            // a second co-signature of the same request is refused with a clear error
            CliRun again = CliRun.run(env, "--server", bank.url(), "--data-dir", home.toString(), "sign", requestId,
                    "--yes");
            assertEquals(1, again.code());
            assertFalse(again.all().contains(PASSWORD));
            assertFalse(again.all().contains(Device.walletSecretFor(PASSWORD)));

            // a customer may not read the audit verification (ADMIN/COMPLIANCE only)
            assertEquals(403, status(bank, "/v1/audit/verify", token));

            if (mode.equals("in-process")) {
                // issue 10 §7: a share sealed by a keygen the bank reports FAILED (here: the bank's row says so, as it
                // does after a keygen killed once the device had sealed) is set aside, not listed as usable
                String doomed = cli(bank, env, home, "create", "doomed").get("wallet").asText();
                try (java.sql.Connection c = bank.db(); java.sql.PreparedStatement ps = c.prepareStatement(
                        "update wallets set status = 'FAILED', public_key = null, address = null where id = ?")) {
                    ps.setObject(1, UUID.fromString(doomed));
                    assertEquals(1, ps.executeUpdate());
                }
                JsonNode listed = cli(bank, env, home, "list");
                JsonNode entry = null;
                for (JsonNode w : listed.get("wallets")) {
                    if (w.get("id").asText().equals(doomed)) {
                        entry = w;
                    }
                }
                assertFalse(entry.get("share").asBoolean());
                Path setAside = Path.of(entry.get("shareSetAside").asText());
                assertTrue(Files.exists(setAside), "the share is kept, set aside");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(setAside)));
                assertFalse(Files.exists(home.resolve("shares").resolve(doomed + ".vault")) || Files.exists(
                        vault.resolveSibling(doomed + ".vault")), "the usable name is gone");
                CliRun human = CliRun.run(env, "--server", bank.url(), "--data-dir", home.toString(), "list");
                assertEquals(0, human.code());
                assertFalse(human.all().contains(doomed + "  FAILED       doomed          -  (share on this device)"));
                for (JsonNode w : cli(bank, env, home, "list").get("wallets")) {
                    if (w.get("id").asText().equals(walletId)) {
                        assertTrue(w.get("share").asBoolean(), "the ACTIVE wallet's share is untouched");
                    }
                }
            }
        }
    }

    private static JsonNode cli(BankProcesses bank, Map<String, String> env, Path home, String... args) {
        return Device.json(bank.url(), home, env, PASSWORD, bank::logs, args);
    }

    private static JsonNode get(BankProcesses bank, String path, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bank.url() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static int status(BankProcesses bank, String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bank.url() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
