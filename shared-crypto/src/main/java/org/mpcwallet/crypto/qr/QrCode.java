package org.mpcwallet.crypto.qr;

import java.nio.charset.StandardCharsets;

/**
 * A QR code (ISO/IEC 18004, Model 2) of a short text, for the wallets' "receive" screens: byte mode, error correction
 * level M, versions 1 to 10 (up to 213 bytes; an {@code ethereum:} URI of an address fits version 4). Small and
 * dependency-free so that the browser build (TeaVM) can draw the code from the address of the share the device
 * holds, not from whatever the page was given; {@code QrCodeTest} checks every module against ZXing's encoder and
 * decodes the result with ZXing's decoder.
 *
 * <p>{@link #encode(String)} picks the smallest version and the mask with the lowest penalty (the standard's four
 * rules); {@link #encode(String, int)} forces a mask (for the cross-check). Immutable.
 *
 * <p>Why one class of this size: it follows the standard's encoding process step by step (data bits, Reed-Solomon
 * blocks, placement, masks and their penalty, format and version information) with the standard's tables; a
 * reviewer checks it against ISO/IEC 18004 section by section, and it has no other use to be split for.
 */
public final class QrCode {
    /** Data codewords per block at level M, versions 1..10: {blocks in group 1, data per block, blocks in group 2}. */
    private static final int[][] BLOCKS_M = {
        {1, 16, 0}, {1, 28, 0}, {1, 44, 0}, {2, 32, 0}, {2, 43, 0},
        {4, 27, 0}, {4, 31, 0}, {2, 38, 2}, {3, 36, 2}, {4, 43, 1},
    };
    /** Error correction codewords per block at level M, versions 1..10. */
    private static final int[] EC_PER_BLOCK_M = {10, 16, 26, 18, 24, 16, 18, 22, 22, 26};
    private static final int MAX_VERSION = 10;
    private static final int LEVEL_M_BITS = 0; // format information: L=01, M=00, Q=11, H=10

    private final int version;
    private final int size;
    private final int mask;
    private final boolean[][] dark; // [y][x]

    private QrCode(int version, int mask, boolean[][] dark) {
        this.version = version;
        this.size = dark.length;
        this.mask = mask;
        this.dark = dark;
    }

    /** The code of {@code text} (UTF-8 bytes) with the mask of lowest penalty. */
    public static QrCode encode(String text) {
        return encode(text, -1);
    }

    /** The code of {@code text} with mask {@code mask} (0..7), or the best mask when {@code mask} is -1. */
    public static QrCode encode(String text, int mask) {
        if (text == null) {
            throw new IllegalArgumentException("no text to encode");
        }
        if (mask < -1 || mask > 7) {
            throw new IllegalArgumentException("mask must be 0..7 or -1");
        }
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        int version = 1;
        while (version <= MAX_VERSION && dataCapacityBits(version) < 4 + countBits(version) + 8 * data.length) {
            version++;
        }
        if (version > MAX_VERSION) {
            throw new IllegalArgumentException("text too long for a QR code here (" + data.length + " bytes; at most "
                    + (dataCapacityBits(MAX_VERSION) - 4 - countBits(MAX_VERSION)) / 8 + ")");
        }
        byte[] codewords = interleave(version, dataCodewords(version, data));
        Grid base = new Grid(version);
        base.drawFunctionPatterns();
        base.placeData(codewords);
        if (mask >= 0) {
            return new QrCode(version, mask, base.finish(mask));
        }
        int best = 0;
        int bestPenalty = Integer.MAX_VALUE;
        for (int m = 0; m < 8; m++) {
            int p = penalty(base.copy().finish(m));
            if (p < bestPenalty) {
                bestPenalty = p;
                best = m;
            }
        }
        return new QrCode(version, best, base.finish(best));
    }

    public int version() {
        return version;
    }

    /** Modules per side (17 + 4 × version), without the quiet zone (4 light modules around it when drawn). */
    public int size() {
        return size;
    }

    public int mask() {
        return mask;
    }

    /** True for a dark module at column {@code x}, row {@code y}. */
    public boolean dark(int x, int y) {
        return dark[y][x];
    }

