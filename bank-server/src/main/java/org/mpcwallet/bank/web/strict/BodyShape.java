package org.mpcwallet.bank.web.strict;

import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.beans.BeanProperty;
import io.micronaut.core.type.Argument;
import io.micronaut.json.tree.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The strict shape check of a request body (docs/controls-hardening.md §5), a pure function of the parsed JSON and the
 * Java type the controller binds it to: every field must be one the type has; strings are JSON strings without
 * control characters; booleans are {@code true}/{@code false}; integers are JSON numbers without fraction or exponent,
 * in range; lists are arrays of their element type; nested records the same, recursively. The first violation names
 * the field (as a path, {@code tags[0]}) and the rule, never a Java type.
 */
public final class BodyShape {
    private static final int MAX_DEPTH = 32;

    /** A field that broke a rule. */
    public record Violation(String field, String rule) {
        /** The problem detail: {@code field 'tags[0]': must be a string}. */
        public String detail() {
            return field.isEmpty() ? "the body " + rule : "field '" + field + "': " + rule;
        }
    }

    private BodyShape() {
    }

    /** The first violation of {@code body} against {@code type}, or empty when it fits. */
    public static Optional<Violation> check(JsonNode body, Argument<?> type) {
        return Optional.ofNullable(value(body, type, "", 0, false));
    }

    private static Violation value(JsonNode n, Argument<?> type, String path, int depth, boolean ownText) {
        if (depth > MAX_DEPTH) {
            return new Violation(path, "is nested too deeply");
        }
        Class<?> t = type.getType();
        if (n.isNull()) {
            return t.isPrimitive() ? new Violation(path, "must not be null") : null;
        }
        if (t == String.class || CharSequence.class.isAssignableFrom(t) || t.isEnum()) {
            if (!n.isString()) {
                return new Violation(path, "must be a string");
            }
            return !ownText && controlCharacters(n.getStringValue())
                    ? new Violation(path, "must not contain control characters") : null;
        }
        if (t == Boolean.class || t == boolean.class) {
            return n.isBoolean() ? null : new Violation(path, "must be true or false");
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class || t == Short.class
                || t == short.class) {
            long min = t == Integer.class || t == int.class ? Integer.MIN_VALUE
                    : t == Short.class || t == short.class ? Short.MIN_VALUE : Long.MIN_VALUE;
            long max = t == Integer.class || t == int.class ? Integer.MAX_VALUE
                    : t == Short.class || t == short.class ? Short.MAX_VALUE : Long.MAX_VALUE;
            return integer(n, path, min, max);
        }
        if (t == BigInteger.class || t == BigDecimal.class || t == Double.class || t == double.class
                || t == Number.class) {
            return n.isNumber() ? null : new Violation(path, "must be a number");
        }
        if (Collection.class.isAssignableFrom(t) || t.isArray()) {
            if (!n.isArray()) {
                return new Violation(path, "must be an array");
            }
            Argument<?> element = t.isArray() ? Argument.of(t.getComponentType())
                    : type.getTypeParameters().length > 0 ? type.getTypeParameters()[0] : Argument.OBJECT_ARGUMENT;
            int i = 0;
            for (JsonNode e : n.values()) {
                Violation v = value(e, element, path + "[" + i++ + "]", depth + 1, ownText);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
        if (Map.class.isAssignableFrom(t)) {
            if (!n.isObject()) {
                return new Violation(path, "must be an object");
            }
            Argument<?> valueType = type.getTypeParameters().length > 1 ? type.getTypeParameters()[1]
                    : Argument.OBJECT_ARGUMENT;
            for (Map.Entry<String, JsonNode> e : n.entries()) {
                if (controlCharacters(e.getKey())) {
                    return new Violation(path, "has a key with control characters");
                }
                Violation v = value(e.getValue(), valueType, child(path, e.getKey()), depth + 1, ownText);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
        Optional<? extends BeanIntrospection<?>> bean = t == Object.class ? Optional.empty()
                : BeanIntrospector.SHARED.findIntrospection(t);
        if (bean.isPresent()) {
            return object(n, bean.get(), path, depth);
        }
        return anything(n, path, depth); // Object, a JSON tree: any value, but no control characters in strings
    }

    private static Violation object(JsonNode n, BeanIntrospection<?> bean, String path, int depth) {
        if (!n.isObject()) {
            return new Violation(path, "must be an object");
        }
        Map<String, BeanProperty<?, ?>> properties = new HashMap<>();
        for (BeanProperty<?, ?> p : bean.getBeanProperties()) {
            properties.put(p.getName(), p);
        }
        boolean ownText = bean.hasAnnotation(ChecksItsOwnText.class);
        for (Map.Entry<String, JsonNode> e : n.entries()) {
            String field = child(path, e.getKey());
            BeanProperty<?, ?> p = properties.get(e.getKey());
            if (p == null) {
                return new Violation(controlCharacters(e.getKey()) ? path : field, "is not a field of this request");
            }
            Violation v = value(e.getValue(), p.asArgument(), field, depth + 1, ownText);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static Violation anything(JsonNode n, String path, int depth) {
        if (depth > MAX_DEPTH) {
            return new Violation(path, "is nested too deeply");
        }
        if (n.isString()) {
            return controlCharacters(n.getStringValue()) ? new Violation(path, "must not contain control characters")
                    : null;
        }
        if (n.isArray()) {
            int i = 0;
            for (JsonNode e : n.values()) {
                Violation v = anything(e, path + "[" + i++ + "]", depth + 1);
                if (v != null) {
                    return v;
                }
            }
        } else if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.entries()) {
                if (controlCharacters(e.getKey())) {
                    return new Violation(path, "has a key with control characters");
                }
                Violation v = anything(e.getValue(), child(path, e.getKey()), depth + 1);
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    private static Violation integer(JsonNode n, String path, long min, long max) {
        if (!n.isNumber()) {
            return new Violation(path, "must be an integer");
        }
        Number v = n.getNumberValue();
        BigInteger exact;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            exact = BigInteger.valueOf(v.longValue());
        } else if (v instanceof BigInteger b) {
            exact = b;
        } else {
            return new Violation(path, "must be an integer (no fraction or exponent)");
        }
        if (exact.compareTo(BigInteger.valueOf(min)) < 0 || exact.compareTo(BigInteger.valueOf(max)) > 0) {
            return new Violation(path, "is out of range");
        }
        return null;
    }

    private static String child(String path, String key) {
        String shown = key.length() > 40 ? key.substring(0, 40) + "…" : key;
        return path.isEmpty() ? shown : path + "." + shown;
    }

    static boolean controlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
