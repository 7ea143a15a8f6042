package org.mpcwallet.signer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.signer.testing.TestKeys;

class EncryptedShareStoreTest {
    private static final KeyEncryptionKey KEK = KeyEncryptionKey.generate(TestKeys.random("kek-a"));
    private static final KeyEncryptionKey OTHER_KEK = KeyEncryptionKey.generate(TestKeys.random("kek-b"));
    private static final String KEYSET = "keyset-ä-0001";

    private static byte[] sealed() {
        return EncryptedShareStore.seal(TestKeys.p1(), KEYSET, KEK, TestKeys.random("seal"));
    }

    private static StoreFailureKind failureOf(Result<?, StoreFailure> r) {
        assertFalse(r.isOk(), "must not open");
        return r.failure().kind();
    }

    private static int headerLength() {
        return 4 + 1 + 2 + KEYSET.getBytes(StandardCharsets.UTF_8).length + 4 + 16;
    }

    @Test
    void roundTripOfARealShare() {
        P1KeyShare share = TestKeys.p1();
        byte[] blob = sealed();
        Result<P1KeyShare, StoreFailure> r = EncryptedShareStore.open(blob, KEYSET, KEK);
        assertTrue(r.isOk(), () -> r.toString());
        P1KeyShare back = r.value();
        assertArrayEquals(share.encode(), back.encode());
        assertEquals(share.publicKey(), back.publicKey());
        assertArrayEquals(share.fingerprint(), back.fingerprint());
        assertEquals("Ok[value redacted]", r.toString());

        BlobHeader h = EncryptedShareStore.inspect(blob).value();
        assertEquals(new BlobHeader(1, KEYSET, share.epoch(), KEK.id()), h);
    }

    @Test
    void twoSealsOfTheSameShareDiffer() {
        byte[] a = EncryptedShareStore.seal(TestKeys.p1(), KEYSET, KEK, TestKeys.random("x"));
        byte[] b = EncryptedShareStore.seal(TestKeys.p1(), KEYSET, KEK, TestKeys.random("y"));
        assertFalse(Arrays.equals(a, b), "fresh data key and nonces per seal");
    }

    @Test
    void wrongKekIsNamedWithTheIdTheBlobNeeds() {
        Result<P1KeyShare, StoreFailure> r = EncryptedShareStore.open(sealed(), KEYSET, OTHER_KEK);
        assertEquals(StoreFailureKind.WRONG_KEK, failureOf(r));
        assertEquals(KEK.id(), r.failure().requiredKekId());
        assertTrue(r.failure().reason().contains(KEK.id()));
        assertTrue(r.failure().reason().contains(OTHER_KEK.id()));
    }

    @Test
    void blobOfKeysetAOpenedAsKeysetB() {
        Result<P1KeyShare, StoreFailure> r = EncryptedShareStore.open(sealed(), "keyset-B", KEK);
        assertEquals(StoreFailureKind.WRONG_KEYSET, failureOf(r));
    }

    @Test
    void everyFlippedByteIsRefusedAndNeverOpens() {
        byte[] blob = sealed();
        int h = headerLength();
        int kekIdStart = h - 16;
        for (int i = 0; i < blob.length; i++) {
            for (int mask : new int[] {0x01, 0x80}) {
                byte[] t = blob.clone();
                t[i] ^= (byte) mask;
                StoreFailureKind k = failureOf(EncryptedShareStore.open(t, KEYSET, KEK));
                Set<StoreFailureKind> allowed = EnumSet.of(StoreFailureKind.TAMPERED, StoreFailureKind.MALFORMED);
                if (i == 4) {
                    allowed = EnumSet.of(StoreFailureKind.UNSUPPORTED_VERSION);
                } else if (i >= kekIdStart && i < h) {
                    // an altered KEK id is indistinguishable from a blob sealed under another KEK
                    allowed = EnumSet.of(StoreFailureKind.WRONG_KEK);
                }
                assertTrue(allowed.contains(k), "byte " + i + " mask " + mask + ": " + k);
            }
        }
    }

