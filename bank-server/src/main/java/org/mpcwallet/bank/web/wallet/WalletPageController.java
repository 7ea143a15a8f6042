package org.mpcwallet.bank.web.wallet;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/**
 * The browser wallet's two computed files (see {@link WalletAssets}); everything else under {@code /wallet/} is a
 * static resource from client-web's web jar. Public: the pages hold no data; the API behind them needs a token.
 */
@Controller("/wallet")
@Secured(SecurityRule.IS_ANONYMOUS)
@io.swagger.v3.oas.annotations.Hidden
class WalletPageController {
    private final WalletAssets assets;

    WalletPageController(WalletAssets assets) {
        this.assets = assets;
    }

    @Get(uris = {"/", "/index.html"}, produces = MediaType.TEXT_HTML)
    HttpResponse<byte[]> page() {
        return HttpResponse.ok(assets.page()).contentType(MediaType.TEXT_HTML_TYPE.toString() + ";charset=utf-8")
                .header("Cache-Control", "no-cache");
    }

    @Get(value = "/mpc-wallet.js", produces = "text/javascript")
    HttpResponse<byte[]> script() {
        return HttpResponse.ok(assets.script()).contentType("text/javascript;charset=utf-8")
                .header("Cache-Control", "no-cache");
    }
}
