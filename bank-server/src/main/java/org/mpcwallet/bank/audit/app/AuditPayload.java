package org.mpcwallet.bank.audit.app;

import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds an audit event's JSON payload from key/value pairs, in the order given. */
public final class AuditPayload {
    private AuditPayload() {
    }

    /** {@code kv} alternates keys (strings) and values (anything the mapper writes; null allowed). */
    public static String of(JsonMapper json, Object... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must pair up");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        try {
            return json.writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
