package org.mpcwallet.crypto.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;

/** Round trips, argument checks, redaction, inspect() and the strict UTF-8 codec. */
class ShareVaultApiTest {
    private static final char[] PW = "api test password".toCharArray();

    /** The empty share and both roles are covered by the known-answer vectors; this is the size limit. */
    @Test
    void roundTripsAShareOfTheMaximumSize() {
        DeterministicRandom rng = DeterministicRandom.fromLabel("vault-api-roundtrip");
        byte[] big = new byte[ShareVault.MAX_SHARE_BYTES];
        rng.nextBytes(big);
        byte[] env = ShareVault.seal(PW, "w1", Party.P2, big, rng);
        assertEquals(ShareVault.FIXED_HEADER_BYTES + 2 + 4 + big.length + 16, env.length);
        assertArrayEquals(big, ShareVault.open(PW, env, "w1", Party.P2).value());
    }

    @Test
    void sealRejectsInvalidArgumentsBeforeAnyWork() {
        DeterministicRandom rng = DeterministicRandom.fromLabel("args");
        byte[] s = {1};
        assertIae(() -> ShareVault.seal(null, "w", Party.P1, s, rng));
        assertIae(() -> ShareVault.seal(new char[0], "w", Party.P1, s, rng));
        assertIae(() -> ShareVault.seal(new char[] {'a', '\ud800'}, "w", Party.P1, s, rng));
        assertIae(() -> ShareVault.seal(new char[] {'\udc00', 'a'}, "w", Party.P1, s, rng));
        assertIae(() -> ShareVault.seal(PW, null, Party.P1, s, rng));
        assertIae(() -> ShareVault.seal(PW, "", Party.P1, s, rng));
        assertIae(() -> ShareVault.seal(PW, "x".repeat(129), Party.P1, s, rng));
        assertIae(() -> ShareVault.seal(PW, "\u00fc".repeat(65), Party.P1, s, rng)); // 130 bytes of UTF-8
        assertIae(() -> ShareVault.seal(PW, "w\ud800", Party.P1, s, rng));
        assertIae(() -> ShareVault.seal(PW, "w", null, s, rng));
        assertIae(() -> ShareVault.seal(PW, "w", Party.P1, null, rng));
        assertIae(() -> ShareVault.seal(PW, "w", Party.P1, new byte[ShareVault.MAX_SHARE_BYTES + 1], rng));
        assertIae(() -> ShareVault.seal(PW, "w", Party.P1, s, null));
        assertIae(() -> ShareVault.seal(PW, "w", Party.P1, s, rng, ShareVault.MIN_ITERATIONS - 1));
        assertIae(() -> ShareVault.seal(PW, "w", Party.P1, s, rng, ShareVault.MAX_ITERATIONS + 1));
        assertIae(() -> ShareVault.seal(PW, "w", Party.P1, s, rng, -1));
    }

    @Test
    void aFailingRandomSourceFailsClosed() {
        RandomSource broken = out -> {
            throw new IllegalStateException("no secure randomness");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ShareVault.seal(PW, "w", Party.P1, new byte[] {1}, broken));
        assertEquals("no secure randomness", e.getMessage());
    }

    @Test
    void walletIdOf128Utf8BytesIsAccepted() {
        String id = "\u00fc".repeat(64); // 128 bytes
        byte[] env = ShareVault.seal(PW, id, Party.P2, new byte[] {7}, DeterministicRandom.fromLabel("w128"));
        assertEquals(id, ShareVault.inspect(env).value().walletId());
    }

    @Test
    void openRejectsInvalidArguments() {
        byte[] env = VaultVectors.load().valid.get(0).envelope();
        assertIae(() -> ShareVault.open(null, env, "w", Party.P1));
        assertIae(() -> ShareVault.open(new char[0], env, "w", Party.P1));
        assertIae(() -> ShareVault.open(new char[] {'\ud800'}, env, "w", Party.P1));
        assertIae(() -> ShareVault.open(PW, null, "w", Party.P1));
        assertIae(() -> ShareVault.open(PW, env, null, Party.P1));
        assertIae(() -> ShareVault.open(PW, env, "", Party.P1));
        assertIae(() -> ShareVault.open(PW, env, "x".repeat(129), Party.P1));
        assertIae(() -> ShareVault.open(PW, env, "w", null));
        assertIae(() -> ShareVault.inspect(null));
    }

