package org.mpcwallet.crypto.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;

/** HMAC-SHA256 known answers (RFC 4231 section 4) and a cross-check against the JDK's javax.crypto.Mac. */
class HmacSha256VectorsTest {
    private static final String FILE = "vectors/hmac/hmac-sha256-rfc4231.txt";

    @Test
    void rfc4231TestCases() throws Exception {
        List<String[]> rows = HashVectors.rows(FILE, 4);
        List<String> names = new ArrayList<>();
        for (String[] row : rows) {
            byte[] key = HashVectors.value(row[1]);
            byte[] data = HashVectors.value(row[2]);
            byte[] expected = Bytes.fromHex(row[3]);
            assertArrayEquals(expected, HmacSha256.mac(key, data), row[0]);
            assertArrayEquals(expected, jdk(key, data), row[0] + " (JDK reference)");
            names.add(row[0]);
        }
        assertEquals(List.of("rfc4231-tc1", "rfc4231-tc2", "rfc4231-tc3", "rfc4231-tc4", "rfc4231-tc6",
                "rfc4231-tc7"), names, "RFC 4231 test cases in " + FILE);
    }

    @Test
    void randomisedKeysAndMessagesMatchJdkMac() throws Exception {
        DeterministicRandom rng = DeterministicRandom.fromLabel("hmac-sha256-crosscheck");
        // key lengths around the 64-byte block (keys longer than a block are hashed first)
        int[] keyLengths = {1, 16, 31, 32, 33, 63, 64, 65, 100, 128, 131, 200};
        int[] dataLengths = {0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1000};
        byte[] sizes = new byte[2];
        for (int kl : keyLengths) {
            for (int dl : dataLengths) {
                byte[] key = new byte[kl];
                byte[] data = new byte[dl];
                rng.nextBytes(key);
                rng.nextBytes(data);
                byte[] expected = jdk(key, data);
                assertArrayEquals(expected, HmacSha256.mac(key, data), "key " + kl + ", data " + dl);
                rng.nextBytes(sizes);
                int cut = dl == 0 ? 0 : (sizes[0] & 0xff) % (dl + 1);
                assertArrayEquals(expected, HmacSha256.mac(key, Arrays.copyOfRange(data, 0, cut),
                        Arrays.copyOfRange(data, cut, dl)), "parts split at " + cut);
            }
        }
    }

    @Test
    void emptyKeyIsTheAllZeroBlockKey() throws Exception {
        // RFC 2104: the key is zero-padded to the block size; the JDK refuses an empty SecretKeySpec, so compare
        // against the equivalent 64-byte all-zero key.
        byte[] data = "message".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertArrayEquals(jdk(new byte[64], data), HmacSha256.mac(new byte[0], data));
    }

    @Test
    void differentKeysGiveDifferentMacs() {
        byte[] data = "message".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertFalse(Arrays.equals(HmacSha256.mac(new byte[] {1}, data), HmacSha256.mac(new byte[] {2}, data)));
    }

    static byte[] jdk(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
