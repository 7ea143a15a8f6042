package org.mpcwallet.bank.pipeline;

import java.util.Locale;

/**
 * The strict text forms the pipeline accepts for Ethereum values: an address is {@code 0x} followed by exactly 40 hex
 * digits, a transaction hash {@code 0x} followed by exactly 64 (either case of hex digit; the prefix is lower-case).
 * The same forms as the {@code V7__pipeline.sql} check constraints. No EIP-55 checksum check: addresses are compared
 * case-insensitively, by their lower-case form.
 */
public final class EthFormats {
    private EthFormats() {
    }

    /** Whether {@code s} is {@code 0x} and 40 hex digits. */
    public static boolean isAddress(String s) {
        return isHex(s, 40);
    }

    /** Whether {@code s} is {@code 0x} and 64 hex digits. */
    public static boolean isTxHash(String s) {
        return isHex(s, 64);
    }

    /**
     * The lower-case form of a valid address.
     *
     * @throws IllegalArgumentException when {@code s} is not an address
     */
    public static String address(String s) {
        if (!isAddress(s)) {
            throw new IllegalArgumentException("not a 0x-prefixed 40-hex-digit address");
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** Whether {@code s} is an asset symbol: 1-16 of {@code A-Z 0-9} (the {@code tx_requests.asset} constraint). */
    public static boolean isAssetSymbol(String s) {
        if (s == null || s.isEmpty() || s.length() > 16) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String s, int digits) {
        if (s == null || s.length() != digits + 2 || s.charAt(0) != '0' || s.charAt(1) != 'x') {
            return false;
        }
        for (int i = 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
