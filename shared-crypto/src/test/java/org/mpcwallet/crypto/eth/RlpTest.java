package org.mpcwallet.crypto.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.web3j.rlp.RlpDecoder;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpType;

class RlpTest {

    // ---------------------------------------------------------------- known answers (ethereum/tests)

    @Test
    void ethereumTestsValidVectors() {
        List<String[]> rows = Vectors.rows("vectors/eth/rlp-valid.txt", 3);
        assertEquals(28, rows.size(), "vector count");
        for (String[] row : rows) {
            RlpItem item = Vectors.parseItem(row[1]);
            byte[] expected = Vectors.hex(row[2]);
            assertArrayEquals(expected, Rlp.encode(item), row[0]);
            assertEquals(item, Rlp.decode(expected), row[0]);
        }
    }

    @Test
    void ethereumTestsInvalidVectorsAreRejected() {
        List<String[]> rows = Vectors.rows("vectors/eth/rlp-invalid.txt", 2);
        assertEquals(18, rows.size(), "vector count");
        for (String[] row : rows) {
            byte[] bad = Vectors.hex(row[1]);
            assertThrows(IllegalArgumentException.class, () -> Rlp.decode(bad), row[0]);
        }
    }

    // ---------------------------------------------------------------- cross-check with web3j

    @Test
    void randomItemsMatchWeb3j() {
        Random rnd = new Random(0x524c50L);
        for (int i = 0; i < 2000; i++) {
            RlpItem item = randomItem(rnd, 0);
            byte[] ours = Rlp.encode(item);
            assertArrayEquals(RlpEncoder.encode(toWeb3j(item)), ours, "encoding #" + i);
            assertEquals(item, fromWeb3j(RlpDecoder.decode(ours).getValues().get(0)), "web3j decodes ours #" + i);
            assertEquals(item, Rlp.decode(ours), "round trip #" + i);
        }
    }

    @Test
    void integersMatchWeb3j() {
        Random rnd = new Random(0x494e54L);
        for (int i = 0; i < 2000; i++) {
            BigInteger v = RandomValues.uint(rnd, 1 + rnd.nextInt(300));
            RlpString s = RlpString.ofUnsigned(v);
            assertArrayEquals(RlpEncoder.encode(org.web3j.rlp.RlpString.create(v)), Rlp.encode(s), v.toString(16));
            assertEquals(v, ((RlpString) Rlp.decode(Rlp.encode(s))).toUnsigned(300, "v"));
        }
    }

    @Test
    void canonicalIntegerEncoding() {
        assertArrayEquals(new byte[] {(byte) 0x80}, Rlp.encode(RlpString.ofUnsigned(BigInteger.ZERO)));
        assertArrayEquals(new byte[] {0x01}, Rlp.encode(RlpString.ofUnsigned(BigInteger.ONE)));
        assertArrayEquals(new byte[] {0x7f}, Rlp.encode(RlpString.ofUnsigned(BigInteger.valueOf(127))));
        assertArrayEquals(Bytes.fromHex("8180"), Rlp.encode(RlpString.ofUnsigned(BigInteger.valueOf(128))));
        assertArrayEquals(Bytes.fromHex("820100"), Rlp.encode(RlpString.ofUnsigned(BigInteger.valueOf(256))));
        assertThrows(IllegalArgumentException.class, () -> RlpString.ofUnsigned(BigInteger.valueOf(-1)));
        assertThrows(IllegalArgumentException.class, () -> RlpString.ofUnsigned(null));
    }

    // ---------------------------------------------------------------- strict decoding, one rule per test

    @Test
    void rejectsEmptyAndNullInput() {
        assertRejected(new byte[0], "empty");
        assertThrows(IllegalArgumentException.class, () -> Rlp.decode(null));
    }

    @Test
    void rejectsTrailingBytes() {
        assertRejected(Bytes.fromHex("8000"), "trailing");
        assertRejected(Bytes.fromHex("c0c0"), "trailing");
        assertRejected(Bytes.fromHex("0102"), "trailing");
        assertRejected(Bytes.fromHex("83646f6700"), "trailing");
    }

