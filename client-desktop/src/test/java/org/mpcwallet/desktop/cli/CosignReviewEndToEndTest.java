package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.TestAnvil;

/**
 * What {@code cosign} and {@code sign} show before they ask, and their fee ceiling ({@code --max-fee-eth}), against
 * the real bank (bank-server's jar on its embedded PostgreSQL, the in-process signer) and a real anvil that mines only
 * when told. The expected review lines are computed here from the sign request's fields as the bank lists them, with
 * {@code BigDecimal} (the CLI uses shared-crypto's {@code Amounts}), or written out by hand. The wallets are RETAIL (no
 * approvals), funded with {@code anvil_setBalance}. There is no token flow in these tests (the bank has no ERC-20
 * contract on anvil here); the ERC-20 review lines are {@link SignRequestDescriptionTest}'s.
 */
class CosignReviewEndToEndTest {
    /** Hardhat/anvil's second dev address, sent in lower case; the review must show its EIP-55 form. */
    private static final String TO_LOWER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private static final String TO_EIP55 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    private static final String ONE_TENTH_ETH = "100000000000000000";
    private static final Duration STEP = Duration.ofSeconds(90);

    @TempDir
    static Path work;
    private static TestAnvil anvil;
    private static BankProcesses bank;

    @BeforeAll
    static void start() throws Exception {
        anvil = TestAnvil.startWithoutMining();
        bank = BankProcesses.start(work, BankProcesses.Options.chain(anvil.rpcUrl(), 1, 200));
    }

