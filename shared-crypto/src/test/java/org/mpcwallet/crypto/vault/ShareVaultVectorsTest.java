package org.mpcwallet.crypto.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.Result;

/** (b) Known-answer vectors from vault-v1.json (produced by javax.crypto, see the README next to it). */
class ShareVaultVectorsTest {
    private static VaultVectors vectors;

    @BeforeAll
    static void load() {
        vectors = VaultVectors.load();
    }

    @Test
    void aMissingVectorFileFailsInsteadOfSkipping() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> VaultVectors.rawText("/vectors/vault/no-such-file.json"));
        assertTrue(e.getMessage().contains("missing"));
    }

    @Test
    void vectorFileCoversTheRequiredCases() {
        assertEquals("mpcwallet-share-vault-vectors/1", vectors.schema);
        List<VaultVectors.Valid> v = vectors.valid;
        assertTrue(v.size() >= 3, "at least three valid envelopes");
        assertTrue(v.stream().anyMatch(x -> x.role() == Party.P1), "a P1 envelope");
        assertTrue(v.stream().anyMatch(x -> x.role() == Party.P2), "a P2 envelope");
        assertTrue(v.stream().anyMatch(x -> x.share().length <= 1), "an empty or 1-byte share");
        assertTrue(v.stream().anyMatch(x -> x.share().length == 64), "a 64-byte share");
        assertTrue(v.stream().anyMatch(x -> x.password().chars().anyMatch(c -> c > 0x7f)), "a non-ASCII password");
        assertTrue(v.stream().allMatch(x -> x.iterations() >= ShareVault.MIN_ITERATIONS));
        assertFalse(vectors.invalid.isEmpty(), "negative vectors");
        for (VaultField f : VaultField.values()) {
            assertTrue(vectors.invalid.stream().anyMatch(x -> x.field() == f), "a negative vector for " + f);
        }
        for (VaultFailureKind k : VaultFailureKind.values()) {
            assertTrue(vectors.invalid.stream().anyMatch(x -> x.kind() == k), "a negative vector of kind " + k);
        }
    }

    @TestFactory
    Stream<DynamicTest> declaredEncodingsAndHeaderMatch() {
        return vectors.valid.stream().map(v -> dynamicTest(v.name(), () -> {
            assertArrayEquals(v.password().getBytes(StandardCharsets.UTF_8), v.passwordUtf8());
            assertArrayEquals(Utf8.encode(v.password().toCharArray(), "password"), v.passwordUtf8());
            assertArrayEquals(v.walletId().getBytes(StandardCharsets.UTF_8), v.walletIdUtf8());
            assertEquals(v.role().wireId(), v.roleId());
            assertArrayEquals(v.aad(), Arrays.copyOf(v.envelope(), v.aad().length), "aad is the envelope prefix");
            VaultHeader h = ShareVault.inspect(v.envelope()).value();
            assertEquals(1, h.formatVersion());
            assertEquals(1, h.kdfId());
            assertEquals(1, h.aeadId());
            assertEquals(v.iterations(), h.iterations());
            assertArrayEquals(v.salt(), h.salt());
            assertArrayEquals(v.nonce(), h.nonce());
            assertEquals(v.role(), h.role());
            assertEquals(v.walletId(), h.walletId());
            assertEquals(v.share().length, h.shareLength());
            assertArrayEquals(v.aad(), ShareVault.parse(v.envelope()).value().aad());
            // GCM alone with the stated key (no KDF): ciphertext || tag is the envelope's tail.
            byte[] sealed = ShareVault.gcm(true, v.key(), v.nonce(), v.aad(), v.share());
            assertArrayEquals(sealed, Arrays.copyOfRange(v.envelope(), v.envelope().length - sealed.length,
                    v.envelope().length));
            assertEquals(v.aad().length + 4 + sealed.length, v.envelope().length);
        }));
    }

    @TestFactory
    Stream<DynamicTest> openDecryptsEachValidVector() {
        return vectors.valid.stream().map(v -> dynamicTest(v.name(), () -> {
            Result<byte[], VaultFailure> r = ShareVault.open(v.password().toCharArray(), v.envelope(), v.walletId(),
                    v.role());
            assertTrue(r.isOk(), () -> r.toString());
            assertThrows(IllegalStateException.class, r::failure);
            assertArrayEquals(v.share(), r.value());
        }));
    }

    @TestFactory
    Stream<DynamicTest> sealWithFixedRandomnessReproducesEachVector() {
        return vectors.valid.stream().map(v -> dynamicTest(v.name(), () -> {
            FixedRandom rng = new FixedRandom(v.salt(), v.nonce());
            byte[] env = ShareVault.seal(v.password().toCharArray(), v.walletId(), v.role(), v.share(), rng,
                    v.iterations());
            assertTrue(rng.exhausted(), "seal draws exactly the salt and the nonce");
            assertArrayEquals(v.envelope(), env);
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidVectorsFailAsStated() {
        return vectors.invalid.stream().map(x -> dynamicTest(x.name(), () -> {
            assertArrayEquals(x.password().getBytes(StandardCharsets.UTF_8), x.passwordUtf8());
            Result<byte[], VaultFailure> r = ShareVault.open(x.password().toCharArray(), x.envelope(),
                    x.expectedWalletId(),
                    x.expectedRole());
            assertFalse(r.isOk(), x.description());
            assertEquals(x.kind(), r.failure().kind(), () -> x.description() + ": " + r.failure());
            assertEquals(x.field(), r.failure().field(), () -> x.description() + ": " + r.failure());
            if (x.kind() == VaultFailureKind.MALFORMED || x.kind() == VaultFailureKind.UNSUPPORTED_VERSION) {
                assertEquals(r.failure(), ShareVault.inspect(x.envelope()).failure(), "inspect agrees with open");
            } else {
                assertTrue(ShareVault.inspect(x.envelope()).isOk(), "well-formed: only open can refuse it");
            }
        }));
    }
}