    @Test
    void rejectsSingleByteBelow0x80WrappedAsAString() {
        for (int b = 0; b < 0x80; b++) {
            assertRejected(new byte[] {(byte) 0x81, (byte) b}, "single byte");
        }
        assertEquals(new RlpString(new byte[] {(byte) 0x80}), Rlp.decode(Bytes.fromHex("8180")));
        assertEquals(new RlpString(new byte[] {(byte) 0xff}), Rlp.decode(Bytes.fromHex("81ff")));
        // also inside a list
        assertRejected(Bytes.fromHex("c28105"), "single byte");
    }

    @Test
    void rejectsLongFormForPayloadsOfAtMost55Bytes() {
        for (int len = 1; len <= 55; len++) {
            assertRejected(Bytes.concat(new byte[] {(byte) 0xb8, (byte) len}, new byte[len]), "short form");
            assertRejected(Bytes.concat(new byte[] {(byte) 0xf8, (byte) len}, filledWith0x80(len)), "short form");
        }
        byte[] str56 = Bytes.concat(Bytes.fromHex("b838"), new byte[56]);
        assertEquals(new RlpString(new byte[56]), Rlp.decode(str56));
        assertEquals(56, ((RlpList) Rlp.decode(Bytes.concat(Bytes.fromHex("f838"), filledWith0x80(56)))).size());
    }

    @Test
    void rejectsLeadingZerosInLengths() {
        assertRejected(Bytes.concat(Bytes.fromHex("b90038"), new byte[56]), "leading zero");
        assertRejected(Bytes.concat(Bytes.fromHex("f90038"), filledWith0x80(56)), "leading zero");
        assertRejected(Bytes.concat(Bytes.fromHex("ba000100"), new byte[256]), "leading zero");
        assertRejected(Bytes.fromHex("b800"), "leading zero");
    }

    @Test
    void rejectsTruncatedInput() {
        assertRejected(Bytes.fromHex("83646f"), "truncated");
        assertRejected(Bytes.fromHex("b8"), "truncated");
        assertRejected(Bytes.fromHex("b901"), "truncated");
        assertRejected(Bytes.concat(Bytes.fromHex("b838"), new byte[55]), "truncated");
        assertRejected(Bytes.fromHex("c38080"), "truncated");
        assertRejected(Bytes.fromHex("f8"), "truncated");
    }

    @Test
    void rejectsAnItemOverrunningItsEnclosingList() {
        // list declares 2 payload bytes; its string item declares 3 (the bytes exist after the list)
        assertRejected(Bytes.fromHex("c283616263"), "truncated");
        assertRejected(Bytes.fromHex("c1c180"), "truncated");
    }

    @Test
    void rejectsImpossibleLengths() {
        assertRejected(Bytes.fromHex("bbffffffff00"), "exceeds");
        assertRejected(Bytes.fromHex("bf0100000000000000"), "exceeds");
        assertRejected(Bytes.fromHex("ff0100000000000000"), "exceeds");
        assertRejected(Bytes.fromHex("bb7fffffff00"), "truncated");
    }

    @Test
    void limitsNestingDepth() {
        assertEquals(nested(Rlp.MAX_DEPTH), Rlp.decode(Rlp.encode(nested(Rlp.MAX_DEPTH))));
        assertRejected(Rlp.encode(nested(Rlp.MAX_DEPTH + 1)), "nested deeper");
        // a megabyte of 0xc1 prefixes (each claiming the rest) must fail cleanly, not blow the stack
        byte[] deep = new byte[1 << 20];
        java.util.Arrays.fill(deep, (byte) 0xc1);
        assertThrows(IllegalArgumentException.class, () -> Rlp.decode(deep));
    }

