package org.mpcwallet.bank.web.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.web.BrowserHarness;
import org.mpcwallet.web.PageDriver;

/**
 * The interactive API reference at {@code GET /docs} (issue 14 item 3), in real Chromium: Swagger UI served by the
 * bank renders every group of operations from {@code /openapi.yml} under the page's Content-Security-Policy (no
 * violation, no script error), an operation opens from the keyboard, and nothing is fetched from another origin.
 * Screenshots in {@code target/screenshots/api-reference/}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiReferencePageTest implements TestPropertyProvider {
    @Inject
    EmbeddedServer server;

    private PageDriver page;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("api-docs-");
    }

    @BeforeAll
    void browser() throws Exception {
        BrowserHarness h = BrowserHarness.require("the API reference page test", List.of());
        page = PageDriver.start(h, Path.of("target/screenshots/api-reference").toAbsolutePath());
    }

    @AfterAll
    void close() {
        if (page != null) {
            page.close();
        }
    }

    @Test
    void theReferenceRendersEveryOperationUnderAStrictPolicy() throws Exception {
        String base = "http://localhost:" + server.getPort();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/docs"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        String csp = r.headers().firstValue("content-security-policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'")
                && !csp.contains("script-src 'self' 'unsafe"), csp);
        assertEquals(404, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                + "/docs/assets/index.html")).build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                "only the assets the page uses are served");

        page.go(base + "/docs");
        page.waitVisible(".opblock-tag-section", 30);
        page.waitText(".info .title", "MPC wallet bank", 30);
        int operations = page.count(".opblock");
        assertTrue(operations >= 50, "every operation is listed: " + operations);
        for (String path : List.of("/v1/tx-requests", "/v1/webhooks", "/v1/audit/events", "/v1/api-clients")) {
            assertTrue(page.count("[data-path='" + path + "']") > 0, path + " is on the page");
        }
        page.shot("reference");

        // an operation opens from the keyboard: focus its summary and press Enter
        page.press(".opblock-get .opblock-summary-control:has([data-path='/v1/tx-requests'])", "Enter");
        page.waitVisible(".opblock.is-open .opblock-body", 10);
        assertTrue(page.text(".opblock.is-open").contains("next_cursor"), "the page schema is shown");
        page.shot("transfers-list-opened");

        List<String> log = page.log();
        assertTrue(log.stream().noneMatch(l -> l.contains("Content Security Policy") || l.contains("Refused to")
                || l.startsWith("pageerror")), "no policy violation and no script error: " + log);
    }
}
