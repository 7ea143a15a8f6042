package org.mpcwallet.signer.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict JSON for the signer service and its client: one top-level object, no duplicate keys, no trailing tokens,
 * exactly the expected field names, exact JSON types (no coercion of numbers to strings or the reverse), canonical
 * padded standard base64 and lowercase hex. Violations throw {@link Invalid}, whose message names the field and the
 * rule but never the value (a value may be a permit or a protocol message).
 */
public final class StrictJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(20)
                    .maxStringLength(1 << 20).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    private static final HexFormat HEX = HexFormat.of();

    private StrictJson() {}

    /** A JSON document that does not satisfy the expected shape. The message names the rule, never a value. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses {@code body} as exactly one JSON object. */
    public static ObjectNode object(byte[] body) throws Invalid {
        if (body == null || body.length == 0) {
            throw new Invalid("the body is empty; a JSON object is expected");
        }
        if (StrictUtf8.decode(body) == null) {
            throw new Invalid("the body is not well-formed UTF-8");
        }
        JsonNode node;
        try (JsonParser p = FACTORY.createParser(body)) {
            node = MAPPER.readTree(p);
            if (node != null && p.nextToken() != null) {
                throw new Invalid("trailing data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new Invalid("the body is not valid JSON (" + shortMessage(e) + ")");
        } catch (IOException e) {
            throw new Invalid("the body could not be read as JSON");
        }
        if (!(node instanceof ObjectNode o)) {
            throw new Invalid("a JSON object is expected");
        }
        return o;
    }

    /** Exactly the field names in {@code fields}: none missing, none extra. */
    public static void fields(ObjectNode o, String where, Set<String> fields) throws Invalid {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.contains(name)) {
                throw new Invalid(where + ": unknown field \"" + printable(name) + "\"");
            }
        }
        for (String f : fields) {
            if (!o.has(f)) {
                throw new Invalid(where + ": field \"" + f + "\" is missing");
            }
        }
    }

    public static String text(ObjectNode o, String field) throws Invalid {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new Invalid("field \"" + field + "\" must be a string");
        }
        return n.textValue();
    }

    public static String textOrNull(ObjectNode o, String field) throws Invalid {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : text(o, field);
    }

    public static boolean bool(ObjectNode o, String field) throws Invalid {
        JsonNode n = o.get(field);
        if (n == null || !n.isBoolean()) {
            throw new Invalid("field \"" + field + "\" must be true or false");
        }
        return n.booleanValue();
    }

    /** An integral JSON number in [min, max]. */
    public static long integer(ObjectNode o, String field, long min, long max) throws Invalid {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber()) {
            throw new Invalid("field \"" + field + "\" must be an integer");
        }
        BigInteger v = n.bigIntegerValue();
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new Invalid("field \"" + field + "\" must be in " + min + ".." + max);
        }
        return v.longValueExact();
    }

    /** A nested object, or null for JSON null. */
    public static ObjectNode objectOrNull(ObjectNode o, String field) throws Invalid {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!(n instanceof ObjectNode obj)) {
            throw new Invalid("field \"" + field + "\" must be an object or null");
        }
        return obj;
    }

    /** A string of UTF-8 length [min, max] without control characters. */
    public static String identifier(ObjectNode o, String field, int min, int max) throws Invalid {
        String s = text(o, field);
        byte[] utf8 = StrictUtf8.encode(s);
        if (utf8 == null || utf8.length < min || utf8.length > max) {
            throw new Invalid("field \"" + field + "\" must be " + min + ".." + max + " bytes of UTF-8");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new Invalid("field \"" + field + "\" must not contain control characters");
            }
        }
        return s;
    }

    /** Lowercase hex of exactly {@code bytes} bytes. */
    public static byte[] hex(ObjectNode o, String field, int bytes) throws Invalid {
        String s = text(o, field);
        byte[] b = hexOrNull(s, bytes);
        if (b == null) {
            throw new Invalid("field \"" + field + "\" must be " + 2 * bytes + " lowercase hex characters");
        }
        return b;
    }

    /** {@code s} as lowercase hex of exactly {@code bytes} bytes, or null. */
    public static byte[] hexOrNull(String s, int bytes) {
        if (s == null || s.length() != 2 * bytes) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return HEX.parseHex(s);
    }

    /** Canonical standard base64 (RFC 4648 §4, padded) of 0..maxBytes bytes. */
    public static byte[] base64(ObjectNode o, String field, int maxBytes) throws Invalid {
        return base64Of(text(o, field), field, maxBytes);
    }

    public static byte[] base64OrNull(ObjectNode o, String field, int maxBytes) throws Invalid {
        String s = textOrNull(o, field);
        return s == null ? null : base64Of(s, field, maxBytes);
    }

    private static byte[] base64Of(String s, String field, int maxBytes) throws Invalid {
        byte[] b = null;
        if (s.length() % 4 == 0) {
            try {
                b = Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                b = null;
            }
        }
        if (b == null || !Base64.getEncoder().encodeToString(b).equals(s)) {
            throw new Invalid("field \"" + field + "\" must be canonical padded standard base64");
        }
        if (b.length > maxBytes) {
            throw new Invalid("field \"" + field + "\" is longer than " + maxBytes + " bytes");
        }
        return b;
    }

    /** A new empty object for writing. */
    public static ObjectNode newObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The compact UTF-8 encoding of {@code node}. */
    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        // Jackson quotes a few characters of the offending token; keep only the rule (text up to the first quote).
        int cut = m.length();
        for (char c : new char[] {'\'', '"', '(', '\n'}) {
            int i = m.indexOf(c);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        String rule = m.substring(0, cut).strip();
        return rule.isEmpty() ? e.getClass().getSimpleName() : rule;
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 40; i++) {
            char c = name.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return b.toString();
    }
}
