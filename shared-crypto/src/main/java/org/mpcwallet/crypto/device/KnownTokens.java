package org.mpcwallet.crypto.device;

import java.math.BigInteger;

/**
 * The tokens whose symbol and decimals the device knows itself (docs/client-desktop.md "Co-sign"): a bank that lied
 * about a token's decimals could make an amount look a thousand times smaller, so the co-sign review shows units
 * only for the tokens pinned here, by chain and contract, and base units for any other token. The list is short on
 * purpose; adding a token is a code change reviewed like any other.
 */
public final class KnownTokens {
    /** One pinned token: chain, contract (EIP-55), symbol, decimals. */
    public record Token(long chainId, String contract, String symbol, int decimals) {
    }

    private static final Token[] TOKENS = {
        new Token(1, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", "USDC", 6),
        new Token(1, "0xdAC17F958D2ee523a2206206994597C13D831ec7", "USDT", 6),
        new Token(1, "0x6B175474E89094C44Da98b954EedeAC495271d0F", "DAI", 18),
        new Token(1, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "WETH", 18),
        new Token(11155111, "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238", "USDC", 6),
    };

    private KnownTokens() {
    }

    /** The pinned token at {@code contract} on {@code chainId}, or null (compared without regard to case). */
    public static Token find(BigInteger chainId, String contract) {
        if (chainId == null || contract == null) {
            return null;
        }
        for (Token t : TOKENS) {
            if (BigInteger.valueOf(t.chainId()).equals(chainId) && t.contract().equalsIgnoreCase(contract)) {
                return t;
            }
        }
        return null;
    }

    /**
     * How the co-sign review shows an amount of the token at {@code contract}: the pinned symbol and decimals, else
     * the bank's symbol (or "tokens") with unknown decimals (base units).
     */
    public static CosignCheck.Asset asset(BigInteger chainId, String contract, String bankSymbol) {
        Token t = find(chainId, contract);
        if (t != null) {
            return new CosignCheck.Asset(t.symbol(), t.decimals(), contract);
        }
        return new CosignCheck.Asset(bankSymbol == null || bankSymbol.isEmpty() ? "tokens" : bankSymbol, -1,
                contract);
    }
}
