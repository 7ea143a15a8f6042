package org.mpcwallet.bank.auth.app;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt ({@code $2y$}, Bouncy Castle's {@link OpenBSDBCrypt}) with a random 16-byte salt per hash and the cost from
 * {@link AuthConfig#bcryptCost()} (12 by default: about 0.25 s per hash on one core). Verification recomputes the
 * hash with the stored salt and cost and compares in constant time (OpenBSDBCrypt.checkPassword).
 * bcrypt reads at most 72 bytes, so passwords are limited to 72 UTF-8 bytes.
 */
@Singleton
public class PasswordHasher {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_BYTES = 72;

    private final int cost;
    private final SecureRandom random = new SecureRandom();
    /** Checked against when the user does not exist, so an unknown user costs the same time as a wrong password. */
    private final String dummyHash;

    public PasswordHasher(AuthConfig config) {
        this.cost = config.bcryptCost();
        byte[] junk = new byte[16];
        random.nextBytes(junk);
        this.dummyHash = hash(java.util.HexFormat.of().formatHex(junk));
    }

    /** Null when the password meets the policy, otherwise the reason (safe to show to the user). */
    public static String policyViolation(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return "password must be at least " + MIN_LENGTH + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "password must be at most " + MAX_BYTES + " bytes in UTF-8";
        }
        if (password.indexOf('\0') >= 0) {
            return "password must not contain NUL";
        }
        return null;
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    }

    /** Constant-time check; a null hash (unknown user) is checked against a dummy hash and always fails. */
    public boolean verify(String password, String storedHash) {
        boolean usable = password != null && password.indexOf('\0') < 0
                && password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
        char[] pw = usable ? password.toCharArray() : "x".repeat(MIN_LENGTH).toCharArray();
        try {
            boolean ok = OpenBSDBCrypt.checkPassword(storedHash != null ? storedHash : dummyHash, pw);
            return ok && usable && storedHash != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
