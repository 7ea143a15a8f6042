package org.mpcwallet.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.TestDataDir;

/** Correlation ids and RFC 7807 error bodies, over real HTTP. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>();
        p.putAll(TestDataDir.embeddedPropsAsStrings("web-"));
        return p;
    }

    @Test
    void missingCorrelationIdIsGeneratedAndEchoed() {
        HttpResponse<String> r = http.toBlocking().exchange(HttpRequest.GET("/health"), String.class);
        String id = r.header("X-Correlation-ID");
        assertNotNull(id);
        assertEquals(id, UUID.fromString(id).toString(), "a generated id is a UUID");
        String other = http.toBlocking().exchange(HttpRequest.GET("/health"), String.class).header("X-Correlation-ID");
        assertFalse(id.equals(other), "a new id per request");
    }

    @Test
    void givenCorrelationIdIsEchoed() {
        HttpResponse<String> r = http.toBlocking().exchange(
                HttpRequest.GET("/health").header("X-Correlation-ID", "req-42.abc"), String.class);
        assertEquals("req-42.abc", r.header("X-Correlation-ID"));
    }

    @Test
    void malformedCorrelationIdIsReplaced() {
        HttpResponse<String> r = http.toBlocking().exchange(
                HttpRequest.GET("/health").header("X-Correlation-ID", "bad id <script>"), String.class);
        String id = r.header("X-Correlation-ID");
        assertEquals(id, UUID.fromString(id).toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void notFoundIsProblemJsonWithTheCorrelationId() throws Exception {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(
                        HttpRequest.GET("/v1/no-such-thing").header("X-Correlation-ID", "corr-404"), String.class));
        assertEquals(404, e.code());
        assertEquals("application/problem+json", e.getResponse().getContentType().orElseThrow().toString());
        assertEquals("corr-404", e.getResponse().header("X-Correlation-ID"));
        Map<String, Object> body = json.readValue(e.getResponse().getBody(String.class).orElseThrow(), Map.class);
        assertEquals(404, ((Number) body.get("status")).intValue());
        assertEquals("about:blank", body.get("type"));
        assertNotNull(body.get("title"));
        assertEquals("/v1/no-such-thing", body.get("instance"));
        assertEquals("corr-404", body.get("correlationId"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void serverErrorIsProblemJsonWithoutInternalDetail() throws Exception {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/test-only/fail"), String.class));
        assertEquals(500, e.code());
        assertEquals("application/problem+json", e.getResponse().getContentType().orElseThrow().toString());
        String raw = e.getResponse().getBody(String.class).orElseThrow();
        assertFalse(raw.contains("internal detail") || raw.contains("db.internal") || raw.contains("IllegalState"), raw);
        Map<String, Object> body = json.readValue(raw, Map.class);
        assertEquals(500, ((Number) body.get("status")).intValue());
        assertEquals(e.getResponse().header("X-Correlation-ID"), body.get("correlationId"));
    }

    @Test
    void methodNotAllowedIsProblemJson() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.DELETE("/v1/audit/verify"), String.class));
        assertEquals(405, e.code());
        assertEquals("application/problem+json", e.getResponse().getContentType().orElseThrow().toString());
        assertTrue(e.getResponse().getBody(String.class).orElseThrow().contains("\"status\":405"));
    }
}