    @Test
    void strictScalarDecoding() {
        assertEquals(BigInteger.ZERO, RlpString.EMPTY.toUnsigned(8, "x"));
        assertRejectedScalar(new byte[] {0}, 8, "leading zero");
        assertRejectedScalar(new byte[] {0, 1}, 16, "leading zero");
        assertRejectedScalar(new byte[33], 256, "leading zero");
        byte[] big = new byte[33];
        big[0] = 1;
        assertRejectedScalar(big, 256, "exceeds 256 bits");
        byte[] max = new byte[32];
        java.util.Arrays.fill(max, (byte) 0xff);
        assertEquals(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), new RlpString(max).toUnsigned(256, "x"));
        assertRejectedScalar(new byte[] {1, 0}, 8, "exceeds 8 bits");
    }

    @Test
    void itemsAreImmutable() {
        byte[] raw = {1, 2, 3};
        RlpString s = new RlpString(raw);
        raw[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, s.bytes(), "constructor copies");
        s.bytes()[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, s.bytes(), "accessor copies");

        List<RlpItem> items = new ArrayList<>(List.of(s));
        RlpList list = new RlpList(items);
        items.add(RlpString.EMPTY);
        assertEquals(1, list.size(), "list copies its items");
        assertThrows(UnsupportedOperationException.class, () -> list.items().add(RlpString.EMPTY));

        byte[] encoded = Rlp.encode(list);
        RlpItem decoded = Rlp.decode(encoded);
        encoded[1] = 0x7f;
        assertEquals(list, decoded, "decoded item does not alias the input");

        assertThrows(IllegalArgumentException.class, () -> new RlpString(null));
        assertThrows(IllegalArgumentException.class, () -> new RlpList(null));
        assertThrows(IllegalArgumentException.class, () -> RlpList.of(s, null));
        assertThrows(IllegalArgumentException.class, () -> Rlp.encode(null));
    }

    // ---------------------------------------------------------------- helpers

    private static void assertRejected(byte[] input, String messagePart) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Rlp.decode(input), "accepted " + Bytes.toHex(input));
        assertTrue(e.getMessage().contains(messagePart),
                "message for " + Bytes.toHex(input) + " should mention '" + messagePart + "': " + e.getMessage());
    }

    private static void assertRejectedScalar(byte[] content, int bits, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RlpString(content).toUnsigned(bits, "field"));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    private static byte[] filledWith0x80(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 0x80);
        return b;
    }

    private static RlpItem nested(int levels) {
        RlpItem item = RlpList.of();
        for (int i = 1; i < levels; i++) {
            item = RlpList.of(item);
        }
        return item;
    }

    static RlpItem randomItem(Random rnd, int depth) {
        if (depth < 4 && rnd.nextInt(depth == 0 ? 2 : 3) == 0) {
            // long lists (> 55 payload bytes) only at the top, so that the tree stays small
            int n = depth == 0 && rnd.nextInt(3) == 0 ? 50 + rnd.nextInt(30) : rnd.nextInt(6);
            List<RlpItem> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(randomItem(rnd, depth + 1));
            }
            return new RlpList(items);
        }
        int kind = rnd.nextInt(6);
        int len = switch (kind) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 55 + rnd.nextInt(2);
            case 3 -> rnd.nextInt(300);
            case 4 -> 256 + rnd.nextInt(70000);
            default -> rnd.nextInt(20);
        };
        if (kind == 4 && rnd.nextInt(8) != 0) {
            len = rnd.nextInt(60);
        }
        return new RlpString(RandomValues.bytes(rnd, len));
    }

    private static RlpType toWeb3j(RlpItem item) {
        if (item instanceof RlpString s) {
            return org.web3j.rlp.RlpString.create(s.bytes());
        }
        List<RlpType> out = new ArrayList<>();
        for (RlpItem child : ((RlpList) item).items()) {
            out.add(toWeb3j(child));
        }
        return new org.web3j.rlp.RlpList(out);
    }

    private static RlpItem fromWeb3j(RlpType item) {
        if (item instanceof org.web3j.rlp.RlpString s) {
            return new RlpString(s.getBytes());
        }
        List<RlpItem> out = new ArrayList<>();
        for (RlpType child : ((org.web3j.rlp.RlpList) item).getValues()) {
            out.add(fromWeb3j(child));
        }
        return new RlpList(out);
    }
}