    @Test
    void headerAndBodyFlipsAreTamperedWhereTheLayoutStillParses() {
        byte[] blob = sealed();
        int h = headerLength();
        // epoch (4 bytes before the KEK id), nonce1, wrapped key, nonce2, payload
        List<Integer> positions = new ArrayList<>(List.of(h - 20, h - 17, h, h + 12, h + 59, h + 60, h + 71));
        positions.add(h + 76);
        positions.add(blob.length - 1);
        for (int i : positions) {
            byte[] t = blob.clone();
            t[i] ^= 0x01;
            assertEquals(StoreFailureKind.TAMPERED, failureOf(EncryptedShareStore.open(t, KEYSET, KEK)), "byte " + i);
        }
    }

    @Test
    void everyTruncationAndTrailingBytesAreMalformed() {
        byte[] blob = sealed();
        for (int n = 0; n < blob.length; n++) {
            assertEquals(StoreFailureKind.MALFORMED,
                    failureOf(EncryptedShareStore.open(Arrays.copyOf(blob, n), KEYSET, KEK)), "length " + n);
        }
        assertEquals(StoreFailureKind.MALFORMED,
                failureOf(EncryptedShareStore.open(Arrays.copyOf(blob, blob.length + 1), KEYSET, KEK)));
        assertEquals(StoreFailureKind.MALFORMED, failureOf(EncryptedShareStore.open(null, KEYSET, KEK)));
    }

    @Test
    void wrongMagicVersionAndLengths() {
        byte[] blob = sealed();
        byte[] magic = blob.clone();
        magic[3] = 'V';
        assertEquals(StoreFailureKind.MALFORMED, failureOf(EncryptedShareStore.open(magic, KEYSET, KEK)));
        byte[] v2 = blob.clone();
        v2[4] = 2;
        assertEquals(StoreFailureKind.UNSUPPORTED_VERSION, failureOf(EncryptedShareStore.open(v2, KEYSET, KEK)));
        byte[] zeroId = blob.clone();
        zeroId[5] = 0;
        zeroId[6] = 0;
        assertEquals(StoreFailureKind.MALFORMED, failureOf(EncryptedShareStore.open(zeroId, KEYSET, KEK)));
        byte[] longId = blob.clone();
        longId[5] = 0;
        longId[6] = (byte) 129;
        assertEquals(StoreFailureKind.MALFORMED, failureOf(EncryptedShareStore.open(longId, KEYSET, KEK)));
        byte[] payloadLen = blob.clone();
        int lenAt = headerLength() + 72;
        payloadLen[lenAt] = (byte) 0x7f;
        assertEquals(StoreFailureKind.MALFORMED, failureOf(EncryptedShareStore.open(payloadLen, KEYSET, KEK)));
    }

    @Test
    void badKeysetIdsAreArgumentErrors() {
        assertThrows(IllegalArgumentException.class,
                () -> EncryptedShareStore.seal(TestKeys.p1(), "", KEK, TestKeys.random("a")));
        assertThrows(IllegalArgumentException.class,
                () -> EncryptedShareStore.seal(TestKeys.p1(), "x".repeat(129), KEK, TestKeys.random("a")));
        assertThrows(IllegalArgumentException.class,
                () -> EncryptedShareStore.seal(TestKeys.p1(), "bad\uD800", KEK, TestKeys.random("a")));
        assertTrue(EncryptedShareStore.open(EncryptedShareStore.seal(TestKeys.p1(), "x".repeat(128), KEK,
                TestKeys.random("a")), "x".repeat(128), KEK).isOk());
    }

    @Test
    void substitutedCKeyIsAnInconsistentShare() {
        P1KeyShare good = TestKeys.p1();
        PaillierPublicKey pk = good.paillierPublicKey();
        // another valid ciphertext under the same key, of x1 + 1
        BigInteger other = pk.encrypt(good.x1().add(BigInteger.ONE), BigInteger.valueOf(7), ModPow.JAVA);
        assertTrue(pk.isValidCiphertext(other));
        P1KeyShare bad = new P1KeyShare(good.keyId(), good.epoch(), good.x1(), good.q2(), good.paillier(), other,
                good.ringPedersen());
        byte[] blob = EncryptedShareStore.seal(bad, KEYSET, KEK, TestKeys.random("bad"));
        assertEquals(StoreFailureKind.INCONSISTENT_SHARE, failureOf(EncryptedShareStore.open(blob, KEYSET, KEK)));
    }

