package org.mpcwallet.bank.web.wallet;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Security headers (docs/client-web.md "Hardening"). Every response: {@code X-Content-Type-Options: nosniff} and
 * {@code Referrer-Policy: no-referrer}. The browser wallet's files ({@code /wallet/**}, the worker included: a
 * dedicated worker takes its policy from its own response) get a strict Content-Security-Policy: scripts, workers,
 * styles and connections from the bank's origin only, no inline script, {@code 'wasm-unsafe-eval'} so WebAssembly
 * may compile, no plugins, no {@code <base>}, and {@code frame-ancestors} from {@code bank.web.frame-ancestors}
 * (default {@code 'self'}: a bank that embeds the wallet in a frame of its own site names that origin there).
 * The API reference at {@code /docs} gets {@code DocsController.POLICY}; API responses
 * {@code default-src 'none'; frame-ancestors 'none'}.
 *
 * <p>One exception, the worker script {@code /wallet/worker.js}: TeaVM 0.15's WebAssembly GC runtime builds the
 * JavaScript side of the module's imports (its {@code @JSBody} snippets and global lookups) with
 * {@code new Function} while it instantiates the module, so the worker's own policy adds {@code 'unsafe-eval'}. The
 * strings it evaluates come from the module (whose SHA-256 the worker checks before loading it), never from input;
 * the page, where the user's data is shown, keeps the policy without it (client-web/TEAVM-NOTES.md).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
class WalletHeadersFilter {
    static final String WORKER_PATH = "/wallet/worker.js";
    /**
     * The admin console ({@code /admin/}, docs/admin-console.md): its own modules, styles and API only; no inline
     * script or style, no frames, no form posts, no plugins, never framed.
     */
    static final String ADMIN_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private final String walletPolicy;
    private final String workerPolicy;

    WalletHeadersFilter(@Value("${bank.web.frame-ancestors:'self'}") String frameAncestors) {
        String ancestors = frameAncestors == null || frameAncestors.isBlank() ? "'self'" : frameAncestors.strip();
        if (ancestors.contains(";") || ancestors.contains(",") || ancestors.contains("\n")) {
            throw new IllegalArgumentException("bank.web.frame-ancestors must be a list of sources separated by spaces");
        }
        String rest = "worker-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
                + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + ancestors;
        walletPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " + rest;
        workerPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; " + rest;
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.getHeaders().set("X-Content-Type-Options", "nosniff");
        response.getHeaders().set("Referrer-Policy", "no-referrer");
        String path = request.getPath();
        if (path.equals(WORKER_PATH)) {
            response.getHeaders().set("Content-Security-Policy", workerPolicy);
        } else if (path.equals("/wallet") || path.startsWith("/wallet/")) {
            response.getHeaders().set("Content-Security-Policy", walletPolicy);
        } else if (path.equals("/admin") || path.startsWith("/admin/")) {
            response.getHeaders().set("Content-Security-Policy", ADMIN_POLICY);
            response.getHeaders().set("Cache-Control", "no-cache");
        } else if (path.equals("/docs") || path.startsWith("/docs/")) {
            response.getHeaders().set("Content-Security-Policy", org.mpcwallet.bank.web.openapi.DocsController.POLICY);
        } else {
            response.getHeaders().set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        }
    }

    String walletPolicy() {
        return walletPolicy;
    }

    String workerPolicy() {
        return workerPolicy;
    }
}
