package org.mpcwallet.crypto.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.testing.Fixtures;
import org.mpcwallet.crypto.testing.Protocols;
import org.mpcwallet.crypto.testing.TwoPartyNetwork.Hook;

/** The device's sealed presignatures (PresignatureRecords): the pool key, the record format, seal and open. */
class PresignatureRecordsTest {
    private static final RandomSource RNG = new SecureRandom()::nextBytes;
    private static final String WALLET = "wallet-7f3a";
    private static Fixtures.Keys keys;
    private static P2Presignature presignature;

    @BeforeAll
    static void presign() {
        keys = Fixtures.keygen("records");
        var pre = Protocols.presign(new P1KeyHolder(keys.p1()), keys.p2(), Fixtures.sid("records-pre"),
                Fixtures.env("records-p1"), Fixtures.env("records-p2"), Hook.honest());
        assertNull(pre.p2().failure());
        presignature = pre.p2().result();
    }

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return k;
    }

    @Test
    void thePoolKeyIsRfc5869HkdfCheckedAgainstBouncyCastle() {
        byte[] vaultKey = Bytes.fromHex("0b".repeat(32));
        byte[] salt = Bytes.fromHex("000102030405060708090a0b0c0d0e0f");
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        byte[] info = Bytes.concat(PresignatureRecords.POOL_KEY_LABEL.getBytes(StandardCharsets.UTF_8),
                new byte[] {0}, WALLET.getBytes(StandardCharsets.UTF_8));
        hkdf.init(new HKDFParameters(vaultKey, salt, info));
        byte[] expected = new byte[32];
        hkdf.generateBytes(expected, 0, 32);
        assertArrayEquals(expected, PresignatureRecords.poolKey(vaultKey, salt, WALLET));
        assertFalse(Bytes.constantTimeEquals(expected, PresignatureRecords.poolKey(vaultKey, salt, "other")),
                "the wallet id is bound into the key");
        assertFalse(Bytes.constantTimeEquals(expected, PresignatureRecords.poolKey(vaultKey, new byte[16], WALLET)),
                "the vault's salt is bound into the key");
        assertThrows(IllegalArgumentException.class, () -> PresignatureRecords.poolKey(new byte[31], salt, WALLET));
    }

    @Test
    void aSealedPresignatureOpensOnlyUnderItsKeyWalletAndFingerprint() {
        byte[] record = PresignatureRecords.seal(key(1), WALLET, presignature, RNG);
        Result<P2Presignature, VaultFailure> opened =
                PresignatureRecords.open(key(1), record, WALLET, keys.p2().fingerprint());
        assertTrue(opened.isOk(), () -> String.valueOf(opened.failure()));
        assertArrayEquals(presignature.encode(), opened.value().encode());
        assertEquals(VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED,
                PresignatureRecords.open(key(2), record, WALLET, keys.p2().fingerprint()).failure().kind());
        assertEquals(VaultFailureKind.WRONG_WALLET_OR_ROLE,
                PresignatureRecords.open(key(1), record, "other", keys.p2().fingerprint()).failure().kind());
        assertEquals(VaultFailureKind.WRONG_WALLET_OR_ROLE,
                PresignatureRecords.open(key(1), record, WALLET, new byte[32]).failure().kind());
        String text = PresignatureRecords.parse(record).value().toString();
        assertTrue(text.contains(presignature.idHex()) && !text.contains(Bytes.toHex(record)), text);
    }

    @Test
    void everyByteOfTheRecordIsAuthenticatedOrChecked() {
        byte[] record = PresignatureRecords.seal(key(3), WALLET, presignature, RNG);
        for (int i = 0; i < record.length; i += 7) {
            byte[] bad = record.clone();
            bad[i] ^= 0x01;
            assertFalse(PresignatureRecords.open(key(3), bad, WALLET, keys.p2().fingerprint()).isOk(),
                    "flipped byte " + i);
        }
        assertEquals(VaultField.TRAILING_DATA, PresignatureRecords.parse(Bytes.concat(record, new byte[1]))
                .failure().field());
        for (int cut : new int[] {0, 3, 5, 17, 19, 40, 100, record.length - 1}) {
            byte[] shortRecord = java.util.Arrays.copyOf(record, cut);
            Result<PresignatureRecords.Parsed, VaultFailure> r = PresignatureRecords.parse(shortRecord);
            assertEquals(VaultFailureKind.MALFORMED, r.failure().kind(), "cut at " + cut);
        }
        byte[] v2 = record.clone();
        v2[4] = 2;
        assertEquals(VaultFailureKind.UNSUPPORTED_VERSION, PresignatureRecords.parse(v2).failure().kind());
    }

    @Test
    void theCryptoFreePartsBuildTheSameRecordAsSeal() throws Exception {
        byte[] nonce = Bytes.fromHex("00112233445566778899aabb");
        byte[] record = PresignatureRecords.seal(key(4), WALLET, presignature, out -> System.arraycopy(nonce, 0,
                out, 0, 12));
        byte[] aad = PresignatureRecords.header(WALLET, presignature.keyFingerprint(), presignature.id(), nonce);
        byte[] sealed = ShareVault.gcm(true, key(4), nonce, aad, presignature.encode());
        assertArrayEquals(record, PresignatureRecords.record(aad, sealed));
        PresignatureRecords.Parsed p = PresignatureRecords.parse(record).value();
        assertArrayEquals(aad, p.aad());
        assertArrayEquals(nonce, p.nonce());
        assertArrayEquals(presignature.id(), p.presignatureId());
        assertEquals(WALLET, p.walletId());
    }

    @Test
    void theVaultOpensWithThePoolKeyItWasSealedWith() {
        char[] password = "correct horse".toCharArray();
        byte[] share = keys.p2().encode();
        PresignatureRecords.SealedVault sealed =
                PresignatureRecords.sealVault(password, WALLET, Party.P2, share, RNG, ShareVault.MIN_ITERATIONS);
        Result<byte[], VaultFailure> plain = ShareVault.open(password, sealed.envelope(), WALLET, Party.P2);
        assertArrayEquals(share, plain.value(), "an ordinary vault envelope");
        var opened = PresignatureRecords.openVault(password, sealed.envelope(), WALLET, Party.P2);
        assertArrayEquals(share, opened.value().share());
        assertArrayEquals(sealed.poolKey(), opened.value().poolKey());
        VaultEnvelope env = ShareVault.parse(sealed.envelope()).value();
        assertArrayEquals(PresignatureRecords.poolKey(ShareVault.deriveKey(password, env.salt(), env.iterations()),
                env.salt(), WALLET), opened.value().poolKey());
        assertEquals(VaultFailure.wrongPasswordOrTampered(),
                PresignatureRecords.openVault("wrong".toCharArray(), sealed.envelope(), WALLET, Party.P2).failure());
        var resealed = PresignatureRecords.sealVault(password, WALLET, Party.P2, share, RNG,
                ShareVault.MIN_ITERATIONS);
        assertFalse(Bytes.constantTimeEquals(sealed.poolKey(), resealed.poolKey()),
                "a re-sealed vault has a new pool key, so the old records no longer open");
        assertFalse(opened.value().toString().contains(Bytes.toHex(opened.value().poolKey())));
    }
}
