package org.mpcwallet.crypto.device;

import java.math.BigInteger;

/**
 * Amounts as the device shows them: an integer of base units as an exact plain decimal (no exponent, no trailing
 * zeros, "0" for zero), without {@code BigDecimal} so that the browser build shows the same text.
 */
public final class Amounts {
    /** Wei per ETH is 10^18; wei per gwei 10^9. */
    public static final int ETH_DECIMALS = 18;
    public static final int GWEI_DECIMALS = 9;

    private Amounts() {
    }

    /** {@code amount} base units at {@code decimals} (0 .. 255) as an exact plain decimal, e.g. 1500 at 3 is "1.5". */
    public static String units(BigInteger amount, int decimals) {
        if (amount == null) {
            throw new IllegalArgumentException("amount is required");
        }
        if (decimals < 0 || decimals > 255) {
            throw new IllegalArgumentException("decimals must be between 0 and 255");
        }
        if (amount.signum() == 0) {
            return "0";
        }
        String digits = amount.abs().toString();
        StringBuilder b = new StringBuilder();
        for (int i = digits.length(); i <= decimals; i++) {
            b.append('0');
        }
        b.append(digits);
        String padded = b.toString();
        String whole = padded.substring(0, padded.length() - decimals);
        int end = padded.length();
        while (end > whole.length() && padded.charAt(end - 1) == '0') {
            end--;
        }
        String fraction = padded.substring(whole.length(), end);
        return (amount.signum() < 0 ? "-" : "") + whole + (fraction.isEmpty() ? "" : "." + fraction);
    }

    /** {@code wei} in ETH, exact (e.g. 1000 wei is "0.000000000000001"). */
    public static String eth(BigInteger wei) {
        return units(wei, ETH_DECIMALS);
    }

    /** {@code wei} in gwei, exact (e.g. 1500000000 wei is "1.5"). */
    public static String gwei(BigInteger wei) {
        return units(wei, GWEI_DECIMALS);
    }
}
