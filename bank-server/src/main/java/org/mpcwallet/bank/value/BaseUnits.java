package org.mpcwallet.bank.value;

import java.math.BigInteger;

/**
 * An amount in an asset's base units (wei for ETH): a positive whole number below 2^256, read from its decimal text
 * without sign, leading zeros or separators.
 */
public record BaseUnits(BigInteger value) {
    public BaseUnits {
        if (value == null || value.signum() <= 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("an amount is positive and below 2^256 base units");
        }
    }

    /** {@code text} read as the amount in {@code field}. */
    public static Parsed<BaseUnits> parse(String field, String text) {
        if (text == null || !text.matches("[1-9][0-9]{0,77}")) {
            return Parsed.refused(field + " must be a positive decimal integer in base units (wei for ETH)");
        }
        BigInteger v = new BigInteger(text);
        if (v.bitLength() > 256) {
            return Parsed.refused(field + " must be below 2^256 base units");
        }
        return Parsed.ok(new BaseUnits(v));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
