package org.mpcwallet.crypto.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;

/** The shared co-sign check: each rule on its own, with the reason the device shows. */
class CosignCheckTest {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String TOKEN = "0x1111111111111111111111111111111111111111";
    private static final CosignCheck.Fields ETH = new CosignCheck.Fields("EIP1559", "31337", "4", "1000000000",
            "2000000000", null, "21000", TO, "1000", "0x");

    private static EthTransaction tx(CosignCheck.Fields f) {
        return assertInstanceOf(CosignCheck.Built.Ok.class, CosignCheck.build(f), f::toString).tx();
    }

    private static String invalid(CosignCheck.Fields f) {
        return assertInstanceOf(CosignCheck.Built.Invalid.class, CosignCheck.build(f), f::toString).reason();
    }

    @Test
    void buildsTheStatedTypeAndRefusesEachInvalidField() {
        assertEquals(EthTransaction.Type.EIP1559, tx(ETH).type());
        assertEquals(EthTransaction.Type.LEGACY, tx(new CosignCheck.Fields("LEGACY", "1", "0", null, null, "5",
                "21000", TO, "0", null)).type());
        for (Map.Entry<CosignCheck.Fields, String> c : Map.of(
                new CosignCheck.Fields("EIP1559", "01", "4", "1", "2", null, "21000", TO, "1", "0x"),
                "chainId must be a non-negative decimal integer",
                new CosignCheck.Fields("EIP1559", "1", "-4", "1", "2", null, "21000", TO, "1", "0x"),
                "nonce must be a non-negative decimal integer",
                new CosignCheck.Fields("EIP1559", "1", "4", "1", "2", null, "21000", "0x1234", "1", "0x"),
                "to: ",
                new CosignCheck.Fields("EIP1559", "1", "4", "1", "2", null, "21000", TO, "1", "abcd"),
                "data: must start with 0x",
                new CosignCheck.Fields("LEGACY", "1", "4", "1", null, "5", "21000", TO, "1", "0x"),
                "a LEGACY transaction carries gasPrice, not EIP-1559 fees",
                new CosignCheck.Fields("EIP1559", "1", "4", "1", "2", "5", "21000", TO, "1", "0x"),
                "an EIP1559 transaction carries maxPriorityFeePerGas and maxFeePerGas, not gasPrice",
                new CosignCheck.Fields("EIP1559", "1", "4", "3", "2", null, "21000", TO, "1", "0x"),
                "not a valid EIP-1559 transaction",
                new CosignCheck.Fields("OTHER", "1", "4", "1", "2", null, "21000", TO, "1", "0x"),
                "type: ").entrySet()) {
            String reason = invalid(c.getKey());
            assertTrue(reason.startsWith(c.getValue()), () -> reason + " should start with " + c.getValue());
        }
        assertNull(CosignCheck.decimal("1".repeat(79)));
        assertEquals(BigInteger.ZERO, CosignCheck.decimal("0"));
    }

    @Test
    void theBanksHashMustBeTheDevicesOwn() {
        EthTransaction t = tx(ETH);
        String mine = Bytes.toHex(t.signingHash());
        assertTrue(CosignCheck.hashMatches(t, mine));
        assertTrue(CosignCheck.hashMatches(t, "0x" + mine));
        assertFalse(CosignCheck.hashMatches(t, "0x" + mine.substring(2) + "00"));
        assertFalse(CosignCheck.hashMatches(t, Bytes.toHex(tx(new CosignCheck.Fields("EIP1559", "31337", "5",
                "1000000000", "2000000000", null, "21000", TO, "1000", "0x")).signingHash())));
        assertFalse(CosignCheck.hashMatches(t, "zz"));
        assertFalse(CosignCheck.hashMatches(t, null));
    }

    @Test
    void theTransactionMustBeTheTransferTheUserAskedFor() {
        EthTransaction eth = tx(ETH);
        CosignCheck.Transfer asked = new CosignCheck.Transfer("w1", TO, BigInteger.valueOf(1000), null,
                BigInteger.valueOf(31337));
        assertNull(CosignCheck.mismatch(asked, "w1", eth));
        assertEquals("it belongs to wallet w2, not w1", CosignCheck.mismatch(asked, "w2", eth));
        assertTrue(CosignCheck.mismatch(new CosignCheck.Transfer("w1", TO, BigInteger.valueOf(999), null, null),
                "w1", eth).startsWith("it sends 1000 wei to"));
        assertEquals("its chain id 31337 is not the request's 1", CosignCheck.mismatch(new CosignCheck.Transfer("w1",
                TO, BigInteger.valueOf(1000), null, BigInteger.ONE), "w1", eth));
        String calldata = "0x" + Bytes.toHex(Erc20.transferCalldata(EthAddress.parse(TO), BigInteger.TEN));
        EthTransaction token = tx(new CosignCheck.Fields("EIP1559", "31337", "4", "1", "2", null, "60000", TOKEN, "0",
                calldata));
        CosignCheck.Transfer tokenAsked = new CosignCheck.Transfer("w1", TO, BigInteger.TEN, TOKEN, null);
        assertNull(CosignCheck.mismatch(tokenAsked, "w1", token));
        assertTrue(CosignCheck.mismatch(new CosignCheck.Transfer("w1", TO, BigInteger.TWO, TOKEN, null), "w1", token)
                .startsWith("it is not transfer("));
        assertTrue(CosignCheck.mismatch(asked, "w1", token).startsWith("it sends 0 wei to"));
    }
}
