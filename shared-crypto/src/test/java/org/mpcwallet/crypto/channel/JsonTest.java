package org.mpcwallet.crypto.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The channel's strict JSON reader and writer, each rule with its own case, and cross-checked against Jackson (strict
 * duplicate detection) on a seeded corpus of random documents and their mutations: the same documents accepted, the
 * same values read; the only documents we refuse and Jackson accepts are the ones our stricter rules name.
 */
class JsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private static Json.Value ok(String text) {
        Json.Parsed p = Json.parse(text);
        return assertInstanceOf(Json.Parsed.Ok.class, p, () -> "refused: " + text + " -> " + p).value();
    }

    private static Json.Parsed.Refused refused(String text) {
        Json.Parsed p = Json.parse(text);
        return assertInstanceOf(Json.Parsed.Refused.class, p, () -> "accepted: " + text);
    }

    @Test
    void readsEveryKindOfValueAndWritesItBackCompactly() {
        Json.Value v = ok(" {\"type\":\"msg\", \"seq\": 12, \"x\":[true,false,null,-0.5e+3,\"a\\u00e9\\n\\\"\"],"
                + "\"o\":{}} ");
        Json.Obj o = assertInstanceOf(Json.Obj.class, v);
        assertEquals(List.of("type", "seq", "x", "o"), List.copyOf(o.members().keySet()));
        assertEquals(BigInteger.valueOf(12), ((Json.Num) o.members().get("seq")).integerOrNull());
        Json.Arr x = (Json.Arr) o.members().get("x");
        assertEquals("-0.5e+3", ((Json.Num) x.items().get(3)).text());
        assertNull(((Json.Num) x.items().get(3)).integerOrNull());
        assertEquals("aé\n\"", ((Json.Str) x.items().get(4)).value());
        assertEquals("{\"type\":\"msg\",\"seq\":12,\"x\":[true,false,null,-0.5e+3,\"aé\\n\\\"\"],\"o\":{}}",
                Json.write(v));
        assertEquals("\"\\u0000\\u001f\\b\\t\"", Json.write(new Json.Str("\u0000\u001f\b\t")));
    }

    @Test
    void refusesWhatIsNotStrictJson() {
        for (Map.Entry<String, String> c : Map.ofEntries(
                Map.entry("", "a value is missing"),
                Map.entry("{\"a\":1,\"a\":2}", "duplicate key"),
                Map.entry("{\"a\":1} x", "unexpected text after the value"),
                Map.entry("{\"a\":\"b\u0001\"}", "a control character must be escaped"),
                Map.entry("\"\\ud800\"", "a lone surrogate"),
                Map.entry("\"\\udc00x\"", "a lone surrogate"),
                Map.entry("\"\ud800\"", "a lone surrogate"),
                Map.entry("[01]", "expected ',' or ']'"),
                Map.entry("1.", "a fraction needs digits"),
                Map.entry("1e", "an exponent needs digits"),
                Map.entry("-", "a number is cut off"),
                Map.entry("+1", "unexpected character"),
                Map.entry("{a:1}", "an object key must be a string"),
                Map.entry("[1,]", "unexpected character"),
                Map.entry("{\"a\":1,}", "an object key must be a string"),
                Map.entry("\"\\x\"", "unknown escape"),
                Map.entry("\"\\u12zz\"", "the \\u escape needs four hex digits"),
                Map.entry("\"\\u12", "the \\u escape is cut off"),
                Map.entry("tru", "unexpected character"),
                Map.entry("NaN", "unexpected character"),
                Map.entry("[" .repeat(33) + "]".repeat(33), "nested deeper than 32"),
                Map.entry("{\"a\":[1", "the array is not closed")).entrySet()) {
            Json.Parsed.Refused r = refused(c.getKey());
            assertEquals(c.getValue(), r.reason(), c.getKey());
        }
        ok("[".repeat(32) + "]".repeat(32)); // exactly the limit
        ok("\"\\ud83d\\ude00 \ud83d\ude00\""); // pairs, escaped and raw
    }

    @Test
    void agreesWithJacksonOnASeededCorpus() throws Exception {
        long seed = Long.getLong("json.seed", 20261206L);
        Random rnd = new Random(seed);
        int accepted = 0;
        int refusedByBoth = 0;
        for (int i = 0; i < 4000; i++) {
            String doc = document(rnd, 0);
            if (rnd.nextInt(3) == 0) {
                doc = mutate(doc, rnd);
            }
            Json.Parsed ours = Json.parse(doc);
            JsonNode theirs;
            try {
                theirs = JACKSON.readTree(doc);
                if (theirs == null || theirs.isMissingNode()) {
                    theirs = null;
                }
            } catch (Exception e) {
                theirs = null;
            }
            String shown = "seed " + seed + ", document " + i + ": " + doc;
            if (ours instanceof Json.Parsed.Ok o) {
                assertTrue(theirs != null, () -> "we accept what Jackson refuses: " + shown);
                assertSame(theirs, o.value(), shown);
                assertSame(JACKSON.readTree(Json.write(o.value())), o.value(), "written back: " + shown);
                accepted++;
            } else if (theirs != null) {
                String reason = ((Json.Parsed.Refused) ours).reason();
                assertTrue(reason.equals("a lone surrogate") || reason.startsWith("nested deeper"),
                        () -> "we refuse (" + reason + ") what Jackson accepts: " + shown);
            } else {
                refusedByBoth++;
            }
        }
        assertTrue(accepted > 1000 && refusedByBoth > 300, accepted + " accepted, " + refusedByBoth + " refused");
    }

    private static void assertSame(JsonNode j, Json.Value v, String shown) {
        if (v instanceof Json.Obj o) {
            assertTrue(j.isObject(), shown);
            assertEquals(j.size(), o.members().size(), shown);
            Iterator<String> names = j.fieldNames();
            for (String k : o.members().keySet()) {
                assertEquals(names.next(), k, shown);
                assertSame(j.get(k), o.members().get(k), shown);
            }
        } else if (v instanceof Json.Arr a) {
            assertTrue(j.isArray(), shown);
            assertEquals(j.size(), a.items().size(), shown);
            for (int i = 0; i < a.items().size(); i++) {
                assertSame(j.get(i), a.items().get(i), shown);
            }
        } else if (v instanceof Json.Str s) {
            assertTrue(j.isTextual(), shown);
            assertEquals(j.textValue(), s.value(), shown);
        } else if (v instanceof Json.Num n) {
            assertTrue(j.isNumber(), shown);
            assertEquals(0, new BigDecimal(n.text()).compareTo(j.decimalValue()), shown);
        } else if (v instanceof Json.Bool b) {
            assertTrue(j.isBoolean(), shown);
            assertEquals(j.booleanValue(), b.value(), shown);
        } else {
            assertTrue(j.isNull(), shown);
        }
    }

    private static final String[] STRINGS = {"", "a", "type", "é", "\\n", "\\u00e9", "\\\"", "\\ud83d\\ude00",
        "\ud83d\ude00", "\\/", "x y", "\\ud800", "\u0001"};
    private static final String[] NUMBERS = {"0", "-0", "12", "-7", "3.25", "1e3", "2E-2", "-0.5e+3", "01", "1.",
        ".5", "+1", "99999999999999999999999999"};

    private static String document(Random rnd, int depth) {
        int kind = depth > 6 ? 2 + rnd.nextInt(4) : rnd.nextInt(6);
        StringBuilder b = new StringBuilder();
        switch (kind) {
            case 0 -> {
                b.append('{');
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    b.append('"').append(rnd.nextInt(5) == 0 ? "k" : "k" + rnd.nextInt(6)).append("\":")
                            .append(document(rnd, depth + 1));
                }
                b.append('}');
            }
            case 1 -> {
                b.append('[');
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        b.append(rnd.nextInt(3) == 0 ? " , " : ",");
                    }
                    b.append(document(rnd, depth + 1));
                }
                b.append(']');
            }
            case 2 -> b.append('"').append(STRINGS[rnd.nextInt(STRINGS.length)]).append('"');
            case 3 -> b.append(NUMBERS[rnd.nextInt(NUMBERS.length)]);
            case 4 -> b.append(rnd.nextBoolean() ? "true" : "false");
            default -> b.append("null");
        }
        return b.toString();
    }

    private static String mutate(String doc, Random rnd) {
        if (doc.isEmpty()) {
            return "{";
        }
        int at = rnd.nextInt(doc.length());
        return switch (rnd.nextInt(4)) {
            case 0 -> doc.substring(0, at);
            case 1 -> doc.substring(0, at) + "}],:\"x".charAt(rnd.nextInt(6)) + doc.substring(at);
            case 2 -> doc.substring(0, at) + doc.substring(at + 1);
            default -> doc + (rnd.nextBoolean() ? " 1" : "x");
        };
    }
}
