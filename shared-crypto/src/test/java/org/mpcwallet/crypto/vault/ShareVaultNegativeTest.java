package org.mpcwallet.crypto.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;

/**
 * (c) One test per rule of docs/vault-format.md, on mutations of the first known-answer envelope (P2, wallet id
 * "wallet-0001", 1-byte share, 74 bytes: header 0..52, ciphertext length 53..56, ciphertext 57, tag 58..73).
 */
class ShareVaultNegativeTest {
    private static final int ITERATIONS_AT = 6;
    private static final int SALT_AT = 10;
    private static final int AEAD_AT = 26;
    private static final int NONCE_AT = 27;
    private static final int ROLE_AT = 39;
    private static final int WALLET_ID_LENGTH_AT = 40;
    private static final int WALLET_ID_AT = 42;

    private static VaultVectors.Valid base;
    private static int ctLenAt;

    @BeforeAll
    static void load() {
        base = VaultVectors.load().valid.get(0);
        assertEquals(Party.P2, base.role());
        assertEquals("wallet-0001", base.walletId());
        ctLenAt = WALLET_ID_AT + base.walletIdUtf8().length;
    }

    private static Result<byte[], VaultFailure> open(byte[] envelope) {
        return open(envelope, base.walletId(), base.role());
    }

    private static Result<byte[], VaultFailure> open(byte[] envelope, String walletId, Party role) {
        return ShareVault.open(base.password().toCharArray(), envelope, walletId, role);
    }

    private static void assertFailure(VaultFailureKind kind, VaultField field, Result<?, VaultFailure> r) {
        assertFalse(r.isOk(), "must not open");
        assertEquals(kind, r.failure().kind(), r.failure()::toString);
        assertEquals(field, r.failure().field(), r.failure()::toString);
    }

    private static byte[] xor(int at, int mask) {
        byte[] c = base.envelope().clone();
        c[at] ^= (byte) mask;
        return c;
    }

    private static byte[] u32At(int at, long v) {
        byte[] c = base.envelope().clone();
        c[at] = (byte) (v >>> 24);
        c[at + 1] = (byte) (v >>> 16);
        c[at + 2] = (byte) (v >>> 8);
        c[at + 3] = (byte) v;
        return c;
    }

    @Test
    void wrongPasswordFailsWithoutSayingWhetherPasswordOrData() {
        Result<byte[], VaultFailure> r = ShareVault.open("correct horse battery staplE".toCharArray(), base.envelope(),
                base.walletId(), base.role());
        assertFailure(VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null, r);
    }

    /** Every header field changed in one byte: either the parser rejects it or the tag fails. */
    @TestFactory
    Stream<DynamicTest> everyHeaderFieldFlippedIsRejected() {
        String w = base.walletId();
        Party p = base.role();
        return Stream.of(
                flipCase("magic", xor(0, 0x01), w, p, VaultFailureKind.MALFORMED, VaultField.MAGIC),
                flipCase("format version", xor(4, 0x01), w, p, VaultFailureKind.UNSUPPORTED_VERSION,
                        VaultField.FORMAT_VERSION),
                flipCase("kdf id", xor(5, 0x01), w, p, VaultFailureKind.MALFORMED, VaultField.KDF_ID),
                flipCase("iterations high byte (out of bounds)", xor(ITERATIONS_AT, 0x80), w, p,
                        VaultFailureKind.MALFORMED, VaultField.ITERATIONS),
                flipCase("iterations low bit (in bounds)", xor(ITERATIONS_AT + 3, 0x01), w, p,
                        VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null),
                flipCase("salt", xor(SALT_AT + 7, 0x01), w, p, VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null),
                flipCase("aead id", xor(AEAD_AT, 0x01), w, p, VaultFailureKind.MALFORMED, VaultField.AEAD_ID),
                flipCase("nonce", xor(NONCE_AT, 0x01), w, p, VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null),
                flipCase("role 2 -> 3", xor(ROLE_AT, 0x01), w, p, VaultFailureKind.MALFORMED,
                        VaultField.PARTY_ROLE),
                flipCase("role 2 -> 1, caller expects P1", xor(ROLE_AT, 0x03), w, Party.P1,
                        VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null),
                flipCase("wallet id length 11 -> 10", xor(WALLET_ID_LENGTH_AT + 1, 0x01), w, p,
                        VaultFailureKind.MALFORMED, VaultField.CIPHERTEXT_LENGTH),
                flipCase("wallet id length high byte", xor(WALLET_ID_LENGTH_AT, 0x01), w, p,
                        VaultFailureKind.MALFORMED, VaultField.WALLET_ID_LENGTH),
                flipCase("wallet id byte, caller expects the changed id", xor(ctLenAt - 1, 0x01), "wallet-0000", p,
                        VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null),
                flipCase("ciphertext length 17 -> 16", xor(ctLenAt + 3, 0x01), w, p, VaultFailureKind.MALFORMED,
                        VaultField.TRAILING_DATA),
                flipCase("ciphertext", xor(ctLenAt + 4, 0x01), w, p, VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED,
                        null),
                flipCase("tag", xor(base.envelope().length - 1, 0x80), w, p,
                        VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null));
    }

