package org.mpcwallet.crypto.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

class EthAddressTest {
    private static final String EIP55 = "vectors/eth/eip55-addresses.txt";

    @Test
    void eip55TestCasesRoundTrip() {
        List<String> vectors = Vectors.lines(EIP55);
        assertEquals(8, vectors.size(), "vector count");
        for (String v : vectors) {
            EthAddress a = EthAddress.parse(v);
            assertEquals(v, a.toChecksumHex());
            assertEquals(v, a.toString());
            assertEquals(v.toLowerCase(Locale.ROOT), a.toLowerHex());
            assertEquals(v, Keys.toChecksumAddress(v.toLowerCase(Locale.ROOT)), "web3j agrees");
        }
    }

    @Test
    void eip55FlippingTheCaseOfAnyLetterIsRejected() {
        for (String v : Vectors.lines(EIP55)) {
            int letters = 0;
            for (int i = 2; i < v.length(); i++) {
                char c = v.charAt(i);
                if (!Character.isLetter(c)) {
                    continue;
                }
                letters++;
                char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                String bad = v.substring(0, i) + flipped + v.substring(i + 1);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EthAddress.parse(bad),
                        bad);
                assertTrue(e.getMessage().contains("EIP-55"), e.getMessage());
            }
            assertTrue(letters > 0, v);
        }
    }

    @Test
    void allLowerAndAllUpperAreAcceptedWithoutChecksum() {
        Random rnd = new Random(55);
        for (int i = 0; i < 500; i++) {
            EthAddress a = RandomValues.address(rnd);
            String hex = Bytes.toHex(a.bytes());
            assertEquals(a, EthAddress.parse("0x" + hex));
            assertEquals(a, EthAddress.parse("0x" + hex.toUpperCase(Locale.ROOT)));
            assertEquals(a, EthAddress.parse(a.toChecksumHex()));
            assertEquals(Keys.toChecksumAddress(hex), a.toChecksumHex(), "web3j checksum");
        }
    }

    @Test
    void fromPublicKeyMatchesWeb3j() {
        Random rnd = new Random(0xadd7L);
        for (int i = 0; i < 200; i++) {
            ECKeyPair key = ECKeyPair.create(RandomValues.privateKey(rnd));
            EthAddress a = EthAddress.fromPublicKey(Web3jSigner.uncompressedPublicKey(key));
            assertEquals("0x" + Keys.getAddress(key.getPublicKey()), a.toLowerHex());
        }
    }

    @Test
    void fromPublicKeyRejectsMalformedKeys() {
        ECKeyPair key = ECKeyPair.create(BigInteger.valueOf(123456789));
        byte[] good = Web3jSigner.uncompressedPublicKey(key);
        EthAddress.fromPublicKey(good);
        assertThrows(IllegalArgumentException.class, () -> EthAddress.fromPublicKey(null));
        assertThrows(IllegalArgumentException.class, () -> EthAddress.fromPublicKey(new byte[64]));
        assertThrows(IllegalArgumentException.class, () -> EthAddress.fromPublicKey(new byte[66]));
        assertThrows(IllegalArgumentException.class,
                () -> EthAddress.fromPublicKey(java.util.Arrays.copyOfRange(good, 1, 65)), "raw X||Y without 0x04");
        byte[] compressedPrefix = good.clone();
        compressedPrefix[0] = 0x02;
        assertThrows(IllegalArgumentException.class, () -> EthAddress.fromPublicKey(compressedPrefix));
        byte[] offCurve = good.clone();
        offCurve[64] ^= 1;
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EthAddress.fromPublicKey(offCurve));
        assertTrue(e.getMessage().contains("not a point"), e.getMessage());
        // x >= p: x + p with the same y would hash differently, so it must not be accepted as the same point
        BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(good, 1, 33));
        if (x.add(Secp256k1.P).bitLength() <= 256) {
            byte[] big = Bytes.concat(new byte[] {4}, Bytes.fixedWidth(x.add(Secp256k1.P), 32),
                    java.util.Arrays.copyOfRange(good, 33, 65));
            assertThrows(IllegalArgumentException.class, () -> EthAddress.fromPublicKey(big));
        }
        byte[] allZero = new byte[65];
        allZero[0] = 4;
        assertThrows(IllegalArgumentException.class, () -> EthAddress.fromPublicKey(allZero));
    }

    @Test
    void parseRejectsMalformedStrings() {
        String lower = "0x52908400098527886e0f7030069857d2e4169ee7";
        String[] bad = {
            "",
            "0x",
            lower.substring(2), // no prefix
            "0X" + lower.substring(2), // capital X
            lower.substring(0, 41), // 39 digits
            lower + "7", // 41 digits
            " " + lower.substring(0, 41),
            lower.substring(0, 41) + "\n",
            lower.substring(0, 41) + "g",
            lower.substring(0, 41) + "\uff10", // FULLWIDTH DIGIT ZERO (Character.digit accepts it)
            lower.substring(0, 41) + "\u0663", // ARABIC-INDIC DIGIT THREE
            lower.substring(0, 41) + "\uff21", // FULLWIDTH LATIN CAPITAL A
            "0x+2908400098527886e0f7030069857d2e4169ee7",
        };
        for (String s : bad) {
            assertThrows(IllegalArgumentException.class, () -> EthAddress.parse(s), "accepted: [" + s + "]");
        }
        assertThrows(IllegalArgumentException.class, () -> EthAddress.parse(null));
    }

    @Test
    void constructorValidatesAndCopies() {
        assertThrows(IllegalArgumentException.class, () -> new EthAddress(null));
        assertThrows(IllegalArgumentException.class, () -> new EthAddress(new byte[19]));
        assertThrows(IllegalArgumentException.class, () -> new EthAddress(new byte[21]));
        byte[] raw = new byte[20];
        raw[19] = 1;
        EthAddress a = new EthAddress(raw);
        raw[19] = 2;
        assertEquals(1, a.bytes()[19], "constructor must copy");
        a.bytes()[19] = 3;
        assertEquals(1, a.bytes()[19], "accessor must copy");
        assertEquals(new EthAddress(a.bytes()), a);
        assertEquals(new EthAddress(a.bytes()).hashCode(), a.hashCode());
        assertNotEquals(new EthAddress(new byte[20]), a);
        assertArrayEquals(Bytes.fromHex("0000000000000000000000000000000000000001"), a.bytes());
    }
}
