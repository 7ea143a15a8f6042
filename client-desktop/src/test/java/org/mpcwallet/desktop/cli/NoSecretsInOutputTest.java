package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.Session;
import org.mpcwallet.desktop.core.SessionStore;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.Jwts;

/**
 * Every command's stdout, stderr and java.util.logging output (Tyrus logs there) is scanned for the login password,
 * the wallet secret and every token the real bank issued to the wallet (collected from the session file after each
 * command), across
 * successes and failures: register, login (wrong and right password), whoami with a refused access token (refresh),
 * create (keygen over the WebSocket), list, request-sign, requests, sign (not confirmed, no share, signed, again),
 * backup, restore with a wrong password, logout.
 */
class NoSecretsInOutputTest {
    private static final String PASSWORD = "Pässword that is long enough";
    private static final String WRONG = "wrong but long password";
    private static final String SECRET = "wallet sécret that stays on the device";
    private static final String WRONG_SECRET = "a wrong but long wallet secret";

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
        Set<String> tokens = new LinkedHashSet<>();
        SessionStore store = new SessionStore(tmp);
        try {
            Map<String, String> env = Map.of("WALLET_HOME", tmp.toString(), "WALLET_PASSWORD", PASSWORD,
                    "WALLET_SECRET", SECRET);
            Map<String, String> wrongPw = Map.of("WALLET_HOME", tmp.toString(), "WALLET_PASSWORD", WRONG);
            Path other = tmp.resolve("other-device");
            Map<String, String> otherDevice = Map.of("WALLET_HOME", other.toString(), "WALLET_PASSWORD", PASSWORD,
                    "WALLET_SECRET", SECRET);
            String server = bank.url();
            String user = "alice" + UUID.randomUUID().toString().substring(0, 8);
            Runnable collect = () -> {
                for (SessionStore s : List.of(store, new SessionStore(other))) {
                    Session now = s.load();
                    if (now != null) {
                        tokens.add(now.accessToken());
                        tokens.add(now.refreshToken());
                    }
                }
            };

            CliRun reg = run(runs, collect, env, "--server", server, "--json", "register", user);
            assertEquals(0, reg.code(), reg::toString);
            Path session = tmp.resolve("session.json");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(session)));
            assertEquals(1, run(runs, collect, wrongPw, "--server", server, "login", user).code());
            assertEquals(0, run(runs, collect, env, "--server", server, "login", user).code());
            assertEquals(0, run(runs, collect, env, "whoami").code());

            // the bank refuses the access token (as after its expiry): the CLI refreshes once and keeps the new pair
            Session before = store.load();
            store.save(before.withTokens(Jwts.spoil(before.accessToken()), before.refreshToken()));
            CliRun who = run(runs, collect, env, "--json", "whoami");
            assertEquals(0, who.code(), who::toString);
            assertEquals(user, Json.parse(who.out(), "out").get("username").asText());
            Session after = store.load();
            assertNotEquals(before.refreshToken(), after.refreshToken(), "the refreshed pair was persisted");

            CliRun create = run(runs, collect, env, "--json", "create", "Main");
            assertEquals(0, create.code(), () -> create + "\n" + bank.logs());
            String walletId = Json.parse(create.out(), "out").get("wallet").asText();
            CliRun list = run(runs, collect, env, "--json", "list");
            assertTrue(list.out().contains(walletId));

            CliRun rs = run(runs, collect, env, "--json", "request-sign", walletId, "--to",
                    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--value-wei", "1000", "--nonce", "0",
                    "--gas-limit", "21000", "--max-fee", "2000000000", "--priority-fee", "1000000000", "--chain-id",
                    "31337");
            assertEquals(0, rs.code(), rs::toString);
            String requestId = Json.parse(rs.out(), "out").get("request").asText();
            CliRun reqs = run(runs, collect, env, "--json", "requests", walletId);
            JsonNode listed = Json.parse(reqs.out(), "out");
            assertEquals(1, listed.get("requests").size());
            assertEquals("0.000000000000001", listed.get("requests").get(0).get("valueEth").asText());

            CliRun unconfirmed = run(runs, collect, env, "--json", "sign", requestId);
            assertEquals(1, unconfirmed.code());
            assertTrue(unconfirmed.err().contains("not confirmed; nothing was signed"), unconfirmed.err());

            // another device of the same user, logged in, without the share
            assertEquals(0, run(runs, collect, otherDevice, "--server", server, "login", user).code());
            CliRun noShare = run(runs, collect, otherDevice, "sign", requestId, "--yes");
            assertEquals("error: this device holds no share for wallet " + walletId + " (restore a backup first)\n",
                    noShare.err());

            CliRun signed = run(runs, collect, env, "--json", "sign", requestId, "--yes");
            assertEquals(0, signed.code(), signed::toString);
            CliRun again = run(runs, collect, env, "sign", requestId, "--yes");
            assertEquals("error: request " + requestId + " is SIGNED, not PENDING\n", again.err());

            Path backup = tmp.resolve("b.json");
            assertEquals(0, run(runs, collect, env, "--json", "backup", backup.toString()).code());
            CliRun badRestore = run(runs, collect, Map.of("WALLET_HOME", other.toString(), "WALLET_PASSWORD", WRONG,
                    "WALLET_SECRET", WRONG_SECRET), "restore", backup.toString());
            assertEquals(1, badRestore.code());
            assertEquals(0, run(runs, collect, env, "logout").code());

            List<String> secrets = new ArrayList<>(tokens);
            secrets.add(PASSWORD);
            secrets.add(WRONG);
            secrets.add(SECRET);
            secrets.add(WRONG_SECRET);
            assertTrue(tokens.size() >= 4, "tokens were issued: " + tokens.size());
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

    private static CliRun run(List<CliRun> runs, Runnable collect, Map<String, String> env, String... args) {
        CliRun r = CliRun.run(env, args);
        runs.add(r);
        collect.run();
        return r;
    }
}
