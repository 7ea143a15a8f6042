package org.mpcwallet.crypto.vault;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Strict JSON for the vault vector files: parsing on Jackson (duplicate keys and trailing tokens are errors,
 * integers are {@code Long}); writing string literals ASCII-only for the vector generator.
 */
final class MiniJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    private MiniJson() {}

    /** Maps, lists, strings, Longs, booleans and null. */
    static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * A JSON string literal; everything outside printable ASCII as a lower-case {@code \\u} escape (UTF-16 units),
     * the form the checked-in vector files use (Jackson would write upper-case hex).
     */
    static String quote(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                String h = Integer.toHexString(c);
                b.append("\\u").append("0000".substring(h.length())).append(h);
            }
        }
        return b.append('"').toString();
    }
}