    private static DynamicTest flipCase(String name, byte[] env, String walletId, Party role, VaultFailureKind kind,
            VaultField field) {
        return dynamicTest(name, () -> assertFailure(kind, field, open(env, walletId, role)));
    }

    @Test
    void everyTruncationIsMalformed() {
        byte[] env = base.envelope();
        for (int len = 0; len < env.length; len++) {
            Result<byte[], VaultFailure> r = open(Arrays.copyOf(env, len));
            assertFalse(r.isOk(), "prefix of " + len);
            assertEquals(VaultFailureKind.MALFORMED, r.failure().kind(), "prefix of " + len);
            assertTrue(r.failure().reason().contains("truncated"), r.failure()::toString);
        }
        assertFailure(VaultFailureKind.MALFORMED, VaultField.SALT, open(Arrays.copyOf(env, SALT_AT + 15)));
        assertFailure(VaultFailureKind.MALFORMED, VaultField.CIPHERTEXT, open(Arrays.copyOf(env, env.length - 1)));
    }

    @Test
    void trailingByteIsMalformed() {
        for (int b : new int[] {0x00, 0xff}) {
            byte[] env = Arrays.copyOf(base.envelope(), base.envelope().length + 1);
            env[env.length - 1] = (byte) b;
            assertFailure(VaultFailureKind.MALFORMED, VaultField.TRAILING_DATA, open(env));
        }
    }

    @Test
    void wrongMagicIsMalformed() {
        byte[] env = base.envelope().clone();
        env[0] = 'm';
        assertFailure(VaultFailureKind.MALFORMED, VaultField.MAGIC, open(env));
        assertFailure(VaultFailureKind.MALFORMED, VaultField.MAGIC, open(new byte[] {'M', 'P', 'C'}));
    }

    @Test
    void otherVersionsAreUnsupportedWhateverFollows() {
        assertFailure(VaultFailureKind.UNSUPPORTED_VERSION, VaultField.FORMAT_VERSION,
                open(new byte[] {'M', 'P', 'C', 'V', 2}));
        assertFailure(VaultFailureKind.UNSUPPORTED_VERSION, VaultField.FORMAT_VERSION,
                open(new byte[] {'M', 'P', 'C', 'V', (byte) 0xff, 1, 2, 3}));
    }

    @Test
    void unknownAlgorithmIdsAreMalformed() {
        for (int id : new int[] {0, 2, 255}) {
            byte[] kdf = base.envelope().clone();
            kdf[5] = (byte) id;
            assertFailure(VaultFailureKind.MALFORMED, VaultField.KDF_ID, open(kdf));
            byte[] aead = base.envelope().clone();
            aead[AEAD_AT] = (byte) id;
            assertFailure(VaultFailureKind.MALFORMED, VaultField.AEAD_ID, open(aead));
        }
    }

