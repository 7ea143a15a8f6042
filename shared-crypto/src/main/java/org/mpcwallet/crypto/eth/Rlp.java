package org.mpcwallet.crypto.eth;

import java.util.ArrayList;

/**
 * Recursive Length Prefix encoding (Ethereum Yellow Paper, Appendix B; https://ethereum.org/developers/docs/data-structures-and-encoding/rlp).
 *
 * <p>{@link #encode} always produces the canonical encoding. {@link #decode} accepts only the canonical encoding of
 * exactly one item and rejects, with an {@link IllegalArgumentException}:
 *
 * <ul>
 *   <li>empty input, truncated input and items overrunning their enclosing list;
 *   <li>bytes after the top-level item;
 *   <li>a single byte below {@code 0x80} wrapped as a one-byte string ({@code 0x81 xx});
 *   <li>the long form ({@code 0xb8..0xbf}, {@code 0xf8..0xff}) used for a payload of at most 55 bytes;
 *   <li>leading zero bytes in a long-form length;
 *   <li>lists nested deeper than {@link #MAX_DEPTH} (protects the recursive decoder's stack).
 * </ul>
 */
public final class Rlp {
    /** Maximum list nesting accepted by the decoder; transactions need at most 3. */
    public static final int MAX_DEPTH = 64;

    private static final int SHORT_STRING = 0x80;
    private static final int LONG_STRING = 0xb7;
    private static final int SHORT_LIST = 0xc0;
    private static final int LONG_LIST = 0xf7;
    private static final int MAX_SHORT_PAYLOAD = 55;

    private Rlp() {}

    /** Canonical RLP encoding of {@code item}. */
    public static byte[] encode(RlpItem item) {
        if (item == null) {
            throw new IllegalArgumentException("cannot RLP-encode null");
        }
        Sink out = new Sink();
        write(item, out);
        return out.toByteArray();
    }

    private static void write(RlpItem item, Sink out) {
        if (item instanceof RlpString s) {
            byte[] b = s.bytes();
            if (b.length == 1 && (b[0] & 0xff) < SHORT_STRING) {
                out.write(b[0]);
            } else {
                writeHeader(b.length, SHORT_STRING, LONG_STRING, out);
                out.write(b);
            }
        } else {
            RlpList list = (RlpList) item;
            Sink payload = new Sink();
            for (RlpItem child : list.items()) {
                write(child, payload);
            }
            writeHeader(payload.size(), SHORT_LIST, LONG_LIST, out);
            out.write(payload.toByteArray());
        }
    }

    private static void writeHeader(int length, int shortBase, int longBase, Sink out) {
        if (length <= MAX_SHORT_PAYLOAD) {
            out.write((byte) (shortBase + length));
            return;
        }
        int lengthOfLength = 0;
        for (int v = length; v != 0; v >>>= 8) {
            lengthOfLength++;
        }
        out.write((byte) (longBase + lengthOfLength));
        for (int i = lengthOfLength - 1; i >= 0; i--) {
            out.write((byte) (length >>> (8 * i)));
        }
    }

    /** Strictly decodes exactly one canonical RLP item filling all of {@code input}. */
    public static RlpItem decode(byte[] input) {
        if (input == null || input.length == 0) {
            throw new IllegalArgumentException("RLP input is empty");
        }
        byte[] in = input.clone();
        int[] end = new int[1];
        RlpItem item = read(in, 0, in.length, 0, end);
        if (end[0] != in.length) {
            throw new IllegalArgumentException(
                    "RLP input has " + (in.length - end[0]) + " trailing byte(s) after the item at offset " + end[0]);
        }
        return item;
    }