    /** The rows top to bottom, each a string of {@code '1'} (dark) and {@code '0'} (light), joined by {@code '\n'}. */
    public String rows() {
        StringBuilder sb = new StringBuilder(size * (size + 1));
        for (int y = 0; y < size; y++) {
            if (y > 0) {
                sb.append('\n');
            }
            for (int x = 0; x < size; x++) {
                sb.append(dark[y][x] ? '1' : '0');
            }
        }
        return sb.toString();
    }

    // ---- data ----------------------------------------------------------------------------------------------------

    private static int countBits(int version) {
        return version < 10 ? 8 : 16;
    }

    private static int dataCodewordCount(int version) {
        int[] b = BLOCKS_M[version - 1];
        return b[0] * b[1] + b[2] * (b[1] + 1);
    }

    private static int dataCapacityBits(int version) {
        return dataCodewordCount(version) * 8;
    }

    /** Mode (byte), count, the bytes, terminator, padding to the version's data codewords. */
    private static byte[] dataCodewords(int version, byte[] data) {
        int capacity = dataCapacityBits(version);
        BitBuffer bits = new BitBuffer(capacity);
        bits.append(0b0100, 4);
        bits.append(data.length, countBits(version));
        for (byte b : data) {
            bits.append(b & 0xff, 8);
        }
        bits.append(0, Math.min(4, capacity - bits.length));
        bits.append(0, (8 - bits.length % 8) % 8);
        for (int pad = 0xEC; bits.length < capacity; pad ^= 0xEC ^ 0x11) {
            bits.append(pad, 8);
        }
        return bits.toBytes();
    }

    /** Splits the data into the version's blocks, adds each block's error correction and interleaves them. */
    private static byte[] interleave(int version, byte[] data) {
        int[] b = BLOCKS_M[version - 1];
        int ec = EC_PER_BLOCK_M[version - 1];
        int blocks = b[0] + b[2];
        byte[][] dataBlocks = new byte[blocks][];
        byte[][] ecBlocks = new byte[blocks][];
        byte[] generator = ReedSolomon.generator(ec);
        int offset = 0;
        for (int i = 0; i < blocks; i++) {
            int len = b[1] + (i < b[0] ? 0 : 1);
            dataBlocks[i] = new byte[len];
            System.arraycopy(data, offset, dataBlocks[i], 0, len);
            offset += len;
            ecBlocks[i] = ReedSolomon.remainder(dataBlocks[i], generator);
        }
        byte[] out = new byte[data.length + blocks * ec];
        int k = 0;
        for (int i = 0; i <= b[1]; i++) {
            for (int j = 0; j < blocks; j++) {
                if (i < dataBlocks[j].length) {
                    out[k++] = dataBlocks[j][i];
                }
            }
        }
        for (int i = 0; i < ec; i++) {
            for (int j = 0; j < blocks; j++) {
                out[k++] = ecBlocks[j][i];
            }
        }
        return out;
    }

    private static final class BitBuffer {
        final byte[] bytes;
        int length;

        BitBuffer(int capacityBits) {
            bytes = new byte[(capacityBits + 7) / 8];
        }

        void append(int value, int count) {
            for (int i = count - 1; i >= 0; i--) {
                if (((value >>> i) & 1) != 0) {
                    bytes[length >>> 3] |= (byte) (0x80 >>> (length & 7));
                }
                length++;
            }
        }

        byte[] toBytes() {
            return bytes.clone();
        }
    }

    /** Reed–Solomon error correction over GF(256) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D). */
    static final class ReedSolomon {
        private ReedSolomon() {}

        static int multiply(int a, int b) {
            int r = 0;
            for (int i = 7; i >= 0; i--) {
                r = (r << 1) ^ ((r >>> 7) * 0x11D);
                r ^= ((b >>> i) & 1) * a;
            }
            return r & 0xff;
        }

        /** The coefficients (highest degree first, leading 1 omitted) of (x − α^0)(x − α^1)…(x − α^(degree−1)). */
        static byte[] generator(int degree) {
            byte[] g = new byte[degree];
            g[degree - 1] = 1;
            int root = 1;
            for (int i = 0; i < degree; i++) {
                for (int j = 0; j < degree; j++) {
                    g[j] = (byte) multiply(g[j] & 0xff, root);
                    if (j + 1 < degree) {
                        g[j] ^= g[j + 1];
                    }
                }
                root = multiply(root, 2);
            }
            return g;
        }

