package org.mpcwallet.crypto.channel;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader and writer (RFC 8259) for the MPC channel's frames (docs/redesign.md, "channel"), with
 * no dependency beyond java.lang/java.util/java.math so that the bank, the desktop and the browser (TeaVM) read the
 * same frames the same way. Stricter than the RFC where it allows choice: duplicate object keys, lone surrogates
 * (raw or escaped), nesting deeper than {@link #MAX_DEPTH}, and anything after the value are refused. Numbers keep
 * their exact text. Failures are values ({@link Parsed.Refused}) with a reason and the offset.
 *
 * <p>Why one class of this size: the value types, the reader and the writer are one grammar; the reader's
 * strictness (what it refuses and where) is read against RFC 8259 in one place, and the writer must produce exactly
 * what the reader accepts (the codec tests round-trip through both).
 */
public final class Json {
    /** The deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 32;

    private Json() {
    }

    /** A JSON value. Objects keep their keys in document order; collections are unmodifiable. */
    public sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {
    }

    /** An object: its members in document order. */
    public record Obj(Map<String, Value> members) implements Value {
        public Obj {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }
    }

    /** An array. */
    public record Arr(List<Value> items) implements Value {
        public Arr {
            items = List.copyOf(items);
        }
    }

    /** A string. */
    public record Str(String value) implements Value {
    }

    /** A number, as its exact text ({@code 2}, {@code -0.5}, {@code 1e3}). */
    public record Num(String text) implements Value {
        /** The value when the text is an integer without fraction or exponent, else null. */
        public BigInteger integerOrNull() {
            for (int i = text.charAt(0) == '-' ? 1 : 0; i < text.length(); i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    return null;
                }
            }
            return new BigInteger(text);
        }
    }

    /** {@code true} or {@code false}. */
    public record Bool(boolean value) implements Value {
    }

    /** {@code null}. */
    public record Null() implements Value {
        public static final Null INSTANCE = new Null();
    }

    /** The outcome of {@link #parse}. */
    public sealed interface Parsed permits Parsed.Ok, Parsed.Refused {
        /** The document's value. */
        record Ok(Value value) implements Parsed {
        }

        /** Not strict JSON: why, and at which character. */
        record Refused(String reason, int offset) implements Parsed {
        }
    }

    /** Parses {@code text} as one JSON value (surrounding whitespace allowed). */
    public static Parsed parse(String text) {
        if (text == null) {
            return new Parsed.Refused("no text", 0);
        }
        Reader r = new Reader(text);
        try {
            r.skipWhitespace();
            Value v = r.value(0);
            r.skipWhitespace();
            if (r.pos != text.length()) {
                throw r.fail("unexpected text after the value");
            }
            return new Parsed.Ok(v);
        } catch (Refusal e) {
            return new Parsed.Refused(e.reason, e.offset);
        }
    }

    /** The compact text of {@code v}: no whitespace, keys in their order, strings escaped minimally. */
    public static String write(Value v) {
        StringBuilder b = new StringBuilder();
        write(v, b);
        return b.toString();
    }

    // instanceof rather than a pattern switch: TeaVM does not link the typeSwitch bootstrap
    private static void write(Value v, StringBuilder b) {
        if (v instanceof Obj o) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<String, Value> e : o.members().entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(e.getKey(), b);
                b.append(':');
                write(e.getValue(), b);
            }
            b.append('}');
        } else if (v instanceof Arr a) {
            b.append('[');
            for (int i = 0; i < a.items().size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                write(a.items().get(i), b);
            }
            b.append(']');
        } else if (v instanceof Str s) {
            string(s.value(), b);
        } else if (v instanceof Num n) {
            b.append(n.text());
        } else if (v instanceof Bool x) {
            b.append(x.value());
        } else {
            b.append("null");
        }
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Thrown inside the reader only; {@link #parse} turns it into a value. */
    private static final class Refusal extends RuntimeException {
        final String reason;
        final int offset;

        Refusal(String reason, int offset) {
            super(reason, null, false, false);
            this.reason = reason;
            this.offset = offset;
        }
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        Refusal fail(String reason) {
            return new Refusal(reason, pos);
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        Value value(int depth) {
            if (pos >= s.length()) {
                throw fail("a value is missing");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> new Str(string());
                case 't' -> literal("true", new Bool(true));
                case 'f' -> literal("false", new Bool(false));
                case 'n' -> literal("null", Null.INSTANCE);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw fail("unexpected character");
                }
            };
        }

        private Value literal(String word, Value v) {
            if (!s.startsWith(word, pos)) {
                throw fail("unexpected character");
            }
            pos += word.length();
            return v;
        }

        private Obj object(int depth) {
            if (depth > MAX_DEPTH) {
                throw fail("nested deeper than " + MAX_DEPTH);
            }
            pos++; // {
            Map<String, Value> members = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return new Obj(members);
            }
            while (true) {
                skipWhitespace();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw fail("an object key must be a string");
                }
                int keyAt = pos;
                String key = string();
                if (members.containsKey(key)) {
                    throw new Refusal("duplicate key", keyAt);
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                members.put(key, value(depth));
                skipWhitespace();
                if (pos >= s.length()) {
                    throw fail("the object is not closed");
                }
                char c = s.charAt(pos++);
                if (c == '}') {
                    return new Obj(members);
                }
                if (c != ',') {
                    pos--;
                    throw fail("expected ',' or '}'");
                }
            }
        }

        private Arr array(int depth) {
            if (depth > MAX_DEPTH) {
                throw fail("nested deeper than " + MAX_DEPTH);
            }
            pos++; // [
            List<Value> items = new ArrayList<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return new Arr(items);
            }
            while (true) {
                skipWhitespace();
                items.add(value(depth));
                skipWhitespace();
                if (pos >= s.length()) {
                    throw fail("the array is not closed");
                }
                char c = s.charAt(pos++);
                if (c == ']') {
                    return new Arr(items);
                }
                if (c != ',') {
                    pos--;
                    throw fail("expected ',' or ']'");
                }
            }
        }

        private void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw fail("expected '" + c + "'");
            }
            pos++;
        }

        private String string() {
            pos++; // opening quote
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw fail("the string is not closed");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return b.toString();
                }
                if (c < 0x20) {
                    throw fail("a control character must be escaped");
                }
                if (c == '\\') {
                    pos++;
                    if (pos >= s.length()) {
                        throw fail("the escape is cut off");
                    }
                    char e = s.charAt(pos++);
                    switch (e) {
                        case '"' -> b.append('"');
                        case '\\' -> b.append('\\');
                        case '/' -> b.append('/');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'u' -> b.append(unicodeEscape());
                        default -> {
                            pos--;
                            throw fail("unknown escape");
                        }
                    }
                    continue;
                }
                if (Character.isHighSurrogate(c)) {
                    if (pos + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(pos + 1))) {
                        throw fail("a lone surrogate");
                    }
                    b.append(c).append(s.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                if (Character.isLowSurrogate(c)) {
                    throw fail("a lone surrogate");
                }
                b.append(c);
                pos++;
            }
        }

        /** After {@code \\u}: one code unit, or a surrogate pair as two escapes; lone surrogates are refused. */
        private String unicodeEscape() {
            char first = hex4();
            if (Character.isLowSurrogate(first)) {
                throw fail("a lone surrogate");
            }
            if (!Character.isHighSurrogate(first)) {
                return String.valueOf(first);
            }
            if (!s.startsWith("\\u", pos)) {
                throw fail("a lone surrogate");
            }
            pos += 2;
            char second = hex4();
            if (!Character.isLowSurrogate(second)) {
                throw fail("a lone surrogate");
            }
            return new String(new char[] {first, second});
        }

        private char hex4() {
            if (pos + 4 > s.length()) {
                throw fail("the \\u escape is cut off");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos + i), 16);
                if (d < 0) {
                    throw fail("the \\u escape needs four hex digits");
                }
                v = v << 4 | d;
            }
            pos += 4;
            return (char) v;
        }

        private Num number() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length()) {
                throw fail("a number is cut off");
            }
            if (s.charAt(pos) == '0') {
                pos++;
            } else if (s.charAt(pos) >= '1' && s.charAt(pos) <= '9') {
                digits();
            } else {
                throw fail("a number needs digits");
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw fail("a fraction needs digits");
                }
                digits();
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw fail("an exponent needs digits");
                }
                digits();
            }
            return new Num(s.substring(start, pos));
        }

        private void digits() {
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
