package org.mpcwallet.bank.web.wallet;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The browser wallet's files that are served with values computed from the other files (docs/client-web.md
 * "Integrity"): {@code mpc-wallet.js} with the SHA-256 of {@code teavm/p2.wasm} written into it (the worker refuses
 * a module with another digest), and the demo page {@code index.html} with the Subresource Integrity value (SHA-384)
 * of that {@code mpc-wallet.js}. So the page pins the script and the script pins the module. Read once from the
 * classpath ({@code wallet/**}, client-web's "web" jar); a missing file stops the server at start-up.
 */
@Singleton
public class WalletAssets {
    static final String WASM_PLACEHOLDER = "__P2_WASM_SHA256__";
    static final String SRI_PLACEHOLDER = "__MPC_WALLET_JS_SRI__";

    private final byte[] script;
    private final byte[] page;
    private final String wasmSha256;
    private final String scriptIntegrity;

    public WalletAssets() {
        wasmSha256 = HexFormat.of().formatHex(digest("SHA-256", read("wallet/teavm/p2.wasm")));
        String js = new String(read("wallet/mpc-wallet.js"), StandardCharsets.UTF_8);
        if (!js.contains(WASM_PLACEHOLDER)) {
            throw new IllegalStateException("wallet/mpc-wallet.js has no " + WASM_PLACEHOLDER + " to fill in");
        }
        script = js.replace(WASM_PLACEHOLDER, wasmSha256).getBytes(StandardCharsets.UTF_8);
        scriptIntegrity = "sha384-" + Base64.getEncoder().encodeToString(digest("SHA-384", script));
        String html = new String(read("wallet/index.html"), StandardCharsets.UTF_8);
        page = html.replace(SRI_PLACEHOLDER, scriptIntegrity).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code mpc-wallet.js} as served (the module's digest filled in). */
    public byte[] script() {
        return script.clone();
    }

    /** The demo web banking page as served (the script's integrity filled in). */
    public byte[] page() {
        return page.clone();
    }

    /** The SHA-256 (hex) of {@code teavm/p2.wasm}. */
    public String wasmSha256() {
        return wasmSha256;
    }

    /** The {@code integrity} value of {@code mpc-wallet.js}, for a bank's own page that embeds the element. */
    public String scriptIntegrity() {
        return scriptIntegrity;
    }

    private static byte[] read(String resource) {
        try (InputStream in = WalletAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the browser wallet's " + resource + " is not on the class path "
                        + "(client-web's web jar)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