    /** Reads one item starting at {@code pos} that must end by {@code limit}; stores its end offset in end[0]. */
    private static RlpItem read(byte[] in, int pos, int limit, int depth, int[] end) {
        if (pos >= limit) {
            throw new IllegalArgumentException("RLP truncated: expected an item at offset " + pos);
        }
        int prefix = in[pos] & 0xff;
        if (prefix < SHORT_STRING) {
            end[0] = pos + 1;
            return new RlpString(new byte[] {in[pos]});
        }
        boolean isList = prefix >= SHORT_LIST;
        int shortBase = isList ? SHORT_LIST : SHORT_STRING;
        int longBase = isList ? LONG_LIST : LONG_STRING;
        int start;
        int length;
        if (prefix <= longBase) {
            start = pos + 1;
            length = prefix - shortBase;
        } else {
            int lengthOfLength = prefix - longBase;
            start = pos + 1 + lengthOfLength;
            length = readLength(in, pos + 1, lengthOfLength, limit);
            if (length <= MAX_SHORT_PAYLOAD) {
                throw new IllegalArgumentException("RLP non-canonical: long-form length " + length
                        + " at offset " + pos + " must use the short form (payload <= 55 bytes)");
            }
        }
        if (length > limit - start) {
            throw new IllegalArgumentException("RLP truncated: item at offset " + pos + " declares " + length
                    + " payload bytes but only " + Math.max(0, limit - start) + " remain");
        }
        end[0] = start + length;
        if (!isList) {
            if (length == 1 && (in[start] & 0xff) < SHORT_STRING) {
                throw new IllegalArgumentException("RLP non-canonical: single byte 0x"
                        + Integer.toHexString(in[start] & 0xff) + " at offset " + pos
                        + " must be encoded as itself, not as a one-byte string");
            }
            byte[] content = new byte[length];
            System.arraycopy(in, start, content, 0, length);
            return new RlpString(content);
        }
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("RLP lists nested deeper than " + MAX_DEPTH + " at offset " + pos);
        }
        int listEnd = start + length;
        ArrayList<RlpItem> items = new ArrayList<>();
        int cursor = start;
        int[] childEnd = new int[1];
        while (cursor < listEnd) {
            items.add(read(in, cursor, listEnd, depth + 1, childEnd));
            cursor = childEnd[0];
        }
        end[0] = listEnd;
        return new RlpList(items);
    }

    private static int readLength(byte[] in, int pos, int lengthOfLength, int limit) {
        if (lengthOfLength > limit - pos) {
            throw new IllegalArgumentException("RLP truncated: length field at offset " + pos + " needs "
                    + lengthOfLength + " bytes");
        }
        if (in[pos] == 0) {
            throw new IllegalArgumentException("RLP non-canonical: leading zero byte in the length at offset " + pos);
        }
        if (lengthOfLength > 4) {
            throw new IllegalArgumentException("RLP length at offset " + pos + " exceeds any possible input size");
        }
        long length = 0;
        for (int i = 0; i < lengthOfLength; i++) {
            length = (length << 8) | (in[pos + i] & 0xff);
        }
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("RLP length at offset " + pos + " exceeds any possible input size");
        }
        return (int) length;
    }

    /** Minimal growable byte buffer (java.io is avoided to keep the TeaVM surface small). */
    private static final class Sink {
        private byte[] buf = new byte[64];
        private int size;

        void write(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        void write(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        int size() {
            return size;
        }

        byte[] toByteArray() {
            byte[] out = new byte[size];
            System.arraycopy(buf, 0, out, 0, size);
            return out;
        }

        private void ensure(int extra) {
            if (extra > Integer.MAX_VALUE - 8 - size) {
                throw new IllegalArgumentException("RLP encoding too large");
            }
            int needed = size + extra;
            if (needed > buf.length) {
                int cap = buf.length;
                while (cap < needed) {
                    cap = cap > (Integer.MAX_VALUE - 8) / 2 ? Integer.MAX_VALUE - 8 : cap * 2;
                }
                byte[] grown = new byte[cap];
                System.arraycopy(buf, 0, grown, 0, size);
                buf = grown;
            }
        }
    }
}
