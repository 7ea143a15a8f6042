package org.mpcwallet.crypto.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;

/** What the device shows before co-signing (CosignCheck.review), the fee ceiling and the order of check's rules. */
class CosignReviewTest {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String TOKEN = "0x1111111111111111111111111111111111111111";
    private static final CosignCheck.Fields ETH = new CosignCheck.Fields("EIP1559", "31337", "4", "1500000000",
            "30000000000", null, "21000", TO, "1000000000000000", "0x");
    private static final CosignCheck.Fields LEGACY = new CosignCheck.Fields("LEGACY", "1", "9", null, null,
            "2500000001", "21000", TO, "1", null);

    private static EthTransaction tx(CosignCheck.Fields f) {
        return assertInstanceOf(CosignCheck.Built.Ok.class, CosignCheck.build(f), f::toString).tx();
    }

    private static String hash(CosignCheck.Fields f) {
        return "0x" + Bytes.toHex(tx(f).signingHash());
    }

    @Test
    void formatsExactDecimals() {
        assertEquals("0", Amounts.units(BigInteger.ZERO, 18));
        assertEquals("0.000000000000000001", Amounts.eth(BigInteger.ONE));
        assertEquals("0.001", Amounts.eth(new BigInteger("1000000000000000")));
        assertEquals("1", Amounts.eth(BigInteger.TEN.pow(18)));
        assertEquals("10", Amounts.eth(BigInteger.TEN.pow(19)));
        assertEquals("123.456", Amounts.units(BigInteger.valueOf(123456), 3));
        assertEquals("100", Amounts.units(BigInteger.valueOf(100), 0));
        assertEquals("-1.5", Amounts.units(BigInteger.valueOf(-15), 1));
        assertEquals("1.5", Amounts.gwei(BigInteger.valueOf(1_500_000_000L)));
        assertEquals("2.500000001", Amounts.gwei(BigInteger.valueOf(2_500_000_001L)));
        assertEquals("0.000000001", Amounts.gwei(BigInteger.ONE));
        assertThrows(IllegalArgumentException.class, () -> Amounts.units(BigInteger.ONE, -1));
        // the same text as BigDecimal's exact plain form on the JVM (what the desktop printed before)
        DeterministicRandom rng = DeterministicRandom.fromLabel("amounts");
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[1 + (i % 32)];
            rng.nextBytes(b);
            BigInteger v = new BigInteger(1, b);
            int decimals = i % 40;
            BigDecimal d = new BigDecimal(v).movePointLeft(decimals).stripTrailingZeros();
            assertEquals(d.signum() == 0 ? "0" : d.toPlainString(), Amounts.units(v, decimals), v + "/" + decimals);
        }
    }

    @Test
    void reviewsAnEip1559EthTransfer() {
        CosignCheck.Review r = CosignCheck.review(tx(ETH), CosignCheck.Asset.ETH);
        assertEquals(EthTransaction.Type.EIP1559, r.type());
        assertEquals(BigInteger.valueOf(31337), r.chainId());
        assertEquals(BigInteger.valueOf(4), r.nonce());
        assertEquals(EthAddress.parse(TO).toChecksumHex(), r.recipient());
        assertEquals(r.to(), r.recipient());
        assertEquals("0.001 ETH", r.amountText());
        assertEquals("0.001", r.valueEth());
        assertNull(r.tokenContract());
        assertEquals("30", r.feeCapGwei());
        assertEquals("1.5", r.priorityFeeGwei());
        assertNull(r.gasPrice());
        assertEquals(BigInteger.valueOf(21000), r.gasLimit());
        assertEquals(new BigInteger("630000000000000"), r.maxFeeWei()); // 21000 × 30 gwei
        assertEquals("0.00063", r.maxFeeEth());
        assertEquals("0x", r.dataHex());
        assertEquals(0, r.dataLength());
        assertEquals(hash(ETH), r.signingHashHex());
    }

    @Test
    void reviewsALegacyTransactionWithItsGasPrice() {
        CosignCheck.Review r = CosignCheck.review(tx(LEGACY), CosignCheck.Asset.ETH);
        assertEquals(EthTransaction.Type.LEGACY, r.type());
        assertNull(r.maxFeePerGas());
        assertNull(r.maxPriorityFeePerGas());
        assertNull(r.priorityFeeGwei());
        assertEquals(BigInteger.valueOf(2_500_000_001L), r.gasPrice());
        assertEquals("2.500000001", r.feeCapGwei());
        assertEquals("0.000052500000021", r.maxFeeEth()); // 21000 × 2,500,000,001 wei
        assertEquals("0.000000000000000001 ETH", r.amountText());
    }

    @Test
    void decodesAnErc20TransferOnTheAssetsContract() {
        byte[] call = Erc20.transferCalldata(EthAddress.parse(TO), new BigInteger("1500000"));
        CosignCheck.Fields f = new CosignCheck.Fields("EIP1559", "1", "0", "1", "2", null, "60000", TOKEN, "0",
                "0x" + Bytes.toHex(call));
        CosignCheck.Asset usdc = new CosignCheck.Asset("USDC", 6, TOKEN);
        CosignCheck.Review r = CosignCheck.review(tx(f), usdc);
        assertEquals(EthAddress.parse(TO).toChecksumHex(), r.recipient());
        assertEquals(EthAddress.parse(TOKEN).toChecksumHex(), r.tokenContract());
        assertEquals(EthAddress.parse(TOKEN).toChecksumHex(), r.to());
        assertEquals(new BigInteger("1500000"), r.amount());
        assertEquals("1.5 USDC", r.amountText());
        assertEquals(68, r.dataLength());
        // decimals unknown: base units
        assertEquals("1500000 base units of XYZ",
                CosignCheck.review(tx(f), new CosignCheck.Asset("XYZ", -1, TOKEN)).amountText());
        // shown as ETH when the asset names another contract, or no token at all
        CosignCheck.Review other = CosignCheck.review(tx(f), new CosignCheck.Asset("USDC", 6, TO));
        assertEquals("0 ETH", other.amountText());
        assertNull(other.tokenContract());
        assertEquals(EthAddress.parse(TOKEN).toChecksumHex(), other.recipient());
        // not a transfer call on the token contract: shown as the ETH it sends, with its call data
        CosignCheck.Fields approve = new CosignCheck.Fields("EIP1559", "1", "0", "1", "2", null, "60000", TOKEN, "0",
                "0x095ea7b3" + Bytes.toHex(call).substring(8));
        assertEquals("0 ETH", CosignCheck.review(tx(approve), usdc).amountText());
    }

    @Test
    void refusesFeeCapsAboveTheCeiling() {
        EthTransaction t = tx(ETH);
        assertNull(CosignCheck.feeAboveCeiling(t, null));
        assertNull(CosignCheck.feeAboveCeiling(t, CosignCheck.FeeCeiling.NONE));
        assertNull(CosignCheck.feeAboveCeiling(t, new CosignCheck.FeeCeiling(new BigInteger("30000000000"),
                new BigInteger("630000000000000")))); // exactly at the ceiling is allowed
        assertEquals("its max fee per gas 30 gwei is above the ceiling of 29.999999999 gwei",
                CosignCheck.feeAboveCeiling(t, new CosignCheck.FeeCeiling(new BigInteger("29999999999"), null)));
        assertEquals("its maximum fee 0.00063 ETH (gas limit 21000 × max fee per gas 30 gwei) is above the ceiling of "
                + "0.0006 ETH", CosignCheck.feeAboveCeiling(t, new CosignCheck.FeeCeiling(null,
                new BigInteger("600000000000000"))));
        assertEquals("its gas price 2.500000001 gwei is above the ceiling of 2.5 gwei",
                CosignCheck.feeAboveCeiling(tx(LEGACY), new CosignCheck.FeeCeiling(new BigInteger("2500000000"),
                        null)));
    }

    @Test
    void checkRunsTheRulesInOrderAndAnswersTheReview() {
        CosignCheck.Transfer asked = new CosignCheck.Transfer("w", TO, new BigInteger("1000000000000000"), null,
                BigInteger.valueOf(31337));
        CosignCheck.Outcome ok = CosignCheck.check(ETH, hash(ETH), "w", asked, null, null);
        CosignCheck.Review r = assertInstanceOf(CosignCheck.Outcome.Ok.class, ok).review();
        assertEquals("0.001 ETH", r.amountText());
        assertEquals(hash(ETH), ((CosignCheck.Outcome.Ok) ok).tx().signingHash().length == 32 ? r.signingHashHex()
                : null);

        CosignCheck.Fields bad = new CosignCheck.Fields("EIP1559", "01", "4", "1", "2", null, "21000", TO, "1", "0x");
        assertEquals(new CosignCheck.Outcome.Refused(CosignCheck.Rule.INVALID_FIELDS,
                "chainId must be a non-negative decimal integer"), CosignCheck.check(bad, hash(ETH), "w", asked, null,
                null));
        CosignCheck.Outcome wrongHash = CosignCheck.check(ETH, hash(LEGACY), "w", asked, null, null);
        assertEquals(new CosignCheck.Outcome.Refused(CosignCheck.Rule.HASH_MISMATCH, "the bank's signing hash "
                + hash(LEGACY) + " does not match the hash of the request's fields (" + hash(ETH) + ")"), wrongHash);
        CosignCheck.Outcome otherWallet = CosignCheck.check(ETH, hash(ETH), "v", asked, null, null);
        assertEquals(CosignCheck.Rule.NOT_THE_TRANSFER,
                assertInstanceOf(CosignCheck.Outcome.Refused.class, otherWallet).rule());
        CosignCheck.Outcome tooDear = CosignCheck.check(ETH, hash(ETH), "w", asked, null,
                new CosignCheck.FeeCeiling(BigInteger.ONE, null));
        CosignCheck.Outcome.Refused refused = assertInstanceOf(CosignCheck.Outcome.Refused.class, tooDear);
        assertEquals(CosignCheck.Rule.FEE_ABOVE_CEILING, refused.rule());
        assertTrue(refused.detail().startsWith("its max fee per gas 30 gwei"), refused.detail());
        // without a transfer to compare (the raw `sign` command): hash and ceiling only
        assertInstanceOf(CosignCheck.Outcome.Ok.class, CosignCheck.check(ETH, hash(ETH), "v", null, null, null));
    }

    @Test
    void anAssetIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new CosignCheck.Asset("", 6, null));
        assertThrows(IllegalArgumentException.class, () -> new CosignCheck.Asset("X", -2, null));
        assertThrows(IllegalArgumentException.class, () -> new CosignCheck.Asset("X", 6, "0x12"));
    }
}
