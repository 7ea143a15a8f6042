package org.mpcwallet.crypto.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.eth.EthAddress;

/** The device's own pinned tokens: found by chain and contract only; anything else shows base units. */
class KnownTokensTest {
    private static final String USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";

    @Test
    void aPinnedTokenIsFoundByChainAndContractInAnyCase() {
        KnownTokens.Token t = KnownTokens.find(BigInteger.ONE, USDC.toLowerCase());
        assertEquals("USDC", t.symbol());
        assertEquals(6, t.decimals());
        CosignCheck.Asset a = KnownTokens.asset(BigInteger.ONE, USDC, "NOT-USDC");
        assertEquals("USDC", a.symbol(), "the pinned symbol, never the bank's");
        assertEquals(6, a.decimals());
        assertEquals(USDC, a.tokenContract());
    }

    @Test
    void theSameContractOnAnotherChainOrAnUnknownContractHasUnknownDecimals() {
        assertNull(KnownTokens.find(BigInteger.valueOf(31337), USDC));
        CosignCheck.Asset other = KnownTokens.asset(BigInteger.valueOf(31337), USDC, "USDC");
        assertEquals(-1, other.decimals());
        assertEquals("USDC", other.symbol());
        assertEquals("tokens", KnownTokens.asset(BigInteger.ONE, "0x5FbDB2315678afecb367f032d93F642f64180aa3", null)
                .symbol());
        assertNull(KnownTokens.find(null, USDC));
        assertNull(KnownTokens.find(BigInteger.ONE, null));
    }

    @Test
    void everyPinnedContractIsWrittenInItsChecksumForm() {
        for (String c : new String[] {USDC, "0xdAC17F958D2ee523a2206206994597C13D831ec7",
            "0x6B175474E89094C44Da98b954EedeAC495271d0F", "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"}) {
            assertEquals(c, EthAddress.parse(c).toChecksumHex());
            assertEquals(c, KnownTokens.find(BigInteger.ONE, c).contract());
        }
        String sepoliaUsdc = "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238";
        assertEquals(sepoliaUsdc, EthAddress.parse(sepoliaUsdc).toChecksumHex());
        assertEquals(6, KnownTokens.find(BigInteger.valueOf(11155111), sepoliaUsdc).decimals());
    }
}
