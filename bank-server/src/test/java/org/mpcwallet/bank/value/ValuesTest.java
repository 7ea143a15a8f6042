package org.mpcwallet.bank.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The values read at the edge: what each accepts, and the reason each refusal gives (the 400's words). */
class ValuesTest {
    private static final String LOWER = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed";
    private static final String CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"; // EIP-55's own example
    private static final String WRONG_CHECKSUM = "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    private static <T> T ok(Parsed<T> p) {
        return p.orElseThrow(reason -> new IllegalArgumentException("refused: " + reason));
    }

    private static String refused(Parsed<?> p) {
        return assertThrows(IllegalStateException.class, () -> p.orElseThrow(IllegalStateException::new))
                .getMessage();
    }

    @Test
    void anAddressIsZeroXAndFortyHexDigitsWithItsChecksumWhenMixedCase() {
        assertEquals(LOWER, ok(Address.parse("to", LOWER)).hex());
        assertEquals(LOWER, ok(Address.parse("to", LOWER.toUpperCase().replace("0X", "0x"))).hex(), "all capitals");
        assertEquals(LOWER, ok(Address.parse("to", CHECKSUMMED)).hex());
        assertEquals("to has mixed case but not its EIP-55 checksum (a typo?); send it all lowercase or correctly "
                + "checksummed", refused(Address.parse("to", WRONG_CHECKSUM)));
        for (String bad : new String[] {null, "", "0x", LOWER.substring(0, 41), LOWER + "0", "0X" + LOWER.substring(2),
                " " + LOWER, LOWER.replace('a', 'g'), "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00"}) {
            assertEquals("to must be 0x followed by 40 hex digits", refused(Address.parse("to", bad)), bad);
        }
        String zero = "0x" + "0".repeat(40);
        assertEquals(zero, ok(Address.parse("address", zero)).hex(), "a contract field may name it");
        assertEquals("to is the zero address; funds sent there are lost", refused(Address.recipient("to", zero)));
        assertThrows(IllegalArgumentException.class, () -> new Address(CHECKSUMMED), "only the stored form");
    }

    @Test
    void anAmountIsAPositiveWholeNumberOfBaseUnitsBelowTwoToThe256() {
        assertEquals(BigInteger.ONE, ok(BaseUnits.parse("amount", "1")).value());
        BigInteger max = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
        assertEquals(max, ok(BaseUnits.parse("amount", max.toString())).value());
        assertEquals("amount must be below 2^256 base units",
                refused(BaseUnits.parse("amount", BigInteger.TWO.pow(256).toString())));
        for (String bad : new String[] {null, "", "0", "-1", "+1", "01", "1.5", "1e3", " 1", "1 000", "0x10",
                "9".repeat(79)}) {
            assertEquals("amount must be a positive decimal integer in base units (wei for ETH)",
                    refused(BaseUnits.parse("amount", bad)), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new BaseUnits(BigInteger.ZERO));
    }

    @Test
    void anAssetIsEthOrATokenSymbol() {
        assertEquals(AssetSymbol.ETH, ok(AssetSymbol.parse("asset", null)), "none given is ETH");
        assertEquals("USDC", ok(AssetSymbol.parse("asset", " usdc ")).symbol());
        for (String bad : new String[] {"", "US-DC", "A".repeat(17), "ÉTH"}) {
            assertEquals("asset must be ETH or a registered token symbol", refused(AssetSymbol.parse("asset", bad)),
                    bad);
        }
    }
}
