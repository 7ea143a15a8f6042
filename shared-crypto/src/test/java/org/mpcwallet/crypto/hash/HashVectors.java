package org.mpcwallet.crypto.hash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.core.Bytes;

/**
 * Reads the known-answer files under src/test/resources/vectors/{sha256,hmac}. A missing or empty file is a test
 * failure, never a skip. Lines: '#' comments and blank lines are ignored; fields are separated by " | ". Byte
 * values are {@code "ascii"} or {@code 0x<hex>}, optionally followed by {@code *<count>} (repetition).
 */
final class HashVectors {
    private HashVectors() {}

    static List<String[]> rows(String resource, int columns) {
        String text;
        try (InputStream in = HashVectors.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing test vector file on the test classpath: " + resource
                        + " (expected under shared-crypto/src/test/resources/)");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read test vector file " + resource, e);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split(" \\| ", -1);
            if (f.length != columns) {
                throw new AssertionError(resource + ": expected " + columns + " fields in line: " + t);
            }
            for (int i = 0; i < f.length; i++) {
                f[i] = f[i].strip();
            }
            rows.add(f);
        }
        if (rows.isEmpty()) {
            throw new AssertionError("test vector file has no vectors: " + resource);
        }
        return rows;
    }

    /** Parses {@code "ascii"[*count]} or {@code 0x<hex>[*count]}. */
    static byte[] value(String s) {
        byte[] unit;
        String rest;
        if (s.startsWith("\"")) {
            int end = s.indexOf('"', 1);
            if (end < 0) {
                throw new AssertionError("unterminated string in vector: " + s);
            }
            unit = s.substring(1, end).getBytes(StandardCharsets.US_ASCII);
            rest = s.substring(end + 1);
        } else if (s.startsWith("0x")) {
            int star = s.indexOf('*');
            unit = Bytes.fromHex(star < 0 ? s : s.substring(0, star));
            rest = star < 0 ? "" : s.substring(star);
        } else {
            throw new AssertionError("bad vector value notation: " + s);
        }
        if (rest.isEmpty()) {
            return unit;
        }
        if (!rest.startsWith("*")) {
            throw new AssertionError("trailing characters in vector value: " + s);
        }
        int count = Integer.parseInt(rest.substring(1));
        if (count < 1) {
            throw new AssertionError("repetition count must be positive: " + s);
        }
        byte[] out = new byte[unit.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(unit, 0, out, i * unit.length, unit.length);
        }
        return out;
    }
}
