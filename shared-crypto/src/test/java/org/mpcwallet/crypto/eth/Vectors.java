package org.mpcwallet.crypto.eth;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mpcwallet.crypto.core.Bytes;

/**
 * Reads the known-answer files under src/test/resources/vectors. A missing file is a test failure, never a skip.
 * Format: '#' comment lines and blank lines are ignored; fields are separated by " | ".
 */
final class Vectors {
    private Vectors() {}

    static List<String> lines(String resource) {
        String text;
        try (InputStream in = Vectors.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing test vector file on the test classpath: " + resource
                        + " (expected under shared-crypto/src/test/resources/)");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read test vector file " + resource, e);
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        if (out.isEmpty()) {
            throw new AssertionError("test vector file has no vectors: " + resource);
        }
        return out;
    }

    static List<String[]> rows(String resource, int columns) {
        List<String[]> rows = new ArrayList<>();
        for (String line : lines(resource)) {
            String[] f = line.split(" \\| ", -1);
            if (f.length != columns) {
                throw new AssertionError(resource + ": expected " + columns + " fields in line: " + line);
            }
            for (int i = 0; i < f.length; i++) {
                f[i] = f[i].strip();
            }
            rows.add(f);
        }
        return rows;
    }

    static Map<String, String> properties(String resource) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : lines(resource)) {
            int eq = line.indexOf(" = ");
            if (eq < 0) {
                throw new AssertionError(resource + ": expected 'key = value': " + line);
            }
            map.put(line.substring(0, eq).strip(), line.substring(eq + 3).strip());
        }
        return map;
    }

    static String require(Map<String, String> props, String key) {
        String v = props.get(key);
        if (v == null) {
            throw new AssertionError("vector property missing: " + key);
        }
        return v;
    }

    static byte[] hex(String s) {
        return Bytes.fromHex(s);
    }

    /** Bytes of an input in the notation {@code "ascii"} or {@code 0x<hex>}. */
    static byte[] input(String s) {
        RlpItem item = parseItem(s);
        if (!(item instanceof RlpString str)) {
            throw new AssertionError("expected a byte-string input: " + s);
        }
        return str.bytes();
    }

    /** Parses {@code "ascii"}, {@code 0x<hex>}, {@code #<decimal>} and {@code [a, b, ...]} into an RLP item. */
    static RlpItem parseItem(String s) {
        int[] pos = {0};
        RlpItem item = parse(s, pos);
        skipSpaces(s, pos);
        if (pos[0] != s.length()) {
            throw new AssertionError("trailing characters in vector notation at " + pos[0] + ": " + s);
        }
        return item;
    }

    private static RlpItem parse(String s, int[] pos) {
        skipSpaces(s, pos);
        char c = s.charAt(pos[0]);
        if (c == '"') {
            int end = s.indexOf('"', pos[0] + 1);
            String text = s.substring(pos[0] + 1, end);
            pos[0] = end + 1;
            return new RlpString(text.getBytes(StandardCharsets.US_ASCII));
        }
        if (c == '#') {
            int end = tokenEnd(s, pos[0] + 1);
            BigInteger v = new BigInteger(s.substring(pos[0] + 1, end));
            pos[0] = end;
            return RlpString.ofUnsigned(v);
        }
        if (c == '0' && s.startsWith("0x", pos[0])) {
            int end = tokenEnd(s, pos[0] + 2);
            byte[] b = Bytes.fromHex(s.substring(pos[0] + 2, end));
            pos[0] = end;
            return new RlpString(b);
        }
        if (c == '[') {
            pos[0]++;
            List<RlpItem> items = new ArrayList<>();
            skipSpaces(s, pos);
            if (s.charAt(pos[0]) == ']') {
                pos[0]++;
                return new RlpList(items);
            }
            while (true) {
                items.add(parse(s, pos));
                skipSpaces(s, pos);
                char d = s.charAt(pos[0]++);
                if (d == ']') {
                    return new RlpList(items);
                }
                if (d != ',') {
                    throw new AssertionError("expected ',' or ']' at " + (pos[0] - 1) + ": " + s);
                }
            }
        }
        throw new AssertionError("bad vector notation at " + pos[0] + ": " + s);
    }

    private static int tokenEnd(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static void skipSpaces(String s, int[] pos) {
        while (pos[0] < s.length() && s.charAt(pos[0]) == ' ') {
            pos[0]++;
        }
    }
}