    @AfterAll
    static void stop() {
        if (bank != null) {
            bank.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    private record Funded(Device owner, String walletId, String address) {}

    private static Funded fundedWallet(String name) {
        Device owner = new Device(work.resolve(name + "-" + System.nanoTime()), bank.url(), bank::logs).register();
        JsonNode created = owner.json("create", name);
        String address = created.get("address").asText();
        anvil.setBalance(address, new BigInteger("1000000000000000000"));
        return new Funded(owner, created.get("wallet").asText(), address);
    }

    /** {@code wallet --server … --data-dir … args} in text mode, answering the prompt with {@code stdin}. */
    private static CliRun human(Device d, String stdin, String... args) {
        String[] full = new String[args.length + 4];
        full[0] = "--server";
        full[1] = bank.url();
        full[2] = "--data-dir";
        full[3] = d.home.toString();
        System.arraycopy(args, 0, full, 4, args.length);
        CliRun r = CliRun.withStdin(d.env(), stdin, full);
        assertFalse(r.all().contains(d.password), "the password is never printed");
        assertFalse(r.all().contains(d.walletSecret), "the wallet secret is never printed");
        return r;
    }

    /** The pending sign request {@code id} of the wallet as {@code requests} lists it (its fields). */
    private static JsonNode signRequest(Device d, String walletId, String id, String status) {
        for (JsonNode r : d.json("requests", walletId, "--status", status).get("requests")) {
            if (r.get("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no " + status + " sign request " + id + " of wallet " + walletId);
    }

    /** {@code v} base units at {@code decimals} as a plain decimal, with BigDecimal (independent of the CLI's code). */
    private static String units(BigInteger v, int decimals) {
        return v.signum() == 0 ? "0" : new BigDecimal(v).movePointLeft(decimals).stripTrailingZeros().toPlainString();
    }

    /** {@code wei} in ETH with all 18 decimals written out (trailing zeros kept), as a user may type a ceiling. */
    private static String eth18(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(18).setScale(18).toPlainString();
    }

    @Test
    void cosignShowsTheReviewAndItsFeeCeilingRefusesAboveAndSignsWithin() throws Exception {
        Funded w = fundedWallet("review");
        Device owner = w.owner();
        String id = owner.json("send", w.walletId(), "--to", TO_LOWER, "--amount", ONE_TENTH_ETH).get("id").asText();
        JsonNode pending = PipelineWait.until(owner, id, "SIGN_PENDING", null, STEP, bank::logs);
        long until = System.nanoTime() + STEP.toNanos();
        while (pending.get("signRequestId").isNull() && System.nanoTime() < until) {
            Thread.sleep(200);
            pending = owner.json("status", id);
        }
        String signRequestId = pending.get("signRequestId").asText();
        JsonNode f = signRequest(owner, w.walletId(), signRequestId, "PENDING");
        assertEquals("EIP1559", f.get("type").asText(), "anvil takes EIP-1559 transactions: " + f);
        BigInteger gasLimit = new BigInteger(f.get("gasLimit").asText());
        BigInteger maxFeePerGas = new BigInteger(f.get("maxFeePerGas").asText());
        BigInteger tip = new BigInteger(f.get("maxPriorityFeePerGas").asText());
        BigInteger maxFee = gasLimit.multiply(maxFeePerGas);
        assertTrue(maxFee.signum() > 0, f.toString());

        // a malformed ceiling is a usage error; nothing is asked of the bank's sign request
        CliRun malformed = human(owner, "y\n", "cosign", id, "--max-fee-eth", "0.1 ETH");
        assertEquals(2, malformed.code(), malformed::toString);
        assertEquals("error: usage: --max-fee-eth must be an amount of ETH written as a plain decimal number with at "
                + "most 18 decimals, e.g. 0.005\n", malformed.err());

        // one wei below the maximum fee: refused with both amounts, nothing signed, the transfer still waits
        BigInteger below = maxFee.subtract(BigInteger.ONE);
        CliRun refused = human(owner, "y\n", "cosign", id, "--max-fee-eth", eth18(below));
        assertEquals(1, refused.code(), refused::toString);
        assertEquals("error: refusing to sign request " + signRequestId + ": its maximum fee " + units(maxFee, 18)
                + " ETH (gas limit " + gasLimit + " × max fee per gas " + units(maxFeePerGas, 9)
                + " gwei) is above the ceiling of " + units(below, 18) + " ETH",
                refused.err().lines().reduce((a, b) -> b).orElseThrow());
        assertFalse(refused.all().contains("Co-sign this transaction?"), "refused before asking");
        JsonNode still = owner.json("status", id);
        assertEquals("SIGN_PENDING", still.get("status").asText(), still::toString);
        assertEquals(signRequestId, still.get("signRequestId").asText());
        assertEquals("PENDING", signRequest(owner, w.walletId(), signRequestId, "PENDING").get("status").asText());
        assertEquals(0, anvil.transactionCount(w.address(), "pending"), "nothing was broadcast");
        JsonNode refusedJson = owner.error("cosign", id, "--yes", "--max-fee-eth", units(below, 18));
        assertTrue(refusedJson.get("error").asText().contains("is above the ceiling of " + units(below, 18) + " ETH"),
                refusedJson.toString());

        // a ceiling of exactly the maximum fee is not exceeded: the review is shown, confirmed, co-signed
        CliRun signed = human(owner, "y\n", "cosign", id, "--max-fee-eth", eth18(maxFee));
        assertEquals(0, signed.code(), () -> signed + "\n" + bank.logs());
        String expected = "You are about to co-sign (computed on this device):\n"
                + "  type:           EIP-1559 (type 2)\n"
                + "  recipient:      " + TO_EIP55 + "\n"
                + "  amount:         0.1 ETH\n"
                + "  chain id:       " + f.get("chainId").asText() + "\n"
                + "  nonce:          " + f.get("nonce").asText() + "\n"
                + "  fee cap:        " + units(maxFeePerGas, 9) + " gwei per gas\n"
                + "  priority fee:   " + units(tip, 9) + " gwei per gas\n"
                + "  gas limit:      " + gasLimit + "\n"
                + "  maximum fee:    " + units(maxFee, 18) + " ETH (gas limit × fee cap)\n"
                + "  fee ceiling:    " + units(maxFee, 18) + " ETH (--max-fee-eth; the maximum fee is within it)\n";
        assertTrue(signed.out().contains(expected), signed.out());
        // the lines shown before the review are still there, above it
        assertTrue(signed.out().startsWith("Transaction request " + id + " of wallet " + w.walletId() + "\n"),
                signed.out());
        assertTrue(signed.out().indexOf("Sign request " + signRequestId + " of wallet " + w.walletId() + "\n")
                < signed.out().indexOf(expected), signed.out());
        assertTrue(signed.out().contains("  value:        0.1 ETH (" + ONE_TENTH_ETH + " wei)\n"), signed.out());
        assertTrue(signed.err().contains("Co-sign this transaction? [y/N] "), signed.err());
        assertTrue(signed.out().contains("co-signed request " + id + " (signature verified under the wallet's key)"),
                signed.out());
        assertEquals("SIGNED", signRequest(owner, w.walletId(), signRequestId, "SIGNED").get("status").asText());
        PipelineWait.until(owner, id, Set.of("SIGNED", "BROADCAST_PENDING", "BROADCASTED"), null, STEP, bank::logs);
    }

    @Test
    void signShowsTheReviewAndItsFeeCeilingRefusesAboveAndSignsBelow() {
        Funded w = fundedWallet("review-sign");
        Device owner = w.owner();
        // 21000 gas × 2 gwei = 42000 gwei = 0.000042 ETH at most in fees
        String requestId = owner.json("request-sign", w.walletId(), "--to", TO_LOWER, "--value-wei",
                "1500000000000000", "--nonce", "3", "--gas-limit", "21000", "--max-fee", "2000000000",
                "--priority-fee", "1500000000", "--chain-id", "31337").get("request").asText();

        CliRun refused = human(owner, "y\n", "sign", requestId, "--max-fee-eth", "0.000041999999999999");
        assertEquals(1, refused.code(), refused::toString);
        assertEquals("error: refusing to sign request " + requestId + ": its maximum fee 0.000042 ETH (gas limit 21000 "
                + "× max fee per gas 2 gwei) is above the ceiling of 0.000041999999999999 ETH\n", refused.err());
        assertEquals("", refused.out(), "nothing shown, nothing asked");
        assertEquals("PENDING", signRequest(owner, w.walletId(), requestId, "PENDING").get("status").asText());

        CliRun negative = human(owner, "y\n", "sign", requestId, "--max-fee-eth", "-1");
        assertEquals(2, negative.code(), negative::toString);
        assertEquals("error: usage: --max-fee-eth must not be negative\n", negative.err());

        CliRun signed = human(owner, "y\n", "sign", requestId, "--max-fee-eth", "0.001");
        assertEquals(0, signed.code(), () -> signed + "\n" + bank.logs());
        assertTrue(signed.out().contains("""
                You are about to co-sign (computed on this device):
                  type:           EIP-1559 (type 2)
                  recipient:      0x70997970C51812dc3A010C7d01b50e0d17dc79C8
                  amount:         0.0015 ETH
                  chain id:       31337
                  nonce:          3
                  fee cap:        2 gwei per gas
                  priority fee:   1.5 gwei per gas
                  gas limit:      21000
                  maximum fee:    0.000042 ETH (gas limit × fee cap)
                  fee ceiling:    0.001 ETH (--max-fee-eth; the maximum fee is within it)
                signed (signature verified under the wallet's key)
                """), signed.out());
        assertTrue(signed.out().contains("  max fee:      2000000000 wei/gas\n"), signed.out());
        assertEquals("SIGNED", signRequest(owner, w.walletId(), requestId, "SIGNED").get("status").asText());
    }
}
