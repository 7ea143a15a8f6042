package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.core.Json;

class WalletCliArgsTest {
    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Map.of("WALLET_HOME", tmp.toString(), "HOME", tmp.toString());
    }

    @Test
    void parsesGlobalOptionsCommandArgumentsAndOptions() {
        CommandLine cl = CommandLine.parse(new String[] {"--server", "http://bank:9", "--data-dir", "/d", "--json",
                "request-sign", "w-1", "--to", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--value-wei", "1",
                "--nonce", "0", "--gas-limit", "21000", "--max-fee", "2", "--priority-fee", "1", "--chain-id", "31337"});
        assertEquals("http://bank:9", cl.server());
        assertEquals("/d", cl.dataDir());
        assertTrue(cl.json());
        assertEquals("request-sign", cl.command());
        assertEquals(List.of("w-1"), cl.args());
        assertEquals("31337", cl.option("--chain-id", null));
        assertEquals("0x", cl.option("--data", "0x"));

        CommandLine sign = CommandLine.parse(new String[] {"sign", "--yes", "r-1"});
        assertTrue(sign.flag("--yes"));
        assertEquals(List.of("r-1"), sign.args());
        assertFalse(CommandLine.parse(new String[] {"restore", "f"}).flag("--force"));
    }

    @Test
    void dataDirComesFromTheOptionThenWalletHomeThenHome() {
        assertEquals(Path.of("/x").toAbsolutePath(), WalletCli.dataDir(CommandLine.parse(new String[] {"--data-dir",
                "/x", "list"}), Map.of("WALLET_HOME", "/y")));
        assertEquals(Path.of("/y"), WalletCli.dataDir(CommandLine.parse(new String[] {"list"}),
                Map.of("WALLET_HOME", "/y", "HOME", "/h")));
        assertEquals(Path.of("/h/.mpcwallet"), WalletCli.dataDir(CommandLine.parse(new String[] {"list"}),
                Map.of("HOME", "/h")));
    }

    @Test
    void usageErrorsExitWith2AndOneLineOnStderr() {
        String[][] bad = {
            {},
            {"frobnicate"},
            {"--bogus", "list"},
            {"--server"},
            {"login"},
            {"login", "a", "b"},
            {"create"},
            {"sign", "r-1", "--force"},
            {"restore", "f", "--yes"},
            {"request-sign", "w-1", "--to", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"},
            {"request-sign", "w-1", "--to", "0x12", "--value-wei", "1", "--nonce", "0", "--gas-limit", "21000",
                "--max-fee", "2", "--priority-fee", "1", "--chain-id", "1"},
            {"request-sign", "w-1", "--to", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--value-wei", "-5",
                "--nonce", "0", "--gas-limit", "21000", "--max-fee", "2", "--priority-fee", "1", "--chain-id", "1"},
            {"requests", "w", "--status"},
        };
        for (String[] args : bad) {
            CliRun r = CliRun.run(env(), args);
            assertEquals(2, r.code(), () -> String.join(" ", args) + " -> " + r);
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("error: usage: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        CliRun r = CliRun.run(env(), "request-sign", "w-1", "--to", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                "--value-wei", "x", "--nonce", "0", "--gas-limit", "21000", "--max-fee", "2", "--priority-fee", "1",
                "--chain-id", "1");
        assertEquals("error: usage: valueWei must be a non-negative decimal integer\n", r.err());
    }

    @Test
    void withJsonErrorsAreOneJsonObject() {
        CliRun r = CliRun.run(env(), "--json", "frobnicate");
        assertEquals(2, r.code());
        assertEquals("usage: unknown command 'frobnicate'", Json.parse(r.err(), "err").get("error").asText());
        CliRun r2 = CliRun.run(env(), "--json", "list");
        assertEquals(1, r2.code());
        assertEquals("", r2.out());
        assertEquals("not logged in: run `wallet login <username>` first",
                Json.parse(r2.err(), "err").get("error").asText());
    }

    @Test
    void helpPrintsUsageAndNotLoggedInIsAFailure() {
        CliRun h = CliRun.run(env(), "help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("request-sign <walletId> --to 0x.."), h.out());
        assertTrue(h.out().contains("  sign <requestId> [--yes] [--max-fee-eth ETH]\n"), h.out());
        assertTrue(h.out().contains("  cosign <txRequestId> [--yes] [--timeout SECONDS] [--max-fee-eth ETH]\n"),
                h.out());
        assertEquals(0, CliRun.run(env(), "--help").code());
        CliRun w = CliRun.run(env(), "whoami");
        assertEquals(1, w.code());
        assertEquals("error: not logged in: run `wallet login <username>` first\n", w.err());
        CliRun p = CliRun.run(Map.of("WALLET_HOME", tmp.toString()), "login", "alice");
        assertEquals(1, p.code());
        assertEquals("error: no password: set WALLET_PASSWORD or run in a terminal\n", p.err());
        CliRun lo = CliRun.run(env(), "--json", "logout");
        assertEquals("{\"loggedOut\":false,\"revokedAtBank\":false}\n", lo.out());
    }

    /**
     * {@code --max-fee-eth} of {@code sign} and {@code cosign} is read exactly (no rounding) before the bank is called:
     * these devices are not logged in, so reaching the bank would be exit code 1, not the usage error's 2.
     */
    @Test
    void aMalformedOrNegativeFeeCeilingIsAUsageErrorBeforeTheBankIsCalled() {
        String malformed = "error: usage: --max-fee-eth must be an amount of ETH written as a plain decimal number "
                + "with at most 18 decimals, e.g. 0.005\n";
        String[] bad = {"1e-3", "0.0000000000000000001", ".5", "1.", "0,5", "1 000", "+1", "0x10", "abc", "", " 1",
            "1.2.3", "Infinity"};
        for (String command : new String[] {"sign", "cosign"}) {
            for (String text : bad) {
                CliRun r = CliRun.run(env(), command, "id-1", "--max-fee-eth", text);
                assertEquals(2, r.code(), () -> command + " '" + text + "' -> " + r);
                assertEquals("", r.out());
                assertEquals(malformed, r.err(), text);
            }
            for (String negative : new String[] {"-1", "-0.001", "-0"}) {
                CliRun r = CliRun.run(env(), command, "id-1", "--max-fee-eth", negative);
                assertEquals(2, r.code(), () -> command + " " + negative + " -> " + r);
                assertEquals("error: usage: --max-fee-eth must not be negative\n", r.err());
            }
            CliRun json = CliRun.run(env(), "--json", command, "id-1", "--max-fee-eth", "1e18");
            assertEquals(2, json.code());
            assertEquals(malformed.substring("error: ".length()).strip(),
                    Json.parse(json.err(), "err").get("error").asText());
            CliRun missing = CliRun.run(env(), command, "id-1", "--max-fee-eth");
            assertEquals(2, missing.code());
            assertEquals("error: usage: --max-fee-eth needs a value\n", missing.err());
            // a well-formed ceiling passes the parse and the command goes on to the bank (not logged in here)
            CliRun ok = CliRun.run(env(), command, "id-1", "--max-fee-eth", "0.005");
            assertEquals(1, ok.code(), ok::toString);
            assertEquals("error: not logged in: run `wallet login <username>` first\n", ok.err());
        }
        CliRun other = CliRun.run(env(), "send", "w-1", "--to", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                "--amount", "1", "--max-fee-eth", "1");
        assertEquals(2, other.code(), "only sign and cosign take a fee ceiling");
    }

    @Test
    void aFeeCeilingInEthIsReadExactlyInWei() {
        String option = SigningCommands.MAX_FEE_ETH;
        assertEquals(new BigInteger("1000000000000000000"), SigningCommands.weiOfEth(option, "1"));
        assertEquals(new BigInteger("42000000000000"), SigningCommands.weiOfEth(option, "0.000042"));
        assertEquals(new BigInteger("42000000000000"), SigningCommands.weiOfEth(option, "0.000042000000000000"));
        assertEquals(BigInteger.ONE, SigningCommands.weiOfEth(option, "0.000000000000000001"));
        assertEquals(new BigInteger("12500000000000000000"), SigningCommands.weiOfEth(option, "12.5"));
        assertEquals(new BigInteger("1000000000000000000"), SigningCommands.weiOfEth(option, "001.0"));
        assertEquals(BigInteger.ZERO, SigningCommands.weiOfEth(option, "0"));
        assertEquals(BigInteger.ZERO, SigningCommands.weiOfEth(option, "0.0"));
    }

    /** Issue 10 §5: the bank answers addresses in lower case; every screen shows the EIP-55 checksummed form. */
    @Test
    void addressesAreShownChecksummed() {
        assertEquals("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                WalletCli.shown("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")); // EIP-55's own example
        assertEquals("not-an-address", WalletCli.shown("not-an-address"));
        assertEquals("-", WalletCli.shown(null));
    }
}
