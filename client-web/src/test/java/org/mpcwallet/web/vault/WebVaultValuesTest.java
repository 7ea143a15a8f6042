package org.mpcwallet.web.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.Utf8;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.vault.VaultFailureKind;
import org.mpcwallet.crypto.vault.VaultField;

/**
 * The plain-Java parts the browser vault relies on, on the JVM: shared-crypto's public result and failure values as
 * {@link WebCryptoVault} builds them (text, redaction), the strict UTF-8 encoder ({@link Utf8}, public in
 * shared-crypto) agrees with the JDK on well-formed text and refuses unpaired surrogates, and {@link FixedDraws}
 * hands out exactly what it was given.
 */
class WebVaultValuesTest {
    @Test
    void successNeverPrintsItsValue() {
        Result<byte[], VaultFailure> r = Result.ok(new byte[] {0x2a});
        assertTrue(r.isOk());
        assertThrows(IllegalStateException.class, r::failure);
        assertEquals("Ok[value redacted]", r.toString());
    }

    @Test
    void failuresReadAndPrintLikeShareVaults() {
        Result<?, VaultFailure> jvm = ShareVault.inspect(new byte[] {0x4d, 0x50});
        VaultFailure f = jvm.failure();
        VaultFailure w = new VaultFailure(f.kind(), f.field(), f.reason());
        assertEquals(f.kind(), w.kind());
        assertEquals(f.field(), w.field());
        assertEquals(f.reason(), w.reason());
        assertEquals(f.toString(), w.toString());
        assertEquals(f, w);
        assertEquals(jvm.toString(), Result.err(w).toString());
        assertEquals(VaultField.MAGIC, w.field());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Result.err(w).value());
        assertEquals("the operation failed: " + f, e.getMessage());
        assertEquals(new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null, "x"),
                new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null, "x"));
        assertEquals("VaultFailure[WRONG_PASSWORD_OR_TAMPERED: r]",
                new VaultFailure(VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null, "r").toString());
    }

    @Test
    void strictUtf8AgreesWithTheJdkOnWellFormedText() {
        for (String s : new String[] {"", "a", "correct horse battery staple", "Gr\u00fc\u00dfe-\u5bc6\u7801-\ud83d\udd11",
                "\u007f\u0080\u07ff\u0800\uffff\ud800\udc00\udbff\udfff"}) {
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Utf8.encode(s, "s"), s);
        }
        SecureRandom rnd = new SecureRandom();
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 8; k++) {
                int cp = rnd.nextInt(Character.MAX_CODE_POINT + 1);
                if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                    sb.appendCodePoint(cp);
                }
            }
            String s = sb.toString();
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Utf8.encode(s, "s"));
        }
    }

    @Test
    void strictUtf8RefusesUnpairedSurrogates() {
        for (String s : new String[] {"\ud800", "a\udc00", "\ud83d", "\ud83da", "\udd11\ud83d"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Utf8.encode(s, "password"));
            assertTrue(e.getMessage().startsWith("password contains an unpaired surrogate at index "), e.getMessage());
        }
    }

    @Test
    void fixedDrawsHandOutExactlyTheirValuesInOrder() {
        FixedDraws d = new FixedDraws(new byte[] {1, 2}, new byte[] {3});
        byte[] a = new byte[2];
        d.nextBytes(a);
        assertArrayEquals(new byte[] {1, 2}, a);
        assertFalse(d.exhausted());
        assertThrows(IllegalStateException.class, () -> d.nextBytes(new byte[2]));
        byte[] b = new byte[1];
        d.nextBytes(b);
        assertArrayEquals(new byte[] {3}, b);
        assertTrue(d.exhausted());
        assertThrows(IllegalStateException.class, () -> d.nextBytes(new byte[1]));
    }

    @Test
    void fixedDrawsReproduceAVectorWithTheJvmVault() {
        // The same RandomSource contract the browser's known-answer seal relies on: salt first, then nonce.
        byte[] salt = new byte[16];
        byte[] nonce = new byte[12];
        for (int i = 0; i < 16; i++) {
            salt[i] = (byte) i;
        }
        for (int i = 0; i < 12; i++) {
            nonce[i] = (byte) (0xa0 + i);
        }
        FixedDraws d = new FixedDraws(salt, nonce);
        RandomSource rng = d;
        byte[] env = ShareVault.seal("correct horse battery staple".toCharArray(), "wallet-0001", Party.P2,
                new byte[] {0x2a}, rng);
        assertTrue(d.exhausted());
        assertEquals("4d5043560101000927c0000102030405060708090a0b0c0d0e0f01a0a1a2a3a4a5a6a7a8a9aaab02000b77616c6c65742d"
                + "303030310000001181624c19ea87ec0fd09d4047a10d260b36", java.util.HexFormat.of().formatHex(env));
    }
}
