package org.mpcwallet.bank.value;

import java.util.Locale;
import org.mpcwallet.crypto.eth.EthAddress;

/**
 * An Ethereum address as the bank stores and compares it: {@code 0x} and 40 lower-case hex digits. Read from text
 * strictly: {@code 0x} and exactly 40 hex digits, and when the text mixes capital and small letters it must carry its
 * EIP-55 checksum (a mistyped address is refused rather than paid).
 */
public record Address(String hex) {
    public Address {
        if (hex == null || !hex.matches("0x[0-9a-f]{40}")) {
            throw new IllegalArgumentException("an address is 0x and 40 lower-case hex digits");
        }
    }

    /** {@code text} read as the address in {@code field}. */
    public static Parsed<Address> parse(String field, String text) {
        if (text == null || !text.matches("0x[0-9a-fA-F]{40}")) {
            return Parsed.refused(field + " must be 0x followed by 40 hex digits");
        }
        try {
            EthAddress.parse(text); // a mixed-case address must carry its EIP-55 checksum
        } catch (IllegalArgumentException e) {
            return Parsed.refused(field + " has mixed case but not its EIP-55 checksum (a typo?); send it all "
                    + "lowercase or correctly checksummed");
        }
        return Parsed.ok(new Address(text.toLowerCase(Locale.ROOT)));
    }

    /** As {@link #parse}, for where funds go: the zero address is refused too. */
    public static Parsed<Address> recipient(String field, String text) {
        Parsed<Address> p = parse(field, text);
        if (p instanceof Parsed.Ok<Address> ok && ok.value().isZero()) {
            return Parsed.refused(field + " is the zero address; funds sent there are lost");
        }
        return p;
    }

    public boolean isZero() {
        return hex.substring(2).chars().allMatch(ch -> ch == '0');
    }

    @Override
    public String toString() {
        return hex;
    }
}
