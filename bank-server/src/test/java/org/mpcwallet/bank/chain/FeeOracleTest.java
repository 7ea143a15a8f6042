package org.mpcwallet.bank.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mpcwallet.bank.chain.ChainTestSupport.DEV;
import static org.mpcwallet.bank.chain.ChainTestSupport.GWEI;
import static org.mpcwallet.bank.chain.ChainTestSupport.OTHER;
import static org.mpcwallet.bank.chain.ChainTestSupport.TRANSFER_GAS;
import static org.mpcwallet.bank.chain.ChainTestSupport.hashOf;
import static org.mpcwallet.bank.chain.ChainTestSupport.sign;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.chain.FeeOracle.FeeQuote;
import org.mpcwallet.bank.chain.FeeOracle.Fees;
import org.mpcwallet.crypto.testing.AnvilProcess;

/** {@link FeeOracle} against a real anvil (EIP-1559 by default, pre-London with {@code --hardfork berlin}). */
class FeeOracleTest {
    private static final BigInteger CAP_100_GWEI = GWEI.multiply(BigInteger.valueOf(100));
    private static final BigInteger CAP_10_GWEI = GWEI.multiply(BigInteger.TEN);

    private static BigInteger gwei(String value) {
        return new java.math.BigDecimal(value).multiply(new java.math.BigDecimal(GWEI)).toBigIntegerExact();
    }

