package org.mpcwallet.desktop.ui.model;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.mpcwallet.crypto.eth.EthAddress;

/**
 * The window's fields, checked as typed (docs/client-desktop.md "The window"): the bank's URL, a wallet's name, a
 * recipient address (EIP-55 checksum required), an amount in the asset's units. Pure functions: a field's text in,
 * a {@link Checked} out, with the sentence the user reads next to the field.
 */
public final class Inputs {
    /** The longest wallet name the bank keeps. */
    public static final int MAX_NAME = 64;

    private Inputs() {
    }

    /** The bank's base URL: http or https, a host, an optional port, no path beyond "/", no query. */
    public static Checked<String> serverUrl(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return Checked.invalid("Enter the address of your bank's wallet server, e.g. "
                    + "https://wallet.example-bank.com");
        }
        URI u;
        try {
            u = new URI(t);
        } catch (URISyntaxException e) {
            return Checked.invalid("This is not a web address (" + e.getReason() + ")");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Checked.invalid("The address must start with https:// (or http:// for a bank on this computer)");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            return Checked.invalid("The address has no host name");
        }
        if ((u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
                || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            return Checked.invalid("Enter only the server's address, without a path, e.g. " + scheme + "://"
                    + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()));
        }
        String clean = scheme + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        String note = scheme.equals("http") && !isLoopback(u.getHost())
                ? "Not encrypted: use https:// unless your bank told you otherwise" : null;
        return new Checked.Ok<>(clean, note);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    /** A user name as the bank takes it: 3 to 64 letters, digits, '.', '_' or '-'. */
    public static Checked<String> username(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return Checked.invalid("Enter your user name");
        }
        if (t.length() < 3 || t.length() > 64) {
            return Checked.invalid("A user name has 3 to 64 characters");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            if (!ok) {
                return Checked.invalid("A user name has only letters, digits, '.', '_' and '-'");
            }
        }
        return Checked.ok(t);
    }

    /** A wallet's name: not blank, at most {@link #MAX_NAME} characters. */
    public static Checked<String> walletName(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return Checked.invalid("Give the wallet a name, e.g. Savings");
        }
        if (t.codePointCount(0, t.length()) > MAX_NAME) {
            return Checked.invalid("A wallet name has at most " + MAX_NAME + " characters");
        }
        return Checked.ok(t);
    }

    /**
     * A recipient: "0x" and 40 hex digits with its EIP-55 checksum (the mix of capital and small letters that
     * catches a mistyped character). An address in only small or only capital letters carries no checksum and is
     * refused with what to do; a wrong checksum is refused as a probable typo. The value is the checksummed form.
     */
    public static Checked<String> recipient(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return Checked.invalid("Enter the recipient's address (0x followed by 40 characters)");
        }
        if (!t.startsWith("0x") && !t.startsWith("0X")) {
            return Checked.invalid("An Ethereum address starts with 0x");
        }
        if (t.length() != 42) {
            return Checked.invalid("An Ethereum address has 40 characters after 0x; this one has " + (t.length() - 2));
        }
        String hex = t.substring(2);
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                return Checked.invalid("Character " + (i + 3) + " ('" + hex.charAt(i) + "') is not 0-9 or a-f");
            }
        }
        boolean lower = !hex.equals(hex.toUpperCase(Locale.ROOT));
        boolean upper = !hex.equals(hex.toLowerCase(Locale.ROOT));
        if (!t.startsWith("0x")) {
            return Checked.invalid("An Ethereum address starts with a small 0x");
        }
        if (lower != upper) {
            return Checked.invalid("This address has no checksum (it is all " + (lower ? "small" : "capital")
                    + " letters): copy it with its capital letters (EIP-55) so that a typo cannot send funds "
                    + "elsewhere");
        }
        EthAddress a;
        try {
            a = EthAddress.parse(t);
        } catch (IllegalArgumentException e) {
            return Checked.invalid("The address's checksum does not match: a character is probably mistyped; copy "
                    + "the address again");
        }
        if (a.equals(new EthAddress(new byte[EthAddress.LENGTH]))) {
            return Checked.invalid("This is the zero address: whatever is sent there is lost");
        }
        return Checked.ok(a.toChecksumHex());
    }

    /**
     * An amount in units of an asset with {@code decimals} decimals ("1.5" ETH, "250" USDC), exact, in base units:
     * digits with at most one point and at most {@code decimals} digits after it; more than zero. A comma, a sign, an
     * exponent or a space is refused with what to type.
     */
    public static Checked<BigInteger> amount(String text, int decimals, String symbol) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return Checked.invalid("Enter an amount in " + symbol);
        }
        if (t.startsWith("-")) {
            return Checked.invalid("The amount must be more than 0");
        }
        int dot = t.indexOf('.');
        if (t.indexOf(',') >= 0) {
            return Checked.invalid("Use a point for decimals (1.5), no commas");
        }
        String whole = dot < 0 ? t : t.substring(0, dot);
        String fraction = dot < 0 ? "" : t.substring(dot + 1);
        if ((whole.isEmpty() && fraction.isEmpty()) || !digits(whole) || !digits(fraction)
                || (dot >= 0 && fraction.isEmpty())) {
            return Checked.invalid("Write the amount as a number, e.g. 1.5");
        }
        if (fraction.length() > decimals) {
            return Checked.invalid(symbol + " has " + (decimals == 0 ? "no decimals" : "at most " + decimals
                    + " decimal" + (decimals == 1 ? "" : "s")));
        }
        if (whole.length() > 40) {
            return Checked.invalid("This amount is too large");
        }
        BigInteger base = new BigInteger((whole.isEmpty() ? "0" : whole) + fraction
                + "0".repeat(decimals - fraction.length()));
        if (base.signum() == 0) {
            return Checked.invalid("The amount must be more than 0");
        }
        return Checked.ok(base);
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
