package org.mpcwallet.crypto.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;

/**
 * The public crypto-free pieces of the vault that platform implementations (client-web's WebCrypto vault) build on:
 * {@link ShareVault#header}, {@link ShareVault#prepareSeal} + {@link VaultSealing#envelope},
 * {@link ShareVault#parse}, {@link ShareVault#checkForOpen}, {@link ShareVault#passwordUtf8}, and the public result
 * and failure values. With the vectors' keys (no KDF), "these pieces + AES-GCM" must be exactly seal and open.
 */
class ShareVaultPartsTest {
    private static final char[] PW = "parts test password".toCharArray();
    private static VaultVectors vectors;

    @BeforeAll
    static void load() {
        vectors = VaultVectors.load();
    }

    @TestFactory
    Stream<DynamicTest> headerAndPreparedSealReproduceEachVector() throws Exception {
        return vectors.valid.stream().map(v -> dynamicTest(v.name(), () -> {
            assertArrayEquals(v.aad(), ShareVault.header(v.iterations(), v.salt(), v.nonce(), v.role(), v.walletId()));
            FixedRandom rng = new FixedRandom(v.salt(), v.nonce());
            VaultSealing plan = ShareVault.prepareSeal(v.password().toCharArray(), v.walletId(), v.role(), v.share(),
                    rng, v.iterations());
            assertTrue(rng.exhausted(), "prepareSeal draws exactly the salt and the nonce");
            assertEquals(v.iterations(), plan.iterations());
            assertArrayEquals(v.salt(), plan.salt());
            assertArrayEquals(v.nonce(), plan.nonce());
            assertArrayEquals(v.aad(), plan.aad());
            assertEquals(v.share().length, plan.shareLength());
            assertArrayEquals(v.passwordUtf8(), ShareVault.passwordUtf8(v.password().toCharArray()));
            // The platform's part: AES-GCM with the vector's key (PBKDF2 of passwordUtf8 is cross-checked elsewhere).
            byte[] sealed = ShareVault.gcm(true, v.key(), plan.nonce(), plan.aad(), v.share());
            assertArrayEquals(v.envelope(), plan.envelope(sealed));
            assertFalse(plan.toString().contains(v.password()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> parseAndCheckForOpenHandOutTheRangesOfEachVector() {
        return vectors.valid.stream().map(v -> dynamicTest(v.name(), () -> {
            VaultEnvelope parsed = ShareVault.parse(v.envelope()).value();
            VaultEnvelope checked = ShareVault.checkForOpen(v.password().toCharArray(), v.envelope(), v.walletId(),
                    v.role()).value();
            for (VaultEnvelope e : new VaultEnvelope[] {parsed, checked}) {
                assertArrayEquals(v.aad(), e.aad());
                assertArrayEquals(v.walletIdUtf8(), e.walletIdUtf8());
                assertArrayEquals(v.salt(), e.salt());
                assertArrayEquals(v.nonce(), e.nonce());
                assertEquals(v.iterations(), e.iterations());
                assertEquals(v.role(), e.role());
                assertEquals(v.share().length, e.shareLength());
                assertArrayEquals(Arrays.copyOfRange(v.envelope(), v.aad().length + 4, v.envelope().length),
                        e.sealed());
                assertEquals(ShareVault.inspect(v.envelope()).value().toString(), e.header().toString());
                // The platform's part: AES-GCM with the vector's key.
                assertArrayEquals(v.share(), ShareVault.gcm(false, v.key(), e.nonce(), e.aad(), e.sealed()));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> checkForOpenFailsAsOpenDoesBeforeTheKeyDerivation() {
        return vectors.invalid.stream().map(x -> dynamicTest(x.name(), () -> {
            Result<VaultEnvelope, VaultFailure> c = ShareVault.checkForOpen(x.password().toCharArray(), x.envelope(),
                    x.expectedWalletId(), x.expectedRole());
            if (x.kind() == VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED) {
                assertTrue(c.isOk(), "only the tag can refuse " + x.name() + ": " + c);
                VaultEnvelope e = c.value();
                assertThrows(InvalidCipherTextException.class,
                        () -> ShareVault.gcm(false, new byte[32], e.nonce(), e.aad(), e.sealed()));
                return;
            }
            assertFalse(c.isOk(), x.description());
            assertEquals(x.kind(), c.failure().kind());
            assertEquals(x.field(), c.failure().field());
            assertEquals(ShareVault.open(x.password().toCharArray(), x.envelope(), x.expectedWalletId(),
                    x.expectedRole()).failure(), c.failure(), "checkForOpen and open fail alike");
            if (x.kind() != VaultFailureKind.WRONG_WALLET_OR_ROLE) {
                assertEquals(c.failure(), ShareVault.parse(x.envelope()).failure(), "parse agrees");
            }
        }));
    }

    @Test
    void aFailingTagIsTheSharedFailureValue() {
        VaultVectors.Invalid x = vectors.invalid.stream()
                .filter(i -> i.kind() == VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED).findFirst().orElseThrow();
        Result<byte[], VaultFailure> r = ShareVault.open(x.password().toCharArray(), x.envelope(), x.expectedWalletId(),
                x.expectedRole());
        assertEquals(VaultFailure.wrongPasswordOrTampered(), r.failure());
        assertEquals("VaultFailure[WRONG_PASSWORD_OR_TAMPERED: authentication tag does not verify: wrong password,"
                + " or the envelope was modified]", VaultFailure.wrongPasswordOrTampered().toString());
    }

    @Test
    void headerChecksItsArguments() {
        byte[] salt = new byte[16];
        byte[] nonce = new byte[12];
        int it = ShareVault.MIN_ITERATIONS;
        assertIae("iterations must be in [600000, 10000000], got 599999",
                () -> ShareVault.header(599_999, salt, nonce, Party.P1, "w"));
        assertIae("iterations must be in [600000, 10000000], got 10000001",
                () -> ShareVault.header(10_000_001, salt, nonce, Party.P1, "w"));
        assertIae("salt must be 16 bytes, got 15", () -> ShareVault.header(it, new byte[15], nonce, Party.P1, "w"));
        assertIae("nonce must be 12 bytes, got 13", () -> ShareVault.header(it, salt, new byte[13], Party.P1, "w"));
        assertIae("role must not be null", () -> ShareVault.header(it, salt, nonce, null, "w"));
        assertIae("salt must not be null", () -> ShareVault.header(it, null, nonce, Party.P1, "w"));
        assertIae("nonce must not be null", () -> ShareVault.header(it, salt, null, Party.P1, "w"));
        assertIae("walletId must not be null", () -> ShareVault.header(it, salt, nonce, Party.P1, null));
        assertIae("walletId must be 1..128 bytes of UTF-8, got 0",
                () -> ShareVault.header(it, salt, nonce, Party.P1, ""));
        assertIae("walletId must be 1..128 bytes of UTF-8, got 129",
                () -> ShareVault.header(it, salt, nonce, Party.P1, "w".repeat(129)));
        assertIae("walletId contains an unpaired surrogate at index 1",
                () -> ShareVault.header(it, salt, nonce, Party.P1, "w\ud800"));
        assertEquals(42 + 128, ShareVault.header(it, salt, nonce, Party.P2, "\u00fc".repeat(64)).length);
    }

    @Test
    void prepareSealChecksLikeSealAndDrawsNothingOnAnArgumentError() {
        RandomSource noDraws = out -> {
            throw new AssertionError("drew randomness before the argument checks");
        };
        byte[] s = {1};
        assertIae("password must not be null", () -> ShareVault.prepareSeal(null, "w", Party.P1, s, noDraws));
        assertIae("password must not be empty", () -> ShareVault.prepareSeal(new char[0], "w", Party.P1, s, noDraws));
        assertIae("password contains an unpaired surrogate at index 1",
                () -> ShareVault.prepareSeal(new char[] {'a', '\ud800'}, "w", Party.P1, s, noDraws));
        assertIae("walletId must be 1..128 bytes of UTF-8, got 0",
                () -> ShareVault.prepareSeal(PW, "", Party.P1, s, noDraws));
        assertIae("walletId contains an unpaired surrogate at index 1",
                () -> ShareVault.prepareSeal(PW, "w\ud800", Party.P1, s, noDraws));
        assertIae("role must not be null", () -> ShareVault.prepareSeal(PW, "w", null, s, noDraws));
        assertIae("share must not be null", () -> ShareVault.prepareSeal(PW, "w", Party.P1, null, noDraws));
        assertIae("share must be at most 1048576 bytes",
                () -> ShareVault.prepareSeal(PW, "w", Party.P1, new byte[(1 << 20) + 1], noDraws));
        assertIae("rng must not be null", () -> ShareVault.prepareSeal(PW, "w", Party.P1, s, null));
        assertIae("iterations must be in [600000, 10000000], got 599999",
                () -> ShareVault.prepareSeal(PW, "w", Party.P1, s, noDraws, 599_999));
        VaultSealing plan = ShareVault.prepareSeal(PW, "w", Party.P1, s, new FixedRandom(new byte[16], new byte[12]));
        assertEquals(ShareVault.DEFAULT_ITERATIONS, plan.iterations());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> plan.envelope(new byte[16]));
        assertEquals("AES-GCM returned 16 bytes for a 1-byte share", e.getMessage());
        assertThrows(IllegalStateException.class, () -> plan.envelope(new byte[18]));
        assertIae("sealed must not be null", () -> plan.envelope(null));
        assertEquals(42 + 1 + 4 + 17, plan.envelope(new byte[17]).length);
    }

    @Test
    void checkForOpenChecksItsArgumentsLikeOpen() {
        byte[] env = vectors.valid.get(0).envelope();
        assertIae("password must not be null", () -> ShareVault.checkForOpen(null, env, "w", Party.P1));
        assertIae("password must not be empty", () -> ShareVault.checkForOpen(new char[0], env, "w", Party.P1));
        assertIae("password contains an unpaired surrogate at index 0",
                () -> ShareVault.checkForOpen(new char[] {'\ud800'}, env, "w", Party.P1));
        assertIae("envelope must not be null", () -> ShareVault.checkForOpen(PW, null, "w", Party.P1));
        assertIae("expectedWalletId must not be null", () -> ShareVault.checkForOpen(PW, env, null, Party.P1));
        assertIae("walletId must be 1..128 bytes of UTF-8, got 0",
                () -> ShareVault.checkForOpen(PW, env, "", Party.P1));
        assertIae("expectedRole must not be null", () -> ShareVault.checkForOpen(PW, env, "w", null));
        assertIae("envelope must not be null", () -> ShareVault.parse(null));
        // An argument error wins over a malformed envelope, as in open.
        assertIae("password contains an unpaired surrogate at index 0",
                () -> ShareVault.checkForOpen(new char[] {'\udc00'}, new byte[3], "w", Party.P1));
        assertIae("password contains an unpaired surrogate at index 0",
                () -> ShareVault.open(new char[] {'\udc00'}, new byte[3], "w", Party.P1));
    }

    @Test
    void passwordUtf8IsTheStrictEncodingWithThePasswordChecks() {
        assertArrayEquals("p\u00e4ss-\ud83d\udd11".getBytes(StandardCharsets.UTF_8),
                ShareVault.passwordUtf8("p\u00e4ss-\ud83d\udd11".toCharArray()));
        assertIae("password must not be null", () -> ShareVault.passwordUtf8(null));
        assertIae("password must not be empty", () -> ShareVault.passwordUtf8(new char[0]));
        assertIae("password contains an unpaired surrogate at index 2",
                () -> ShareVault.passwordUtf8(new char[] {'a', 'b', '\udc00'}));
        assertIae("walletId must not be null", () -> Utf8.encode((String) null, "walletId"));
    }

    @Test
    void partsHandOutCopies() {
        VaultVectors.Valid v = vectors.valid.get(0);
        VaultEnvelope e = ShareVault.parse(v.envelope()).value();
        for (byte[] b : new byte[][] {e.aad(), e.walletIdUtf8(), e.sealed(), e.salt(), e.nonce()}) {
            b[0] ^= 1;
        }
        assertArrayEquals(v.aad(), e.aad());
        assertArrayEquals(v.walletIdUtf8(), e.walletIdUtf8());
        assertArrayEquals(v.salt(), e.salt());
        assertArrayEquals(v.nonce(), e.nonce());
        VaultSealing plan = ShareVault.prepareSeal(PW, v.walletId(), v.role(), v.share(),
                new FixedRandom(v.salt(), v.nonce()), v.iterations());
        for (byte[] b : new byte[][] {plan.aad(), plan.salt(), plan.nonce()}) {
            b[0] ^= 1;
        }
        assertArrayEquals(v.aad(), plan.aad());
        assertArrayEquals(v.salt(), plan.salt());
        assertArrayEquals(v.nonce(), plan.nonce());
    }

    @Test
    void publicResultAndFailureValues() {
        Result<byte[], VaultFailure> ok = Result.ok(new byte[] {0x2a});
        assertTrue(ok.isOk());
        assertThrows(IllegalStateException.class, ok::failure);
        assertEquals("Ok[value redacted]", ok.toString());
        assertIae("success needs a value", () -> Result.ok(null));
        assertIae("failure needs a reason", () -> Result.err(null));

        Result<VaultHeader, VaultFailure> jvm = ShareVault.inspect(new byte[] {0x4d, 0x50});
        VaultFailure f = jvm.failure();
        VaultFailure copy = new VaultFailure(f.kind(), f.field(), f.reason());
        assertEquals(f, copy);
        assertEquals(f.hashCode(), copy.hashCode());
        assertEquals(f.toString(), copy.toString());
        assertEquals(jvm.toString(), Result.err(copy).toString());
        assertEquals(VaultField.MAGIC, copy.field());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Result.err(copy).value());
        assertEquals("the operation failed: " + f, e.getMessage());
        assertEquals(new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null, "x"),
                new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null, "x"));
        assertNotEquals(new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null, "x"),
                new VaultFailure(VaultFailureKind.MALFORMED, null, "x"));
        assertEquals("VaultFailure[WRONG_PASSWORD_OR_TAMPERED: r]",
                new VaultFailure(VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null, "r").toString());
        assertIae("failure needs kind and reason", () -> new VaultFailure(null, null, "r"));
        assertIae("failure needs kind and reason", () -> new VaultFailure(VaultFailureKind.MALFORMED, null, null));
    }

    private static void assertIae(String message, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertEquals(message, x.getMessage());
    }
}
