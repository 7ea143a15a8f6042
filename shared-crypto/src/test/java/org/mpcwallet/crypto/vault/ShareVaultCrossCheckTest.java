package org.mpcwallet.crypto.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Party;

/** (a) The Bouncy Castle PBKDF2 and AES-GCM paths agree byte for byte with the JDK's javax.crypto. */
class ShareVaultCrossCheckTest {
    private static final String[] PASSWORDS = {
        "a",
        "correct horse battery staple",
        "Gr\u00fc\u00dfe-\u5bc6\u7801-\ud83d\udd11",
        "\u00e9\u00e8\u00ea \u0416\u0438\u0437\u043d\u044c \ud83d\ude00\ud83d\ude00 "
                + "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
        "x".repeat(200)
    };

    static byte[] jdkPbkdf2(char[] password, byte[] salt, int iterations) throws Exception {
        SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        return f.generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
    }

    static byte[] jdkGcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        return c.doFinal(input);
    }

    @Test
    void passwordEncodingIsUtf8LikeTheJdk() {
        for (String pw : PASSWORDS) {
            assertArrayEquals(pw.getBytes(StandardCharsets.UTF_8), Utf8.encode(pw.toCharArray(), "password"), pw);
        }
    }

    @Test
    void pbkdf2MatchesJdkAtLowIterationCounts() throws Exception {
        Random r = new Random(1);
        for (String pw : PASSWORDS) {
            for (int iterations : new int[] {1, 2, 1000}) {
                byte[] salt = new byte[16];
                r.nextBytes(salt);
                assertArrayEquals(jdkPbkdf2(pw.toCharArray(), salt, iterations),
                        ShareVault.deriveKey(pw.toCharArray(), salt, iterations), pw + " / " + iterations);
            }
        }
    }

    @Test
    void pbkdf2MatchesJdkAtTheMinimumIterationCount() throws Exception {
        char[] pw = PASSWORDS[2].toCharArray();
        byte[] salt = new byte[16];
        new Random(2).nextBytes(salt);
        assertArrayEquals(jdkPbkdf2(pw, salt, ShareVault.MIN_ITERATIONS),
                ShareVault.deriveKey(pw, salt, ShareVault.MIN_ITERATIONS));
    }

    @Test
    void gcmMatchesJdkForManyLengths() throws Exception {
        Random r = new Random(3);
        for (int len = 0; len <= 100; len++) {
            checkGcm(r, len, len % 81);
        }
        checkGcm(r, 1000, 53);
        checkGcm(r, 4096, 200);
    }

    private static void checkGcm(Random r, int len, int aadLen) throws Exception {
        byte[] key = bytes(r, 32);
        byte[] nonce = bytes(r, 12);
        byte[] aad = bytes(r, aadLen);
        byte[] pt = bytes(r, len);
        byte[] jdk = jdkGcm(Cipher.ENCRYPT_MODE, key, nonce, aad, pt);
        assertArrayEquals(jdk, ShareVault.gcm(true, key, nonce, aad, pt), "encrypt, length " + len);
        assertArrayEquals(pt, ShareVault.gcm(false, key, nonce, aad, jdk), "decrypt, length " + len);
        assertArrayEquals(pt, jdkGcm(Cipher.DECRYPT_MODE, key, nonce, aad, jdk), "jdk decrypt, length " + len);
    }

    /** Every bit of a header-shaped AAD, of the ciphertext and of the tag is bound by the tag. */
    @Test
    void gcmTagBindsEveryBitOfAadCiphertextAndTag() throws Exception {
        Random r = new Random(4);
        byte[] key = bytes(r, 32);
        byte[] nonce = bytes(r, 12);
        byte[] aad = bytes(r, ShareVault.FIXED_HEADER_BYTES + 11);
        byte[] sealed = ShareVault.gcm(true, key, nonce, aad, bytes(r, 33));
        for (int bit = 0; bit < aad.length * 8; bit++) {
            byte[] a = flipBit(aad, bit);
            assertThrows(InvalidCipherTextException.class, () -> ShareVault.gcm(false, key, nonce, a, sealed),
                    "aad bit " + bit);
        }
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] s = flipBit(sealed, bit);
            assertThrows(InvalidCipherTextException.class, () -> ShareVault.gcm(false, key, nonce, aad, s),
                    "ciphertext/tag bit " + bit);
        }
        for (int bit = 0; bit < nonce.length * 8; bit++) {
            byte[] n = flipBit(nonce, bit);
            assertThrows(InvalidCipherTextException.class, () -> ShareVault.gcm(false, key, n, aad, sealed),
                    "nonce bit " + bit);
        }
    }

    /** A whole envelope from seal() opens with nothing but the JDK and the byte layout of docs/vault-format.md. */
    @Test
    void sealedEnvelopeDecryptsWithJdkOnly() throws Exception {
        Random r = new Random(5);
        byte[] salt = bytes(r, 16);
        byte[] nonce = bytes(r, 12);
        byte[] share = bytes(r, 100);
        char[] pw = PASSWORDS[3].toCharArray();
        String walletId = "w-\u00e9t\u00e9";
        byte[] env = ShareVault.seal(pw, walletId, Party.P1, share, new FixedRandom(salt, nonce));

        byte[] walletIdUtf8 = walletId.getBytes(StandardCharsets.UTF_8);
        int aadLen = 42 + walletIdUtf8.length;
        byte[] aad = Arrays.copyOf(env, aadLen);
        assertArrayEquals(VaultVectorGenerator.header(ShareVault.DEFAULT_ITERATIONS, salt, nonce, 1, walletIdUtf8),
                aad);
        int ctLen = ((env[aadLen] & 0xff) << 24) | ((env[aadLen + 1] & 0xff) << 16) | ((env[aadLen + 2] & 0xff) << 8)
                | (env[aadLen + 3] & 0xff);
        byte[] sealed = Arrays.copyOfRange(env, aadLen + 4, env.length);
        assertEquals(share.length + 16, ctLen);
        assertEquals(sealed.length, ctLen);
        assertArrayEquals(share, jdkGcm(Cipher.DECRYPT_MODE, jdkPbkdf2(pw, salt, ShareVault.DEFAULT_ITERATIONS),
                nonce, aad, sealed));
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static byte[] flipBit(byte[] b, int bit) {
        byte[] c = b.clone();
        c[bit / 8] ^= (byte) (1 << (bit % 8));
        return c;
    }
}
