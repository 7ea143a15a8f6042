package org.mpcwallet.bank.web.openapi;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /docs} (docs/integration.md "OpenAPI"): the interactive reference of the REST API, Swagger UI (from its
 * webjar, served by the bank itself) on {@code /openapi.yml}. Public like the document it shows. Under a strict
 * Content-Security-Policy ({@link #POLICY}): scripts and styles from the bank only, none inline (Swagger UI sets its
 * dynamic styles as element style properties, which the policy allows; an inline {@code <style>} or style attribute
 * would be refused, and {@code ApiReferencePageTest} sees none), no frames, requests ("Try it out") only to the bank.
 */
@Controller("/docs")
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
public class DocsController {
    /** The page's Content-Security-Policy (set by the bank's headers filter on {@code /docs/**}). */
    public static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private static final Map<String, String> ASSETS = Map.of("swagger-ui.css", "text/css",
            "swagger-ui-bundle.js", "text/javascript", "favicon-32x32.png", "image/png");
    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>MPC wallet bank: REST API reference</title>
              <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
              <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
            </head>
            <body>
              <div id="api"></div>
              <script src="/docs/assets/swagger-ui-bundle.js"></script>
              <script src="/docs/init.js"></script>
            </body>
            </html>
            """;

    private final String base;
    private final byte[] init;

    DocsController() {
        Properties p = new Properties();
        try (InputStream in = resource("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            p.load(in);
            init = resource("docs-ui/init.js").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        base = "META-INF/resources/webjars/swagger-ui/" + p.getProperty("version") + "/";
    }

    @Get(produces = "text/html")
    HttpResponse<byte[]> page() {
        return HttpResponse.ok(PAGE.getBytes(StandardCharsets.UTF_8)).contentType("text/html;charset=utf-8");
    }

    @Get(value = "/init.js", produces = "text/javascript")
    HttpResponse<byte[]> init() {
        return HttpResponse.ok(init).contentType("text/javascript;charset=utf-8");
    }

    @Get("/assets/{file}")
    HttpResponse<byte[]> asset(@PathVariable String file) throws IOException {
        String type = ASSETS.get(file);
        if (type == null) {
            return HttpResponse.notFound();
        }
        try (InputStream in = resource(base + file)) {
            return HttpResponse.ok(in.readAllBytes()).contentType(type).header("Cache-Control",
                    "public, max-age=3600");
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DocsController.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the classpath");
        }
        return in;
    }
}