        /** The remainder of data(x) · x^degree divided by the generator: the block's error correction codewords. */
        static byte[] remainder(byte[] data, byte[] generator) {
            byte[] r = new byte[generator.length];
            for (byte d : data) {
                int factor = (d ^ r[0]) & 0xff;
                System.arraycopy(r, 1, r, 0, r.length - 1);
                r[r.length - 1] = 0;
                for (int i = 0; i < r.length; i++) {
                    r[i] ^= (byte) multiply(generator[i] & 0xff, factor);
                }
            }
            return r;
        }
    }

    // ---- the matrix ----------------------------------------------------------------------------------------------

    private static final class Grid {
        final int version;
        final int size;
        final boolean[][] dark;
        final boolean[][] function;

        Grid(int version) {
            this.version = version;
            this.size = 17 + 4 * version;
            this.dark = new boolean[size][size];
            this.function = new boolean[size][size];
        }

        private Grid(Grid g) {
            this.version = g.version;
            this.size = g.size;
            this.dark = new boolean[size][];
            this.function = g.function;
            for (int y = 0; y < size; y++) {
                dark[y] = g.dark[y].clone();
            }
        }

        Grid copy() {
            return new Grid(this);
        }

        void set(int x, int y, boolean isDark) {
            dark[y][x] = isDark;
            function[y][x] = true;
        }

        void drawFunctionPatterns() {
            for (int i = 0; i < size; i++) {
                set(6, i, i % 2 == 0);
                set(i, 6, i % 2 == 0);
            }
            finder(3, 3);
            finder(size - 4, 3);
            finder(3, size - 4);
            int[] align = alignmentPositions(version);
            for (int i = 0; i < align.length; i++) {
                for (int j = 0; j < align.length; j++) {
                    boolean onFinder = (i == 0 && j == 0) || (i == 0 && j == align.length - 1)
                            || (i == align.length - 1 && j == 0);
                    if (!onFinder) {
                        alignment(align[i], align[j]);
                    }
                }
            }
            formatBits(0); // reserves the format areas (and the dark module); the real bits come with the mask
            versionBits();
        }

        private void finder(int cx, int cy) {
            for (int dy = -4; dy <= 4; dy++) {
                for (int dx = -4; dx <= 4; dx++) {
                    int x = cx + dx;
                    int y = cy + dy;
                    if (x >= 0 && x < size && y >= 0 && y < size) {
                        int d = Math.max(Math.abs(dx), Math.abs(dy));
                        set(x, y, d != 2 && d != 4);
                    }
                }
            }
        }

