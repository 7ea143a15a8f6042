package org.mpcwallet.desktop.core;

import java.nio.CharBuffer;
import java.text.Normalizer;
import java.util.Arrays;

/**
 * The user's secrets as the wallet uses them, the login password and the wallet secret alike: NFC-normalised
 * (docs/vault-format.md §3.1 makes normalisation the caller's job, so the desktop and the browser derive the same
 * vault key from what the user typed). The login password logs in to the bank; the wallet secret seals the shares
 * ({@link DeviceSecrets}).
 */
public final class Passwords {
    private Passwords() {}

    /** NFC form of {@code typed}; the input array is wiped. Refuses the empty password. */
    public static char[] normalize(char[] typed) {
        return normalize(typed, "the password");
    }

    /** NFC form of {@code typed}; the input array is wiped. Refuses an empty one ("{@code what} is empty"). */
    public static char[] normalize(char[] typed, String what) {
        if (typed == null || typed.length == 0) {
            throw new WalletException(what + " is empty");
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
