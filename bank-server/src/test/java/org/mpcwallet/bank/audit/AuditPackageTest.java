package org.mpcwallet.bank.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.TestTokens;
import org.mpcwallet.bank.audit.app.AuditLog;

/** {@code GET /v1/audit/packages/{txRequestId}}: one request's events, intact check, package hash, access. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditPackageTest implements TestPropertyProvider {
    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    AuditLog audit;

    @Inject
    DataSource dataSource;

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("auditpkg-");
    }

    private Map<?, ?> get(String id, String bearer) {
        return http.toBlocking().retrieve(HttpRequest.GET("/v1/audit/packages/" + id).header("Authorization", bearer),
                Map.class);
    }

    @Test
    void aPackageHoldsExactlyTheRequestsEventsAndShowsTampering() throws Exception {
        String x = UUID.randomUUID().toString();
        String y = UUID.randomUUID().toString();
        audit.append("system:test", "TX_SUBMITTED", "{\"txRequestId\":\"" + x + "\"}");
        audit.append("system:test", "TX_SUBMITTED", "{\"txRequestId\":\"" + y + "\"}");
        audit.append("system:test", "KYT_EVALUATED", "{\"txRequestId\":\"" + x + "\",\"verdict\":\"ALLOW\"}");
        String admin = TestTokens.bearer(context, "ADMIN");
        Map<?, ?> p = get(x, admin);
        assertEquals(2, p.get("count"));
        assertEquals(Boolean.TRUE, p.get("intact"));
        List<?> events = (List<?>) p.get("events");
        assertEquals(List.of("TX_SUBMITTED", "KYT_EVALUATED"), events.stream().map(e -> ((Map<?, ?>) e).get("type"))
                .toList());
        String hash = (String) p.get("packageHash");
        assertEquals(hash, get(x, TestTokens.bearer(context, "COMPLIANCE")).get("packageHash"), "stable");
        assertNotEquals(hash, get(y, admin).get("packageHash"));

        // a customer may not read it; an unknown or malformed id is 404
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> get(x, TestTokens.bearer(context, "CUSTOMER")));
        assertEquals(403, e.code());
        e = assertThrows(HttpClientResponseException.class, () -> get(UUID.randomUUID().toString(), admin));
        assertEquals(404, e.code());
        e = assertThrows(HttpClientResponseException.class, () -> get("nope", admin));
        assertEquals(404, e.code());

        // an event edited in the database (triggers disabled, as only an owner could) breaks the package
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("alter table audit_event disable trigger user");
            s.execute("update audit_event set payload = '{\"txRequestId\":\"" + x + "\",\"verdict\":\"BLOCK\"}' "
                    + "where type = 'KYT_EVALUATED' and payload like '%" + x + "%'");
            s.execute("alter table audit_event enable trigger user");
        }
        Map<?, ?> tampered = get(x, admin);
        assertFalse((Boolean) tampered.get("intact"));
        assertTrue(!audit.verify().ok(), "the chain verification names it too");
    }
}
