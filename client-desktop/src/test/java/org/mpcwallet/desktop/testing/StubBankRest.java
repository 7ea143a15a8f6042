package org.mpcwallet.desktop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mpcwallet.desktop.core.Json;

/**
 * A small stand-in for bank-server's REST API (auth, wallets, sign requests: the shapes of docs/bank-server.md and
 * docs/mpc-channel.md) on the JDK's HTTP server, for tests of the client's REST handling: tokens, refresh on 401,
 * problem+json errors, Idempotency-Key. It issues random tokens so tests can check they never appear in output.
 */
public final class StubBankRest implements AutoCloseable {
    private final HttpServer server;
    private final SecureRandom random = new SecureRandom();
    public final String password;
    public final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    public final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
    public final Map<String, ObjectNode> wallets = new LinkedHashMap<>();
    public final Map<String, ObjectNode> requests = new LinkedHashMap<>();
    private volatile String access;
    private volatile String refresh;
    private volatile String user;
    public volatile int refreshes;

    public StubBankRest(String password) throws IOException {
        this.password = password;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes the current access token invalid (as if it expired): the next call gets 401 and must refresh. */
    public void expireAccessToken() {
        access = token();
    }

    private String token() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        issuedTokens.add(t);
        return t;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String key = x.getRequestHeaders().getFirst("Idempotency-Key");
            if (key != null) {
                idempotencyKeys.add(key);
            }
            if (method.equals("POST") && path.equals("/v1/auth/register")) {
                JsonNode b = Json.parse(body, "body");
                if (b.path("password").asText().length() < 12) {
                    problem(x, 400, "Bad Request", "password: at least 12 characters");
                    return;
                }
                send(x, 201, Json.object().put("id", UUID.randomUUID().toString())
                        .put("username", b.path("username").asText()).set("roles", Json.MAPPER.createArrayNode()
                                .add("CUSTOMER")));
                return;
            }
            if (method.equals("POST") && path.equals("/v1/auth/login")) {
                JsonNode b = Json.parse(body, "body");
                if (!password.equals(b.path("password").asText())) {
                    problem(x, 401, "Unauthorized", "Invalid username or password");
                    return;
                }
                user = b.path("username").asText();
                tokens(x);
                return;
            }
            if (method.equals("POST") && path.equals("/v1/auth/refresh")) {
                JsonNode b = Json.parse(body, "body");
                if (refresh == null || !refresh.equals(b.path("refreshToken").asText())) {
                    problem(x, 401, "Unauthorized", "Invalid or expired refresh token");
                    return;
                }
                refreshes++;
                tokens(x);
                return;
            }
            String auth = x.getRequestHeaders().getFirst("Authorization");
            if (access == null || !("Bearer " + access).equals(auth)) {
                problem(x, 401, "Unauthorized", "Unauthorized");
                return;
            }
            if (method.equals("GET") && path.equals("/v1/auth/me")) {
                send(x, 200, Json.object().put("id", "u-1").put("username", user)
                        .set("roles", Json.MAPPER.createArrayNode().add("CUSTOMER")));
            } else if (method.equals("POST") && path.equals("/v1/wallets")) {
                JsonNode b = Json.parse(body, "body");
                String id = UUID.randomUUID().toString();
                ObjectNode w = Json.object().put("id", id).put("name", b.path("name").asText())
                        .put("type", b.path("type").asText()).put("riskProfile", b.path("riskProfile").asText())
                        .put("status", "PENDING_KEYGEN").putNull("address");
                wallets.put(id, w);
                send(x, 201, w);
            } else if (method.equals("GET") && path.equals("/v1/wallets")) {
                ArrayNode a = Json.MAPPER.createArrayNode();
                wallets.values().forEach(a::add);
                send(x, 200, a);
            } else if (method.equals("GET") && path.startsWith("/v1/wallets/") && path.endsWith("/sign-requests")) {
                String wid = path.split("/")[3];
                String status = x.getRequestURI().getQuery() == null ? null
                        : x.getRequestURI().getQuery().replace("status=", "");
                ArrayNode a = Json.MAPPER.createArrayNode();
                requests.values().stream().filter(r -> r.path("walletId").asText().equals(wid))
                        .filter(r -> status == null || r.path("status").asText().equals(status)).forEach(a::add);
                send(x, 200, a);
            } else if (method.equals("GET") && path.startsWith("/v1/wallets/")) {
                ObjectNode w = wallets.get(path.substring("/v1/wallets/".length()));
                if (w == null) {
                    problem(x, 404, "Not Found", "No such wallet.");
                } else {
                    send(x, 200, w);
                }
            } else if (method.equals("GET") && path.startsWith("/v1/sign-requests/")) {
                ObjectNode r = requests.get(path.substring("/v1/sign-requests/".length()));
                if (r == null) {
                    problem(x, 404, "Not Found", "No such sign request.");
                } else {
                    send(x, 200, r);
                }
            } else {
                problem(x, 404, "Not Found", "Page Not Found");
            }
        } catch (RuntimeException e) {
            problem(x, 500, "Internal Server Error", "Internal Server Error");
        }
    }

    /** Adds a PENDING request with the given fields and signing hash (which may be wrong, on purpose). */
    public String addRequest(String walletId, Map<String, String> fields, String signingHash) {
        String id = UUID.randomUUID().toString();
        ObjectNode r = Json.object().put("id", id).put("walletId", walletId).put("status", "PENDING");
        fields.forEach(r::put);
        r.put("signingHash", signingHash).put("createdAt", "2026-01-01T00:00:00Z")
                .put("expiresAt", "2026-01-01T00:15:00Z").put("createdBy", "u-1").putNull("signature")
                .putNull("rawTransaction").putNull("txHash").putNull("failure");
        requests.put(id, r);
        return id;
    }

    private void tokens(HttpExchange x) throws IOException {
        access = token();
        refresh = token();
        send(x, 200, Json.object().put("access_token", access).put("token_type", "Bearer").put("expires_in", 600)
                .put("refresh_token", refresh).set("user", Json.object().put("id", "u-1").put("username", user)));
    }

    private static void problem(HttpExchange x, int status, String title, String detail) throws IOException {
        byte[] b = Json.write(Json.object().put("type", "about:blank").put("title", title).put("status", status)
                .put("detail", detail)).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/problem+json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    private static void send(HttpExchange x, int status, JsonNode n) throws IOException {
        byte[] b = Json.write(n).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public List<String> tokensSoFar() {
        return new ArrayList<>(issuedTokens);
    }
}
