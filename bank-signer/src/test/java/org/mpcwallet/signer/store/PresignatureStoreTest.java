package org.mpcwallet.signer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.signer.testing.TestKeys;

class PresignatureStoreTest {
    private static final KeyEncryptionKey KEK = KeyEncryptionKey.generate(TestKeys.random("presig-kek"));
    private static final String KEYSET = "keyset-p";

    private static P1Presignature presig() {
        return new P1Presignature(TestKeys.sid("presig-id"), TestKeys.sid("presig-fp"),
                new BigInteger("1234567890abcdef1234567890abcdef", 16), TestKeys.p1().publicKey(), TestKeys.p2().q2());
    }

    private static String id() {
        return presig().idHex();
    }

    private static byte[] blob() {
        return PresignatureStore.seal(presig(), KEYSET, 7, KEK, TestKeys.random("presig-seal"));
    }

    @Test
    void roundTripsAndBindsKeysetIdEpochAndKek() {
        byte[] b = blob();
        Result<P1Presignature, StoreFailure> r = PresignatureStore.open(b, KEYSET, id(), KEK);
        assertTrue(r.isOk(), r::toString);
        assertArrayEquals(presig().encode(), r.value().encode());
        assertEquals(7, PresignatureStore.epochOf(b));
        assertArrayEquals(new byte[] {'M', 'P', 'C', 'P', 1}, Arrays.copyOf(b, 5));
        assertEquals(StoreFailureKind.WRONG_KEYSET, PresignatureStore.open(b, "other", id(), KEK).failure().kind());
        assertEquals(StoreFailureKind.WRONG_KEYSET,
                PresignatureStore.open(b, KEYSET, "00".repeat(32), KEK).failure().kind());
        StoreFailure wrongKek = PresignatureStore.open(b, KEYSET, id(),
                KeyEncryptionKey.generate(TestKeys.random("presig-other"))).failure();
        assertEquals(StoreFailureKind.WRONG_KEK, wrongKek.kind());
        assertEquals(KEK.id(), wrongKek.requiredKekId());
        assertFalse(EncryptedShareStore.open(b, KEYSET, KEK).isOk());
    }

    @Test
    void everyFlippedByteTruncationAndTrailingByteIsRefused() {
        byte[] b = blob();
        for (int i = 0; i < b.length; i++) {
            byte[] t = b.clone();
            t[i] ^= 0x01;
            assertFalse(PresignatureStore.open(t, KEYSET, id(), KEK).isOk(), "flipped byte " + i);
        }
        for (int n = 0; n < b.length; n++) {
            StoreFailureKind k = PresignatureStore.open(Arrays.copyOf(b, n), KEYSET, id(), KEK).failure().kind();
            assertEquals(StoreFailureKind.MALFORMED, k, "length " + n);
            assertFalse(PresignatureStore.open(Arrays.copyOf(b, n), KEYSET, id(), KEK).isOk(), "length " + n);
        }
        assertEquals(StoreFailureKind.MALFORMED,
                PresignatureStore.open(Arrays.copyOf(b, b.length + 1), KEYSET, id(), KEK).failure().kind());
        byte[] v2 = b.clone();
        v2[4] = 2;
        assertEquals(StoreFailureKind.UNSUPPORTED_VERSION,
                PresignatureStore.open(v2, KEYSET, id(), KEK).failure().kind());
        assertEquals(StoreFailureKind.MALFORMED, PresignatureStore.open(null, KEYSET, id(), KEK).failure().kind());
    }
}
