package org.mpcwallet.bank.value;

import java.util.Locale;

/**
 * What is sent: {@code ETH} or a registered token's symbol, 1-16 of {@code A-Z 0-9} (the {@code tx_requests.asset}
 * constraint). Read case-insensitively; whether a token symbol is registered is the token feature's question.
 */
public record AssetSymbol(String symbol) {
    public static final AssetSymbol ETH = new AssetSymbol("ETH");

    public AssetSymbol {
        if (symbol == null || !symbol.matches("[A-Z0-9]{1,16}")) {
            throw new IllegalArgumentException("an asset symbol is 1-16 of A-Z 0-9");
        }
    }

    /** {@code text} read as the asset in {@code field}; none given is ETH. */
    public static Parsed<AssetSymbol> parse(String field, String text) {
        if (text == null) {
            return Parsed.ok(ETH);
        }
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (!s.matches("[A-Z0-9]{1,16}")) {
            return Parsed.refused(field + " must be ETH or a registered token symbol");
        }
        return Parsed.ok(new AssetSymbol(s));
    }

    public boolean isEth() {
        return symbol.equals("ETH");
    }

    @Override
    public String toString() {
        return symbol;
    }
}
