package org.mpcwallet.bank.web.wallet;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The admin console's entry (docs/admin-console.md): {@code /admin} and {@code /admin/} are the page (it names its
 * files by absolute path); its modules and styles are static resources under {@code /admin/}. Public: the page holds no data; the API behind it
 * needs a token (and a passkey for staff).
 */
@Controller("/admin")
@Secured(SecurityRule.IS_ANONYMOUS)
@io.swagger.v3.oas.annotations.Hidden
class AdminPageController {
    private final byte[] page;

    AdminPageController() {
        try (InputStream in = AdminPageController.class.getResourceAsStream("/admin/index.html")) {
            if (in == null) {
                throw new IllegalStateException("admin/index.html is missing from the bank's resources");
            }
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uris = {"/", "/index.html"}, produces = MediaType.TEXT_HTML)
    HttpResponse<byte[]> page() {
        return HttpResponse.ok(page).contentType(MediaType.TEXT_HTML_TYPE + ";charset=utf-8");
    }
}