    @Test
    void iterationCount599999IsRejectedOnOpenAndSeal() {
        assertFailure(VaultFailureKind.MALFORMED, VaultField.ITERATIONS, open(u32At(ITERATIONS_AT, 599_999)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShareVault.seal(base.password().toCharArray(), base.walletId(), base.role(), base.share(),
                        new FixedRandom(base.salt(), base.nonce()), 599_999));
        assertTrue(e.getMessage().contains("iterations"));
    }

    @Test
    void iterationCountAboveTheDosBoundIsRejectedOnOpenAndSeal() {
        assertFailure(VaultFailureKind.MALFORMED, VaultField.ITERATIONS, open(u32At(ITERATIONS_AT, 10_000_001)));
        assertFailure(VaultFailureKind.MALFORMED, VaultField.ITERATIONS, open(u32At(ITERATIONS_AT, 0x80000000L)));
        assertFailure(VaultFailureKind.MALFORMED, VaultField.ITERATIONS, open(u32At(ITERATIONS_AT, 0)));
        assertThrows(IllegalArgumentException.class,
                () -> ShareVault.seal(base.password().toCharArray(), base.walletId(), base.role(), base.share(),
                        new FixedRandom(base.salt(), base.nonce()), 10_000_001));
    }

    @Test
    void partyRoleOutsideOneAndTwoIsMalformed() {
        for (int role : new int[] {0, 3, 0x81}) {
            byte[] env = base.envelope().clone();
            env[ROLE_AT] = (byte) role;
            assertFailure(VaultFailureKind.MALFORMED, VaultField.PARTY_ROLE, open(env));
        }
    }

    @Test
    void walletIdLengthOutsideOneTo128IsMalformed() {
        byte[] zero = base.envelope().clone();
        zero[WALLET_ID_LENGTH_AT] = 0;
        zero[WALLET_ID_LENGTH_AT + 1] = 0;
        assertFailure(VaultFailureKind.MALFORMED, VaultField.WALLET_ID_LENGTH, open(zero));
        byte[] big = base.envelope().clone();
        big[WALLET_ID_LENGTH_AT] = 0;
        big[WALLET_ID_LENGTH_AT + 1] = (byte) 129;
        assertFailure(VaultFailureKind.MALFORMED, VaultField.WALLET_ID_LENGTH, open(big));
    }

    @Test
    void walletIdThatIsNotUtf8IsMalformed() {
        byte[] env = base.envelope().clone();
        env[WALLET_ID_AT] = (byte) 0xff;
        assertFailure(VaultFailureKind.MALFORMED, VaultField.WALLET_ID, open(env));
    }

    @Test
    void ciphertextShorterThanATagIsMalformed() {
        assertFailure(VaultFailureKind.MALFORMED, VaultField.CIPHERTEXT_LENGTH, open(u32At(ctLenAt, 15)));
        assertFailure(VaultFailureKind.MALFORMED, VaultField.CIPHERTEXT_LENGTH, open(u32At(ctLenAt, 0)));
        assertFailure(VaultFailureKind.MALFORMED, VaultField.CIPHERTEXT_LENGTH,
                open(u32At(ctLenAt, ShareVault.MAX_SHARE_BYTES + 17L)));
        assertFailure(VaultFailureKind.MALFORMED, VaultField.CIPHERTEXT, open(u32At(ctLenAt, 18)));
    }

    @Test
    void wrongExpectedWalletIdIsRefused() {
        for (String other : new String[] {"wallet-0002", "wallet-000", "wallet-00011", "WALLET-0001", " wallet-0001"}) {
            assertFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null, open(base.envelope(), other, base.role()));
        }
    }

    @Test
    void wrongExpectedRoleIsRefused() {
        assertFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null,
                open(base.envelope(), base.walletId(), base.role().other()));
    }

    /** Salt and nonce come fresh from the random source for each seal, so no (key, nonce) pair ever repeats. */
    @Test
    void twoSealsOfTheSameShareNeverShareSaltOrNonce() {
        SecureRandom sr = new SecureRandom();
        RandomSource rng = sr::nextBytes;
        char[] pw = "same password".toCharArray();
        byte[] share = new byte[64];
        byte[] a = ShareVault.seal(pw, "wallet-x", Party.P2, share, rng);
        byte[] b = ShareVault.seal(pw, "wallet-x", Party.P2, share, rng);
        assertEquals(a.length, b.length);
        VaultHeader ha = ShareVault.inspect(a).value();
        VaultHeader hb = ShareVault.inspect(b).value();
        assertFalse(Arrays.equals(ha.salt(), hb.salt()), "salt reused");
        assertFalse(Arrays.equals(ha.nonce(), hb.nonce()), "nonce reused");
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, a.length - 80, a.length),
                Arrays.copyOfRange(b, b.length - 80, b.length)), "ciphertexts equal");
        assertArrayEquals(share, ShareVault.open(pw, b, "wallet-x", Party.P2).value());
    }
}