    @Test
    void aFreshChainGetsTwiceTheBaseFeePlusTheMinimumTip() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            FeeQuote.Quoted q = assertInstanceOf(FeeQuote.Quoted.class,
                    new FeeOracle(node, FeeOracle.Config.withCaps(CAP_100_GWEI, CAP_10_GWEI)).quote());
            assertEquals(GWEI, q.baseFee(), "anvil starts at 1 gwei");
            assertEquals(new Fees(gwei("3"), GWEI, false), q.fees(), "empty blocks: the 1 gwei minimum tip");
        }
    }

    @Test
    void theTipFollowsRecentBlocksAndTheFeesGetATransactionMined() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            Broadcaster broadcaster = new Broadcaster(node);
            for (int nonce = 0; nonce < 3; nonce++) {
                String raw = sign(DEV, nonce, OTHER, BigInteger.ONE, "0x", TRANSFER_GAS, gwei("2"), gwei("5"));
                assertTrue(broadcaster.send(raw, hashOf(raw)).isSent());
                ChainTestSupport.awaitReceipt(node, hashOf(raw));
            }
            FeeQuote.Quoted q = assertInstanceOf(FeeQuote.Quoted.class,
                    new FeeOracle(node, FeeOracle.Config.withCaps(CAP_100_GWEI, CAP_10_GWEI)).quote());
            assertEquals(gwei("2"), q.fees().maxPriorityFeePerGas(), "median of the 2 gwei tips");
            assertEquals(q.baseFee().shiftLeft(1).add(gwei("2")), q.fees().maxFeePerGas());
            assertTrue(q.baseFee().compareTo(GWEI) < 0, "nearly empty blocks lower the base fee");

            String raw = sign(DEV, 3, OTHER, BigInteger.ONE, "0x", TRANSFER_GAS, q.fees().maxPriorityFeePerGas(),
                    q.fees().maxFeePerGas());
            assertInstanceOf(BroadcastResult.Accepted.class, broadcaster.send(raw, hashOf(raw)));
            assertTrue(ChainTestSupport.awaitReceipt(node, hashOf(raw)).success());
        }
    }

    @Test
    void theCapsClampTheFees() {
        try (AnvilProcess anvil = AnvilProcess.start(); EthNode node = EthNode.connect(anvil.rpcUrl())) {
            // 2 * 1 gwei + 1 gwei = 3 gwei wanted; the cap of 2 gwei is above the 1 gwei base fee, so it clamps
            FeeQuote.Quoted clamped = assertInstanceOf(FeeQuote.Quoted.class,
                    new FeeOracle(node, FeeOracle.Config.withCaps(gwei("2"), gwei("2"))).quote());
            assertEquals(new Fees(gwei("2"), GWEI, false), clamped.fees());
            // priority cap below the 1 gwei minimum tip: the minimum is capped too
            FeeOracle.Config lowTip = new FeeOracle.Config(CAP_100_GWEI, gwei("0.5"), gwei("0.5"), 20, 50);
            FeeQuote.Quoted q = assertInstanceOf(FeeQuote.Quoted.class, new FeeOracle(node, lowTip).quote());
            assertEquals(gwei("0.5"), q.fees().maxPriorityFeePerGas());
            assertEquals(gwei("2.5"), q.fees().maxFeePerGas());
        }
    }

    @Test
    void aBaseFeeAboveTheCapIsRefused() {
        // a congested network: the next block's base fee is 100 gwei, the bank pays at most 50
        try (AnvilProcess anvil = AnvilProcess.start("--block-base-fee-per-gas", "100000000000");
             EthNode node = EthNode.connect(anvil.rpcUrl())) {
            FeeQuote.Refused refused = assertInstanceOf(FeeQuote.Refused.class,
                    new FeeOracle(node, FeeOracle.Config.withCaps(gwei("50"), gwei("2"))).quote());
            assertTrue(refused.reason().contains("100000000000 wei exceeds maxFeePerGasCap 50000000000"),
                    refused.reason());
            // with room under the cap the same node quotes
            assertInstanceOf(FeeQuote.Quoted.class,
                    new FeeOracle(node, FeeOracle.Config.withCaps(gwei("500"), gwei("2"))).quote());
        }
    }

    @Test
    void aPreLondonChainFallsBackToTheLegacyGasPrice() {
        try (AnvilProcess anvil = AnvilProcess.start("--hardfork", "berlin");
             EthNode node = EthNode.connect(anvil.rpcUrl())) {
            BigInteger gasPrice = node.gasPrice().orElseThrow();
            FeeQuote.Quoted q = assertInstanceOf(FeeQuote.Quoted.class,
                    new FeeOracle(node, FeeOracle.Config.withCaps(CAP_100_GWEI, CAP_10_GWEI)).quote());
            assertEquals(new Fees(gasPrice, gasPrice, true), q.fees());
            // and the cap applies to the gas price
            BigInteger below = gasPrice.subtract(BigInteger.ONE);
            FeeQuote.Refused refused = assertInstanceOf(FeeQuote.Refused.class,
                    new FeeOracle(node, FeeOracle.Config.withCaps(below, below)).quote());
            assertTrue(refused.reason().startsWith("gas price " + gasPrice), refused.reason());
        }
    }

    @Test
    void aStoppedNodeIsUnavailableNotADefaultFee() {
        AnvilProcess anvil = AnvilProcess.start();
        try (EthNode node = EthNode.connect(anvil.rpcUrl())) {
            anvil.close();
            FeeQuote.Unavailable u = assertInstanceOf(FeeQuote.Unavailable.class,
                    new FeeOracle(node, FeeOracle.Config.withCaps(CAP_100_GWEI, CAP_10_GWEI)).quote());
            assertEquals(ChainFailure.Kind.IO, u.failure().kind());
        }
    }

    @Test
    void configurationIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> FeeOracle.Config.withCaps(BigInteger.ZERO, BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> FeeOracle.Config.withCaps(GWEI, CAP_10_GWEI));
        assertThrows(IllegalArgumentException.class,
                () -> new FeeOracle.Config(CAP_100_GWEI, GWEI, GWEI, 0, 50));
        assertThrows(IllegalArgumentException.class,
                () -> new FeeOracle.Config(CAP_100_GWEI, GWEI, GWEI, 20, 101));
        assertFalse(FeeOracle.Config.withCaps(CAP_100_GWEI, GWEI).minPriorityFee().signum() < 0);
    }
}
