package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The bank's REST API (docs/bank-server.md, docs/mpc-channel.md "Sign requests") over OkHttp. Keeps the current
 * token pair: {@link #login} stores it, an authenticated call answered 401 refreshes it once
 * ({@code POST /v1/auth/refresh}) and is retried once; every new pair is handed to the token listener (the CLI
 * persists it in the session file). Errors are {@link BankApiException} built from the problem+json body; no message
 * ever contains a token or a request body. POSTs that create something carry a fresh {@code Idempotency-Key}.
 */
public final class BankApi {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_DETAIL = 300;

    private final HttpUrl base;
    private final OkHttpClient http;
    private final Consumer<Tokens> tokenListener;
    private volatile Tokens tokens;

    /** An access/refresh token pair. {@link #toString()} hides both. */
    public record Tokens(String accessToken, String refreshToken) {
        @Override
        public String toString() {
            return "Tokens[redacted]";
        }
    }

    /** The logged-in user as {@code /v1/auth/me} shows them. */
    public record Me(String id, String username, List<String> roles) {}

    public BankApi(String baseUrl, Tokens tokens, Consumer<Tokens> tokenListener) {
        HttpUrl url = HttpUrl.parse(baseUrl);
        if (url == null) {
            throw new WalletException("not an http(s) URL: " + baseUrl);
        }
        this.base = url;
        this.tokens = tokens;
        this.tokenListener = tokenListener == null ? t -> {} : tokenListener;
        this.http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(30)).followRedirects(false).retryOnConnectionFailure(false).build();
    }

    public String baseUrl() {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The current access token (for the MPC channel's upgrade request), or null when not logged in. */
    public String accessToken() {
        Tokens t = tokens;
        return t == null ? null : t.accessToken();
    }

    public Tokens tokens() {
        return tokens;
    }

    // ---- auth ---------------------------------------------------------------------------------------------------

    /** {@code POST /v1/auth/register}: a new customer. */
    public Me register(String username, char[] password, String email) {
        ObjectNode body = Json.object().put("username", username).put("password", new String(password));
        if (email != null) {
            body.put("email", email);
        }
        return me(call(post("/v1/auth/register", body, true), false));
    }

    /** {@code POST /v1/auth/login}: stores the token pair and hands it to the listener. */
    public Me login(String username, char[] password) {
        ObjectNode body = Json.object().put("username", username).put("password", new String(password));
        JsonNode n = call(post("/v1/auth/login", body, false), false);
        if (n.has("secondFactor")) {
            // a staff or signatory account: its sign-in ends with a passkey, in the bank's console, not here
            throw new BankApiException(403, "Passkey required", "this account signs in with a passkey in the bank's "
                    + "console (/admin/ on the bank's address); the wallet is for customers");
        }
        adoptTokens(n);
        JsonNode user = n.get("user");
        return user != null && user.isObject() && user.has("id") ? me(user) : new Me(null, username, List.of());
    }

    /** {@code POST /v1/auth/refresh}: rotates the refresh token. */
    public void refresh() {
        Tokens t = tokens;
        if (t == null || t.refreshToken() == null) {
            throw new BankApiException(401, "Unauthorized", "not logged in; run `wallet login <username>`");
        }
        JsonNode n;
        try {
            n = call(post("/v1/auth/refresh", Json.object().put("refreshToken", t.refreshToken()), false), false);
        } catch (BankApiException e) {
            if (e.status() == 401) {
                throw new BankApiException(401, "Unauthorized",
                        "the session has expired; run `wallet login <username>` again");
            }
            throw e;
        }
        adoptTokens(n);
    }

    /** {@code POST /v1/auth/logout}: the bank revokes this session's refresh token family (204 whatever it was). */
    public void logout() {
        Tokens t = tokens;
        if (t == null || t.refreshToken() == null) {
            return;
        }
        call(post("/v1/auth/logout", Json.object().put("refreshToken", t.refreshToken()), false), false);
    }

    /** {@code GET /v1/auth/me}. */
    public Me me() {
        return me(call(get("/v1/auth/me"), true));
    }

    // ---- wallets ------------------------------------------------------------------------------------------------

    /** {@code POST /v1/wallets} with a fresh Idempotency-Key: a wallet in PENDING_KEYGEN. */
    public WalletInfo createWallet(String name, String type, String riskProfile) {
        ObjectNode body = Json.object().put("name", name).put("type", type).put("riskProfile", riskProfile);
        return WalletInfo.of(call(post("/v1/wallets", body, true), true));
    }

    public List<WalletInfo> listWallets() {
        List<WalletInfo> out = new ArrayList<>();
        for (JsonNode n : pages(url("/v1/wallets").newBuilder(), "the wallet list")) {
            out.add(WalletInfo.of(n));
        }
        return out;
    }

    public WalletInfo getWallet(String walletId) {
        return WalletInfo.of(call(get("/v1/wallets/" + segment(walletId)), true));
    }

    /** {@code GET /v1/wallets/{id}/mpc}: the key's public key, lock and epoch. */
    public KeyInfo keyInfo(String walletId) {
        return KeyInfo.of(call(get("/v1/wallets/" + segment(walletId) + "/mpc"), true));
    }

    // ---- sign requests ------------------------------------------------------------------------------------------

    /** {@code POST /v1/wallets/{id}/sign-requests} with a fresh Idempotency-Key. */
    public SignRequest createSignRequest(String walletId, TxFields f) {
        ObjectNode body = Json.object().put("type", f.type()).put("chainId", f.chainId()).put("nonce", f.nonce())
                .put("gasLimit", f.gasLimit()).put("to", f.to()).put("valueWei", f.valueWei())
                .put("data", f.data() == null ? "0x" : f.data());
        if (f.gasPrice() != null) {
            body.put("gasPrice", f.gasPrice());
        } else {
            body.put("maxPriorityFeePerGas", f.maxPriorityFeePerGas()).put("maxFeePerGas", f.maxFeePerGas());
        }
        return SignRequest.of(call(post("/v1/wallets/" + segment(walletId) + "/sign-requests", body, true), true));
    }

    /** {@code GET /v1/wallets/{id}/sign-requests?status=...} (status null: all). */
    public List<SignRequest> listSignRequests(String walletId, String status) {
        HttpUrl.Builder url = url("/v1/wallets/" + segment(walletId) + "/sign-requests").newBuilder();
        if (status != null) {
            url.addQueryParameter("status", status);
        }
        List<SignRequest> out = new ArrayList<>();
        for (JsonNode n : pages(url, "the sign request list")) {
            out.add(SignRequest.of(n));
        }
        return out;
    }

    public SignRequest getSignRequest(String requestId) {
        return SignRequest.of(call(get("/v1/sign-requests/" + segment(requestId)), true));
    }

    // ---- custody pipeline (docs/custody-pipeline.md) --------------------------------------------------------------

    /** {@code POST /v1/tx-requests} with a fresh Idempotency-Key: a transfer in base units of {@code asset}. */
    public TxRequestInfo createTxRequest(String walletId, String asset, String to, String amount, String note) {
        ObjectNode body = Json.object().put("walletId", walletId).put("asset", asset).put("to", to)
                .put("amount", amount);
        if (note != null) {
            body.put("note", note);
        }
        return TxRequestInfo.of(call(post("/v1/tx-requests", body, true), true));
    }

    /** {@code GET /v1/tx-requests?walletId=&status=} (either may be null). */
    public List<TxRequestInfo> listTxRequests(String walletId, String status) {
        HttpUrl.Builder url = url("/v1/tx-requests").newBuilder();
        if (walletId != null) {
            url.addQueryParameter("walletId", segment(walletId));
        }
        if (status != null) {
            url.addQueryParameter("status", status);
        }
        List<TxRequestInfo> out = new ArrayList<>();
        for (JsonNode n : pages(url, "the request list")) {
            out.add(TxRequestInfo.of(n));
        }
        return out;
    }

    public TxRequestInfo getTxRequest(String id) {
        return TxRequestInfo.of(call(get("/v1/tx-requests/" + segment(id)), true));
    }

    /** {@code POST /v1/tx-requests/{id}/approve}: {@code decision} APPROVE or REJECT. */
    public TxRequestInfo voteTxRequest(String id, String decision, String comment) {
        ObjectNode body = Json.object().put("decision", decision);
        if (comment != null) {
            body.put("comment", comment);
        }
        return TxRequestInfo.of(call(post("/v1/tx-requests/" + segment(id) + "/approve", body, false), true));
    }

    /** {@code POST /v1/wallets/{id}/roles}: the OWNER grants {@code role} on the wallet to a user. */
    public void grantRole(String walletId, String userId, String role) {
        call(post("/v1/wallets/" + segment(walletId) + "/roles", Json.object().put("userId", userId)
                .put("role", role), true), true);
    }

    /** {@code GET /v1/wallets/{id}/balances}. */
    public Balances balances(String walletId) {
        return Balances.of(call(get("/v1/wallets/" + segment(walletId) + "/balances"), true));
    }

    /** {@code GET /v1/wallets/{id}/deposits}. */
    public List<Deposit> deposits(String walletId) {
        List<Deposit> out = new ArrayList<>();
        for (JsonNode d : pages(url("/v1/wallets/" + segment(walletId) + "/deposits").newBuilder(),
                "the deposit list")) {
            out.add(Deposit.of(d));
        }
        return out;
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private void adoptTokens(JsonNode n) {
        String what = "the bank's token answer";
        Tokens t = new Tokens(Json.text(n, "access_token", what), Json.text(n, "refresh_token", what));
        tokens = t;
        tokenListener.accept(t);
    }

    private static Me me(JsonNode n) {
        List<String> roles = new ArrayList<>();
        JsonNode r = n.get("roles");
        if (r != null && r.isArray()) {
            r.forEach(x -> roles.add(x.asText()));
        }
        return new Me(Json.optText(n, "id"), Json.text(n, "username", "the bank's user"), List.copyOf(roles));
    }

    /** At most this many pages of a list are read (200 items each). */
    static final int MAX_PAGES = 50;

    /**
     * Every item of a paged list (docs/integration.md "Pagination"): pages of 200, following {@code next_cursor}
     * while {@code has_more}, at most {@link #MAX_PAGES}.
     */
    private List<JsonNode> pages(HttpUrl.Builder url, String what) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            HttpUrl.Builder u = url.build().newBuilder().setQueryParameter("limit", "200");
            if (cursor != null) {
                u.setQueryParameter("cursor", cursor);
            }
            JsonNode n = call(new Request.Builder().url(u.build()).get(), true);
            if (!n.isObject() || !n.path("items").isArray()) {
                throw new WalletException(what + " from the bank is not a page of items");
            }
            n.get("items").forEach(out::add);
            if (!n.path("has_more").asBoolean(false) || !n.path("next_cursor").isTextual()) {
                return out;
            }
            cursor = n.get("next_cursor").asText();
        }
        return out;
    }

    private static String segment(String id) {
        if (id == null || id.isEmpty() || id.length() > 128 || !id.matches("[A-Za-z0-9._:-]+")) {
            throw new WalletException("invalid id: expected 1-128 characters of [A-Za-z0-9._:-]");
        }
        return id;
    }

    private HttpUrl url(String path) {
        HttpUrl u = base.resolve(path);
        if (u == null) {
            throw new WalletException("cannot build a URL for " + path);
        }
        return u;
    }

    private Request.Builder get(String path) {
        return new Request.Builder().url(url(path)).get();
    }

    private Request.Builder post(String path, JsonNode body, boolean idempotent) {
        Request.Builder b = new Request.Builder().url(url(path)).post(RequestBody.create(Json.write(body), JSON));
        if (idempotent) {
            b.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        return b;
    }

    /** Sends; for authenticated calls adds the bearer token and on 401 refreshes once and retries once. */
    private JsonNode call(Request.Builder request, boolean authenticated) {
        if (!authenticated) {
            return execute(request.build());
        }
        if (accessToken() == null) {
            throw new BankApiException(401, "Unauthorized", "not logged in; run `wallet login <username>`");
        }
        try {
            return execute(request.header("Authorization", "Bearer " + accessToken()).build());
        } catch (BankApiException e) {
            if (e.status() != 401 || tokens.refreshToken() == null) {
                throw e;
            }
        }
        refresh();
        return execute(request.header("Authorization", "Bearer " + accessToken()).build());
    }

    private JsonNode execute(Request request) {
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            String text = body == null ? "" : new String(body.bytes(), StandardCharsets.UTF_8);
            if (!response.isSuccessful()) {
                throw problem(response.code(), response.message(), text);
            }
            return text.isEmpty() ? Json.object() : Json.parse(text, "the bank's answer");
        } catch (IOException e) {
            throw new WalletException("cannot reach the bank at " + baseUrl() + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** problem+json (RFC 7807) into an exception; a body that is not one gives the status line only. */
    static BankApiException problem(int status, String reason, String body) {
        String title = reason == null || reason.isBlank() ? null : reason;
        String detail = null;
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n != null && n.isObject()) {
                title = n.hasNonNull("title") ? n.get("title").asText() : title;
                detail = n.hasNonNull("detail") ? n.get("detail").asText() : null;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: keep the status line
        }
        return new BankApiException(status, cut(title), cut(detail));
    }

    private static String cut(String s) {
        if (s == null) {
            return null;
        }
        String clean = s.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > MAX_DETAIL ? clean.substring(0, MAX_DETAIL) + "…" : clean;
    }

    @Override
    public String toString() {
        return "BankApi[" + baseUrl() + ", tokens redacted]";
    }
}
