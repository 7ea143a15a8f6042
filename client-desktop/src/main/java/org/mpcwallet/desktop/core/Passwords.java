package org.mpcwallet.desktop.core;

import java.nio.CharBuffer;
import java.text.Normalizer;
import java.util.Arrays;

/**
 * The user's password as the wallet uses it: NFC-normalised (docs/vault-format.md §3.1 makes normalisation the
 * caller's job, so the desktop and the browser derive the same vault key from what the user typed). In this version
 * the same password logs in to the bank and seals the shares.
 */
public final class Passwords {
    private Passwords() {}

    /** NFC form of {@code typed}; the input array is wiped. Refuses the empty password. */
    public static char[] normalize(char[] typed) {
        if (typed == null || typed.length == 0) {
            throw new WalletException("the password is empty");
        }
        String nfc = Normalizer.normalize(CharBuffer.wrap(typed), Normalizer.Form.NFC);
        Arrays.fill(typed, '\0');
        return nfc.toCharArray();
    }

    public static void wipe(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
