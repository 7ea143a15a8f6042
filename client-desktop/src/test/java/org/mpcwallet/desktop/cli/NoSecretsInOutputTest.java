package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.TxFields;
import org.mpcwallet.desktop.testing.StubBankRest;

/**
 * Every command's stdout, stderr and java.util.logging output (Tyrus logs there) is scanned for the password and
 * for every token the bank issued, across successes and failures.
 */
class NoSecretsInOutputTest {
    private static final String PASSWORD = "Pässword that is long enough";

    @TempDir
    Path tmp;

    @Test
    void noCommandPrintsOrLogsThePasswordOrAToken() throws Exception {
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getLoggerName() + " " + r.getMessage() + " " + r.getThrown());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        Level old = root.getLevel();
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        List<CliRun> runs = new ArrayList<>();
        try (StubBankRest bank = new StubBankRest(PASSWORD)) {
            Map<String, String> env = Map.of("WALLET_HOME", tmp.toString(), "WALLET_PASSWORD", PASSWORD);
            Map<String, String> wrongPw = Map.of("WALLET_HOME", tmp.toString(), "WALLET_PASSWORD", "wrong but long pw");
            String server = bank.url();

            CliRun reg = CliRun.run(env, "--server", server, "--json", "register", "alice");
            runs.add(reg);
            assertEquals(0, reg.code(), reg::toString);
            Path session = tmp.resolve("session.json");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(session)));
            runs.add(CliRun.run(wrongPw, "--server", server, "login", "alice"));
            assertEquals(1, runs.get(runs.size() - 1).code());
            runs.add(CliRun.run(env, "--server", server, "login", "alice"));
            runs.add(CliRun.run(env, "whoami"));
            bank.expireAccessToken();
            CliRun who = CliRun.run(env, "--json", "whoami");
            runs.add(who);
            assertEquals("alice", Json.parse(who.out(), "out").get("username").asText());
            assertEquals(1, bank.refreshes);
            // the refreshed pair was persisted
            String stored = Files.readString(session);
            assertTrue(stored.contains(bank.issuedTokens.get(bank.issuedTokens.size() - 1)));

            // create: the wallet is created, then the MPC channel cannot open (this stub has no WebSocket)
            CliRun create = CliRun.run(env, "create", "Main");
            runs.add(create);
            assertEquals(1, create.code());
            assertTrue(create.err().contains("MPC session failed: CONNECT_FAILED"), create.err());
            String walletId = bank.wallets.keySet().iterator().next();

            runs.add(CliRun.run(env, "--json", "list"));
            assertTrue(runs.get(runs.size() - 1).out().contains(walletId));

            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("chainId", "31337");
            fields.put("nonce", "0");
            fields.put("maxPriorityFeePerGas", "1000000000");
            fields.put("maxFeePerGas", "2000000000");
            fields.put("gasLimit", "21000");
            fields.put("to", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
            fields.put("valueWei", "1000");
            fields.put("data", "0x");
            TxFields f = new TxFields("31337", "0", "1000000000", "2000000000", "21000",
                    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1000", "0x");
            String rightHash = "0x" + Bytes.toHex(f.toTransaction().signingHash());
            String lying = bank.addRequest(walletId, fields, "0x" + "ab".repeat(32));
            String honest = bank.addRequest(walletId, fields, rightHash);

            CliRun reqs = CliRun.run(env, "--json", "requests", walletId);
            runs.add(reqs);
            JsonNode list = Json.parse(reqs.out(), "out");
            assertEquals(2, list.get("requests").size());
            assertEquals("0.000000000000001", list.get("requests").get(0).get("valueEth").asText());

            CliRun refused = CliRun.run(env, "sign", lying, "--yes");
            runs.add(refused);
            assertEquals(1, refused.code());
            assertTrue(refused.err().startsWith("error: refusing to sign request " + lying
                    + ": the bank's signing hash 0x" + "ab".repeat(32) + " does not match"), refused.err());

            CliRun noShare = CliRun.run(env, "sign", honest, "--yes");
            runs.add(noShare);
            assertEquals("error: this device holds no share for wallet " + walletId + " (restore a backup first)\n",
                    noShare.err());
            runs.add(CliRun.run(env, "--json", "sign", honest));
            runs.add(CliRun.run(env, "--json", "backup", tmp.resolve("b.json").toString()));
            runs.add(CliRun.run(env, "logout"));

            List<String> secrets = new ArrayList<>(bank.issuedTokens);
            secrets.add(PASSWORD);
            secrets.add("wrong but long pw");
            assertTrue(bank.issuedTokens.size() >= 6, "tokens were issued: " + bank.issuedTokens.size());
            for (CliRun r : runs) {
                for (String s : secrets) {
                    assertFalse(r.all().contains(s), () -> "a secret in the output of " + r);
                }
            }
            for (String line : logged) {
                for (String s : secrets) {
                    assertFalse(line.contains(s), "a secret in the log: " + line);
                }
            }
        } finally {
            root.removeHandler(capture);
            root.setLevel(old);
        }
    }
}
