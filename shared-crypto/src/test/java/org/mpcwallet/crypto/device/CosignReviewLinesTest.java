package org.mpcwallet.crypto.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;

/** The co-sign dialog's lines, computed by hand for an ETH transfer and a token transfer, and a refusal. */
class CosignReviewLinesTest {
    private static final String TO = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    private static CosignReview.Asked asked(String token, String amount) {
        return new CosignReview.Asked("tx-9", "rent", TO, amount, token == null ? "ETH" : "USDX", token);
    }

    private static Map<String, String> rows(CosignReview r) {
        return r.rows().stream().filter(x -> !x.label().isEmpty())
                .collect(Collectors.toMap(CosignReview.Row::label, CosignReview.Row::value));
    }

    @Test
    void anEthTransferShowsRecipientAmountFeesAndTotal() {
        // 21000 gas × 30 gwei = 0.00063 ETH at most in fees; 0.1 ETH + that = 0.10063 ETH
        Eip1559Transaction tx = new Eip1559Transaction(BigInteger.valueOf(31337), BigInteger.valueOf(4),
                BigInteger.valueOf(1_500_000_000L), BigInteger.valueOf(30_000_000_000L), BigInteger.valueOf(21_000),
                EthAddress.parse(TO), new BigInteger("100000000000000000"), new byte[0]);
        CosignReview r = CosignReview.matching(CosignCheck.review(tx, CosignCheck.Asset.ETH), asked(null,
                "100000000000000000"));
        Map<String, String> m = rows(r);
        assertTrue(r.mayCoSign());
        assertEquals(TO, m.get("Pays"));
        assertEquals("0.1 ETH", m.get("Amount"));
        assertEquals("Local test chain (chain 31337)", m.get("Network"));
        assertEquals("0.00063 ETH", m.get("Maximum fee"));
        assertEquals("0.10063 ETH", m.get("Total at most"));
        assertEquals("30 gwei (tip up to 1.5 gwei), gas limit 21000", m.get("Fee cap per gas"));
        assertEquals("EIP-1559, nonce 4", m.get("Transaction"));
        assertTrue(m.get("Signing hash").startsWith("0x"), m.get("Signing hash"));
        assertTrue(r.verdict().contains("(\"rent\")"), r.verdict());
    }

    @Test
    void aTokenTransferIsDecodedFromItsCallDataInBaseUnitsWhenTheDecimalsAreUnknown() {
        String token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        byte[] data = Erc20.transferCalldata(EthAddress.parse(TO), BigInteger.valueOf(2_500_000));
        Eip1559Transaction tx = new Eip1559Transaction(BigInteger.ONE, BigInteger.ZERO, BigInteger.ONE,
                BigInteger.valueOf(10_000_000_000L), BigInteger.valueOf(60_000), EthAddress.parse(token),
                BigInteger.ZERO, data);
        CosignReview r = CosignReview.matching(CosignCheck.review(tx, new CosignCheck.Asset("USDX", -1, token)),
                asked(token, "2500000"));
        Map<String, String> m = rows(r);
        assertEquals(TO, m.get("Pays"), "the payee from the call data, not the contract");
        assertEquals("2500000 base units of USDX", m.get("Amount"));
        assertEquals(token, m.get("Token contract"));
        assertEquals("Ethereum mainnet (chain 1)", m.get("Network"));
        assertEquals("0.0006 ETH", m.get("Maximum fee"));
        assertFalse(m.containsKey("Total at most"), "a token and ETH do not add up");
        assertTrue(r.rows().stream().anyMatch(x -> x.value().contains("does not know the token's decimals")));
    }

    @Test
    void aRefusalHasNothingToSign() {
        CosignReview r = CosignReview.refused("refusing to co-sign sign request s-1 for transaction request tx-9: it "
                + "pays 0x3535353535353535353535353535353535353535, not " + TO, asked(null, "100000000000000000"));
        assertFalse(r.mayCoSign());
        assertTrue(r.title().startsWith("Refused"));
        assertTrue(r.verdict().startsWith("Refusing to co-sign sign request s-1"), r.verdict());
        assertTrue(r.verdict().endsWith("Nothing was signed. Tell your bank; do not sign this request elsewhere."));
        assertEquals(TO, rows(r).get("You asked to pay"));
        assertEquals("0.1 ETH", rows(r).get("Amount asked"));
    }
}
