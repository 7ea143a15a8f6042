package org.mpcwallet.bank.web.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.web.router.MethodBasedRouteInfo;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.TestDataDir;

/**
 * The OpenAPI document (issue 14 item 3, docs/integration.md "OpenAPI"): served at {@code GET /openapi.yml} without a
 * token; every route of bank-server's controllers (as the running router has them; the browser wallet's pages and the
 * document itself are not API) is in it with its method; both auth schemes are described.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest implements TestPropertyProvider {
    @Inject
    EmbeddedServer server;

    @Inject
    Router router;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("openapi-");
    }

    @Test
    void everyControllerRouteIsInTheServedDocument() throws Exception {
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.getPort() + "/openapi.yml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/yaml"));
        String doc = r.body();
        assertTrue(doc.startsWith("openapi: 3."), doc.substring(0, 40));

        Set<String> documented = new TreeSet<>();
        String path = null;
        for (String line : doc.split("\n")) {
            Matcher p = Pattern.compile("^  (/\\S*):\\s*$").matcher(line);
            Matcher m = Pattern.compile("^    (get|put|post|delete|patch|head|options):\\s*$").matcher(line);
            if (line.startsWith("components:")) {
                path = null;
            }
            if (p.matches()) {
                path = p.group(1);
            } else if (path != null && m.matches()) {
                documented.add(m.group(1).toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        Set<String> routes = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : router.uriRoutes().toList()) {
            if (!(route instanceof MethodBasedRouteInfo<?, ?> mb)) {
                continue;
            }
            Class<?> type = mb.getTargetMethod().getDeclaringType();
            String location = type.getProtectionDomain().getCodeSource().getLocation().toString();
            if (!type.getName().startsWith("org.mpcwallet.bank.") || location.contains("test-classes")
                    || type.isAnnotationPresent(io.swagger.v3.oas.annotations.Hidden.class)
                    || type.isAnnotationPresent(io.micronaut.websocket.annotation.ServerWebSocket.class)
                    || route.getHttpMethodName().equals("HEAD")) {
                continue; // test controllers, what is not REST (the wallet's pages, this document, the WebSocket),
                          // and the HEAD twins Micronaut adds to every GET
            }
            String template = route.getUriMatchTemplate().toPathString().replaceAll("\\{([^}/:?]+)[^}]*}", "{$1}");
            routes.add(route.getHttpMethodName() + " " + template.replaceAll("/$", "").replace("{?", "{"));
        }
        assertTrue(routes.size() > 40, routes::toString);
        Set<String> missing = new TreeSet<>(routes);
        missing.removeAll(documented);
        assertEquals(Set.of(), missing, "routes not in the OpenAPI document");
        assertTrue(doc.contains("signedRequest:") && doc.contains("bearerFormat: JWS") && doc.contains("bearerFormat: JWT"),
                "both auth schemes are described");
    }
}
