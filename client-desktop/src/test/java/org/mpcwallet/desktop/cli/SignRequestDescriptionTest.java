package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.desktop.core.SignRequest;
import org.mpcwallet.desktop.core.SigningCheck;
import org.mpcwallet.desktop.core.TxFields;
import org.mpcwallet.desktop.core.WalletException;

/**
 * What the device prints before it asks to co-sign: the fees of the transaction's own type, then the review in
 * units a person reads. The expected texts are written out by hand from the fields (21000 gas × 2 gwei = 42000 gwei
 * = 0.000042 ETH), never computed with the code under test.
 */
class SignRequestDescriptionTest {
    private static final String TO = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    /** The bank sends addresses in lower case; the review shows EIP-55. */
    private static final String TO_LOWER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private static final String TOKEN = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
    /** transfer(TO, 1500000): selector a9059cbb, the address and the amount as 32-byte words. */
    private static final String TRANSFER_1_5_USDC = "0xa9059cbb"
            + "00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
            + "000000000000000000000000000000000000000000000000000000000016e360";

    private static SignRequest request(TxFields f) {
        String hash = "0x" + Bytes.toHex(f.toTransaction().signingHash());
        return new SignRequest("req-1", "wallet-1", "PENDING", f, hash, null, null, null, null, null, null);
    }

    private static String describe(TxFields f) {
        return WalletCli.describe(SigningCheck.check(request(f)));
    }

    @Test
    void anEip1559RequestShowsBothFees() {
        String shown = describe(new TxFields("31337", "4", "1000000000", "2000000000", "21000", TO, "1000", "0x"));
        assertTrue(shown.contains("max fee:      2000000000 wei/gas"), shown);
        assertTrue(shown.contains("priority fee: 1000000000 wei/gas"), shown);
        assertFalse(shown.contains("gas price"), shown);
        assertTrue(shown.contains("nonce:        4"), shown);
    }

    @Test
    void aLegacyRequestShowsItsGasPriceAndSaysItIsLegacy() {
        String shown = describe(TxFields.legacy("31337", "4", "1500000000", "21000", TO, "1000", "0x"));
        assertTrue(shown.contains("gas price:    1500000000 wei/gas (legacy EIP-155 transaction)"), shown);
        assertFalse(shown.contains("max fee"), shown);
        assertTrue(shown.contains("(computed on this device; equals the bank's)"), shown);
    }

    @Test
    void anEthTransferIsReviewedInEthAndGwei() {
        SignRequest r = request(new TxFields("31337", "4", "1000000000", "2000000000", "21000", TO_LOWER,
                "1500000000000000000", "0x"));
        String shown = WalletCli.describe(SigningCheck.check(r));
        assertTrue(shown.startsWith("Sign request req-1 of wallet wallet-1\n"), shown);
        assertTrue(shown.endsWith("""
                  signing hash: %s (computed on this device; equals the bank's)
                You are about to co-sign (computed on this device):
                  type:           EIP-1559 (type 2)
                  recipient:      0x70997970C51812dc3A010C7d01b50e0d17dc79C8
                  amount:         1.5 ETH
                  chain id:       31337
                  nonce:          4
                  fee cap:        2 gwei per gas
                  priority fee:   1 gwei per gas
                  gas limit:      21000
                  maximum fee:    0.000042 ETH (gas limit × fee cap)""".formatted(r.signingHash())), shown);
    }

    @Test
    void aLegacyTransferIsReviewedWithItsGasPriceInGwei() {
        String shown = describe(TxFields.legacy("1", "7", "1500000000", "21000", TO, "1", "0x"));
        assertTrue(shown.contains("""
                  type:           legacy (EIP-155)
                  recipient:      0x70997970C51812dc3A010C7d01b50e0d17dc79C8
                  amount:         0.000000000000000001 ETH
                  chain id:       1
                  nonce:          7
                  gas price:      1.5 gwei per gas
                  gas limit:      21000
                  maximum fee:    0.0000315 ETH (gas limit × gas price)
                """.stripTrailing()), shown);
        assertFalse(shown.contains("priority fee:   "), shown);
    }

    @Test
    void anErc20TransferIsReviewedAsTheTokenWithItsContract() {
        TxFields f = new TxFields("31337", "0", "1000000000", "3000000000", "65000", TOKEN.toLowerCase(), "0",
                TRANSFER_1_5_USDC);
        String known = WalletCli.describe(SigningCheck.check(request(f), new CosignCheck.Asset("USDC", 6, TOKEN)));
        assertTrue(known.contains("""
                  recipient:      0x70997970C51812dc3A010C7d01b50e0d17dc79C8
                  amount:         1.5 USDC
                  token contract: 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48 (ERC-20 transfer)
                  chain id:       31337
                  nonce:          0
                  fee cap:        3 gwei per gas
                  priority fee:   1 gwei per gas
                  gas limit:      65000
                  maximum fee:    0.000195 ETH (gas limit × fee cap)
                """.stripTrailing()), known);
        // cosign knows the symbol and the contract, not the decimals: the amount is shown in base units
        String unknownDecimals = WalletCli.describe(SigningCheck.check(request(f),
                new CosignCheck.Asset("USDC", -1, TOKEN)));
        assertTrue(unknownDecimals.contains("  amount:         1500000 base units of USDC\n"), unknownDecimals);
        assertTrue(unknownDecimals.contains("  token contract: 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"),
                unknownDecimals);
    }

    @Test
    void callDataThatIsNotADecodedTransferIsSaidToBeThere() {
        String shown = describe(new TxFields("31337", "0", "1", "2", "50000", TO, "5", "0x12345678"));
        assertTrue(shown.contains("  amount:         0.000000000000000005 ETH\n"
                + "  call data:      4 bytes, not decoded: the transaction may do more than send the amount above\n"),
                shown);
        assertFalse(shown.contains("token contract"), shown);
        assertFalse(describe(new TxFields("31337", "0", "1", "2", "50000", TO, "5", "0x")).contains("call data"));
    }

    @Test
    void aFeeCeilingIsShownWhenTheMaximumFeeIsWithinItAndRefusesOtherwise() {
        TxFields f = new TxFields("31337", "4", "1000000000", "2000000000", "21000", TO, "1000", "0x");
        BigInteger exactlyTheMaximum = new BigInteger("42000000000000");
        SigningCheck.Checked ok = SigningCheck.check(request(f), CosignCheck.Asset.ETH,
                SigningCommands.feeCeiling(exactlyTheMaximum));
        String shown = Views.describe(ok, exactlyTheMaximum);
        assertTrue(shown.endsWith("  maximum fee:    0.000042 ETH (gas limit × fee cap)\n"
                + "  fee ceiling:    0.000042 ETH (--max-fee-eth; the maximum fee is within it)"), shown);
        assertFalse(WalletCli.describe(ok).contains("fee ceiling"));

        WalletException e = assertThrows(WalletException.class, () -> SigningCheck.check(request(f),
                CosignCheck.Asset.ETH, SigningCommands.feeCeiling(exactlyTheMaximum.subtract(BigInteger.ONE))));
        assertEquals("refusing to sign request req-1: its maximum fee 0.000042 ETH (gas limit 21000 × max fee per gas "
                + "2 gwei) is above the ceiling of 0.000041999999999999 ETH", e.getMessage());
    }
}