        private void alignment(int cx, int cy) {
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) != 1);
                }
            }
        }

        /** The 15 format bits (level M, {@code mask}) in both copies, and the dark module. */
        void formatBits(int mask) {
            int data = LEVEL_M_BITS << 3 | mask;
            int rem = data;
            for (int i = 0; i < 10; i++) {
                rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
            }
            int bits = (data << 10 | rem) ^ 0x5412;
            for (int i = 0; i <= 5; i++) {
                set(8, i, bit(bits, i));
            }
            set(8, 7, bit(bits, 6));
            set(8, 8, bit(bits, 7));
            set(7, 8, bit(bits, 8));
            for (int i = 9; i < 15; i++) {
                set(14 - i, 8, bit(bits, i));
            }
            for (int i = 0; i < 8; i++) {
                set(size - 1 - i, 8, bit(bits, i));
            }
            for (int i = 8; i < 15; i++) {
                set(8, size - 15 + i, bit(bits, i));
            }
            set(8, size - 8, true);
        }

        private void versionBits() {
            if (version < 7) {
                return;
            }
            int rem = version;
            for (int i = 0; i < 12; i++) {
                rem = (rem << 1) ^ ((rem >>> 11) * 0x1F25);
            }
            int bits = version << 12 | rem;
            for (int i = 0; i < 18; i++) {
                int a = size - 11 + i % 3;
                int b = i / 3;
                set(a, b, bit(bits, i));
                set(b, a, bit(bits, i));
            }
        }

        /** The codewords' bits, most significant first, in the standard's two-column zigzag from the bottom right. */
        void placeData(byte[] codewords) {
            int i = 0;
            int total = codewords.length * 8;
            for (int right = size - 1; right >= 1; right -= 2) {
                if (right == 6) {
                    right = 5;
                }
                boolean upward = ((right + 1) & 2) == 0;
                for (int v = 0; v < size; v++) {
                    int y = upward ? size - 1 - v : v;
                    for (int j = 0; j < 2; j++) {
                        int x = right - j;
                        if (!function[y][x] && i < total) {
                            dark[y][x] = ((codewords[i >>> 3] >>> (7 - (i & 7))) & 1) != 0;
                            i++;
                        }
                    }
                }
            }
        }

        /** Applies {@code mask} to the data modules and writes its format bits; the grid is the finished code. */
        boolean[][] finish(int mask) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    if (!function[y][x] && masked(mask, x, y)) {
                        dark[y][x] = !dark[y][x];
                    }
                }
            }
            formatBits(mask);
            return dark;
        }
    }

    private static boolean bit(int value, int i) {
        return ((value >>> i) & 1) != 0;
    }

    private static boolean masked(int mask, int x, int y) {
        return switch (mask) {
            case 0 -> (x + y) % 2 == 0;
            case 1 -> y % 2 == 0;
            case 2 -> x % 3 == 0;
            case 3 -> (x + y) % 3 == 0;
            case 4 -> (x / 3 + y / 2) % 2 == 0;
            case 5 -> x * y % 2 + x * y % 3 == 0;
            case 6 -> (x * y % 2 + x * y % 3) % 2 == 0;
            case 7 -> ((x + y) % 2 + x * y % 3) % 2 == 0;
            default -> throw new IllegalArgumentException("mask " + mask);
        };
    }

    static int[] alignmentPositions(int version) {
        if (version == 1) {
            return new int[0];
        }
        int count = version / 7 + 2;
        int size = 17 + 4 * version;
        int step = (version * 4 + 4 + count * 2 - 3) / (count * 2 - 2) * 2;
        int[] out = new int[count];
        out[0] = 6;
        for (int i = count - 1, pos = size - 7; i >= 1; i--, pos -= step) {
            out[i] = pos;
        }
        return out;
    }

    // ---- mask penalty (ISO/IEC 18004 §7.8.3) ---------------------------------------------------------------------

    static int penalty(boolean[][] m) {
        int n = m.length;
        int p = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int a = 0; a < n; a++) {
                int run = 1;
                for (int b = 1; b <= n; b++) {
                    if (b < n && at(m, pass, a, b) == at(m, pass, a, b - 1)) {
                        run++;
                    } else {
                        if (run >= 5) {
                            p += 3 + run - 5;
                        }
                        run = 1;
                    }
                }
                for (int b = 0; b + 7 <= n; b++) {
                    if (at(m, pass, a, b) && !at(m, pass, a, b + 1) && at(m, pass, a, b + 2)
                            && at(m, pass, a, b + 3) && at(m, pass, a, b + 4) && !at(m, pass, a, b + 5)
                            && at(m, pass, a, b + 6)
                            && (lightRun(m, pass, a, b - 4, b) || lightRun(m, pass, a, b + 7, b + 11))) {
                        p += 40;
                    }
                }
            }
        }
        int darkCount = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                if (m[y][x]) {
                    darkCount++;
                }
                if (x + 1 < n && y + 1 < n && m[y][x] == m[y][x + 1] && m[y][x] == m[y + 1][x]
                        && m[y][x] == m[y + 1][x + 1]) {
                    p += 3;
                }
            }
        }
        int total = n * n;
        p += Math.abs(darkCount * 2 - total) * 10 / total * 10;
        return p;
    }

    /** Module {@code b} of row {@code a} (pass 0) or of column {@code a} (pass 1). */
    private static boolean at(boolean[][] m, int pass, int a, int b) {
        return pass == 0 ? m[a][b] : m[b][a];
    }

    /** True when modules {@code from} (inclusive) to {@code to} (exclusive) of the line are light (outside is light). */
    private static boolean lightRun(boolean[][] m, int pass, int a, int from, int to) {
        for (int b = from; b < to; b++) {
            if (b >= 0 && b < m.length && at(m, pass, a, b)) {
                return false;
            }
        }
        return true;
    }
}