    private static void assertIae(Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertFalse(x.getMessage().contains(new String(PW)), "message names the password");
    }

    @Test
    void resultsNeverShowTheShareOrPassword() {
        VaultVectors.Valid v = VaultVectors.load().valid.get(1);
        Result<byte[], VaultFailure> ok = ShareVault.open(v.password().toCharArray(), v.envelope(), v.walletId(),
                v.role());
        assertTrue(ok.isOk());
        assertThrows(IllegalStateException.class, ok::failure);
        String s = ok.toString();
        assertTrue(s.contains("redacted"), s);
        assertFalse(s.contains(HexFormat.of().formatHex(v.share())), s);
        assertFalse(s.contains(v.password()), s);

        for (VaultVectors.Invalid x : VaultVectors.load().invalid) {
            if (x.kind() == VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED) {
                continue; // costs a key derivation each; covered in ShareVaultVectorsTest
            }
            Result<byte[], VaultFailure> r = ShareVault.open(x.password().toCharArray(), x.envelope(),
                    x.expectedWalletId(),
                    x.expectedRole());
            String text = r.toString() + r.failure().reason() + r.failure();
            assertFalse(text.contains(x.password()), text);
            assertFalse(text.toLowerCase(Locale.ROOT).contains(HexFormat.of().formatHex(x.passwordUtf8())), text);
            IllegalStateException e = assertThrows(IllegalStateException.class, r::value);
            assertTrue(e.getMessage().contains(r.failure().kind().name()));
        }
    }

    @Test
    void wrongWalletReasonDoesNotEchoTheUntrustedHeader() {
        VaultVectors.Valid v = VaultVectors.load().valid.get(0);
        Result<byte[], VaultFailure> r = ShareVault.open(v.password().toCharArray(), v.envelope(), "other", v.role());
        assertEquals(VaultFailureKind.WRONG_WALLET_OR_ROLE, r.failure().kind());
        assertFalse(r.failure().reason().contains(v.walletId()));
    }

    @Test
    void inspectReadsThePublicHeader() {
        VaultVectors.Valid v = VaultVectors.load().valid.get(1);
        Result<VaultHeader, VaultFailure> r = ShareVault.inspect(v.envelope());
        VaultHeader h = r.value();
        assertEquals(v.walletId(), h.walletId());
        assertEquals(Party.P1, h.role());
        assertEquals(600_000, h.iterations());
        assertEquals(64 + 16, h.ciphertextLength());
        assertTrue(h.toString().contains(v.walletId()));
        byte[] salt = h.salt();
        salt[0] ^= 1;
        assertArrayEquals(v.salt(), h.salt(), "header hands out copies");
    }

    @Test
    void strictUtf8Validation() {
        String[] valid = {"", "a", "\u00fc", "\u0800", "\uffff", "\ud800\udc00", "\udbff\udfff", "\u5bc6\u7801"};
        for (String s : valid) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            assertTrue(Utf8.isValid(b), s);
            assertArrayEquals(b, Utf8.encode(s, "x"));
            assertEquals(s, Utf8.decodeValid(b));
        }
        int[][] invalid = {
            {0x80}, {0xbf}, {0xc0, 0x80}, {0xc1, 0xbf}, {0xc2}, {0xc2, 0x41}, {0xe0, 0x80, 0x80}, {0xe0, 0x9f, 0xbf},
            {0xed, 0xa0, 0x80}, {0xed, 0xbf, 0xbf}, {0xe1, 0x80}, {0xf0, 0x80, 0x80, 0x80}, {0xf0, 0x8f, 0xbf, 0xbf},
            {0xf4, 0x90, 0x80, 0x80}, {0xf5, 0x80, 0x80, 0x80}, {0xff}, {0xf0, 0x90, 0x80}, {0x61, 0xe2, 0x82}
        };
        for (int[] seq : invalid) {
            byte[] b = new byte[seq.length];
            for (int i = 0; i < seq.length; i++) {
                b[i] = (byte) seq[i];
            }
            assertFalse(Utf8.isValid(b), HexFormat.of().formatHex(b));
        }
        assertTrue(Utf8.isValid(new byte[] {(byte) 0xed, (byte) 0x9f, (byte) 0xbf})); // U+D7FF
        assertTrue(Utf8.isValid(new byte[] {(byte) 0xf4, (byte) 0x8f, (byte) 0xbf, (byte) 0xbf})); // U+10FFFF
    }
}