    @Test
    void authenticPayloadThatIsNotAShareIsAnInconsistentShare() throws Exception {
        byte[] blob = sealRaw("not a share".getBytes(StandardCharsets.UTF_8), TestKeys.p1().epoch());
        assertEquals(StoreFailureKind.INCONSISTENT_SHARE, failureOf(EncryptedShareStore.open(blob, KEYSET, KEK)));
    }

    @Test
    void headerEpochDifferentFromTheSharesIsAnInconsistentShare() throws Exception {
        byte[] blob = sealRaw(TestKeys.p1().encode(), TestKeys.p1().epoch() + 1);
        assertEquals(StoreFailureKind.INCONSISTENT_SHARE, failureOf(EncryptedShareStore.open(blob, KEYSET, KEK)));
    }

    /** Seals arbitrary plaintext in a well-formed, authentic blob (what a buggy or hostile writer with the KEK could do). */
    private static byte[] sealRaw(byte[] plain, long epoch) throws Exception {
        byte[] header = ShareBlob.encodeHeader(KEYSET.getBytes(StandardCharsets.UTF_8), epoch, KEK.idBytes());
        byte[] dk = new byte[32];
        byte[] n1 = new byte[12];
        byte[] n2 = new byte[12];
        TestKeys.random("raw").nextBytes(dk);
        n2[0] = 1;
        byte[] wrapped = gcm(KEK.secretKey(), n1, header, dk);
        byte[] payload = gcm(new SecretKeySpec(dk, "AES"), n2, Bytes.concat(header, n1, wrapped), plain);
        return ShareBlob.encode(header, n1, wrapped, n2, payload);
    }

    private static byte[] gcm(SecretKeySpec key, byte[] nonce, byte[] aad, byte[] plain) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        return c.doFinal(plain);
    }

    @Test
    void sealedBlobContainsNoSecretInAnyEncoding() {
        P1KeyShare share = TestKeys.p1();
        byte[] blob = sealed();
        List<byte[]> needles = new ArrayList<>();
        for (BigInteger secret : List.of(share.x1(), share.paillier().p(), share.paillier().q(),
                share.paillier().phi())) {
            byte[] be = Bytes.unsigned(secret);
            needles.add(be);
            needles.add(secret.toByteArray());
            needles.add(reverse(be));
            String hex = HexFormat.of().formatHex(be);
            needles.add(hex.getBytes(StandardCharsets.US_ASCII));
            needles.add(hex.toUpperCase().getBytes(StandardCharsets.US_ASCII));
            needles.add(secret.toString().getBytes(StandardCharsets.US_ASCII));
            needles.add(java.util.Base64.getEncoder().encodeToString(be).getBytes(StandardCharsets.US_ASCII));
        }
        needles.add(Scalars.encode(share.x1()));
        byte[] plain = share.encode();
        try {
            for (int off = 0; off + 16 <= plain.length; off += 16) {
                needles.add(Arrays.copyOfRange(plain, off, off + 16)); // no 16-byte window of the plaintext
            }
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        for (byte[] needle : needles) {
            // the shortest secret window searched is 16 bytes; any 8-byte prefix of a 32+ byte secret is checked too
            assertFalse(contains(blob, needle), "blob contains a secret encoding");
            if (needle.length >= 32) {
                assertFalse(contains(blob, Arrays.copyOf(needle, 12)), "blob contains a secret prefix");
            }
        }
    }

    @Test
    void failureMessagesAndToStringsCarryNoSecret() {
        P1KeyShare share = TestKeys.p1();
        String x1Hex = share.x1().toString(16);
        for (Result<?, StoreFailure> r : List.of(EncryptedShareStore.open(sealed(), KEYSET, OTHER_KEK),
                EncryptedShareStore.open(sealed(), "B", KEK))) {
            assertNotNull(r.failure());
            assertFalse(r.toString().contains(x1Hex));
        }
        assertFalse(KEK.toString().contains(HexFormat.of().formatHex(KEK.secretKey().getEncoded())));
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
