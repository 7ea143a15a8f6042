package org.mpcwallet.signer.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.mpcwallet.signer.gateway.GatewayJson;
import org.mpcwallet.signer.gateway.GatewayKeyset;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.mpcwallet.signer.internal.StrictJson;
import org.mpcwallet.signer.internal.StrictUtf8;
import org.mpcwallet.signer.tls.MutualTls;

/**
 * The bank's P1 party as a separate process: a {@link SignerGateway} (normally a
 * {@link org.mpcwallet.signer.gateway.LocalSignerGateway} over the PostgreSQL repositories) served as JSON over
 * HTTPS with mutual TLS 1.3 (docs/bank-signer.md "Signer service"). Every client must present a certificate issued
 * by a CA in the service's truststore; the handshake fails otherwise, before any HTTP is read.
 *
 * <p>Requests are parsed strictly ({@link StrictJson}): a malformed body is a 400 problem {@code {"error","detail"}}
 * and nothing reaches the signer. Protocol, permit and storage outcomes are 200 replies
 * ({@link GatewayJson#encodeReply}); only a request that cannot be served at all is an HTTP error. Request bodies,
 * handles and replies are never logged.
 */
public final class SignerService implements AutoCloseable {
    /** Largest request body accepted; larger bodies are refused with 400 {@code body_too_large}. */
    public static final int MAX_BODY_BYTES = 512 * 1024;
    /** Largest permit (encoding) accepted in a sign request. */
    public static final int MAX_PERMIT_BYTES = 256 * 1024;
    /** Largest permit signature accepted (Ed25519 signatures are 64 bytes; the verifier checks the exact size). */
    public static final int MAX_PERMIT_SIGNATURE_BYTES = 1024;
    /** How much of an oversize body is read and discarded so the 400 can still be delivered on the connection. */
    private static final long MAX_DRAIN_BYTES = 8L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(SignerService.class.getName());
    private static final Set<String> START_FIELDS = Set.of("keysetId", "sessionId");
    private static final Set<String> SIGN_FIELDS = Set.of("keysetId", "sessionId", "permit", "permitSignature");
    private static final Set<String> SWEEP_FIELDS = Set.of("keysetId", "to", "signatures");
    private static final Set<String> NEXT_FIELDS = Set.of("handle", "inbound");
    private static final Set<String> ABANDON_FIELDS = Set.of("handle");
    private static final String KEYSETS = "/v1/keysets/";

    private final SignerGateway gateway;
    private final HttpsServer server;
    private final ExecutorService executor;

    private SignerService(SignerGateway gateway, HttpsServer server, ExecutorService executor) {
        this.gateway = gateway;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} (port 0: any free port) and starts serving {@code gateway} with {@code tls} (from
     * {@link MutualTls#context}); {@code threads} requests run at once.
     */
    public static SignerService start(SignerGateway gateway, SSLContext tls, InetSocketAddress address, int threads)
            throws IOException {
        if (gateway == null || tls == null || address == null || threads < 1) {
            throw new IllegalArgumentException("gateway, TLS context, address and at least one thread are required");
        }
        HttpsServer server = HttpsServer.create(address, 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                params.setSSLParameters(MutualTls.parameters(getSSLContext(), true));
            }
        });
        ExecutorService executor = Executors.newFixedThreadPool(threads, namedThreads());
        SignerService service = new SignerService(gateway, server, executor);
        server.createContext("/", service::handle);
        server.setExecutor(executor);
        server.start();
        return service;
    }

    public static SignerService start(SignerGateway gateway, SSLContext tls, InetSocketAddress address)
            throws IOException {
        return start(gateway, tls, address, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    }

    /** The bound port (the chosen one when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting connections, lets running exchanges finish (up to 2 s), then stops the worker threads. */
    @Override
    public void close() {
        server.stop(2);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ---- routing ----------------------------------------------------------------------------------------------

    private record Response(int status, byte[] body, String allow) {
        static Response json(int status, byte[] body) {
            return new Response(status, body, null);
        }
    }

    /** A request that is refused before it reaches the signer; the detail names the rule, never a value. */
    private static final class BadRequest extends Exception {
        final String error;

        BadRequest(String error, String detail) {
            super(detail, null, false, false);
            this.error = error;
        }
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        int status = 500;
        try (exchange) {
            Response r;
            try {
                r = route(exchange);
            } catch (BadRequest e) {
                r = problem(400, e.error, e.getMessage());
            } catch (IllegalArgumentException e) {
                // the gateway refused an argument (its messages describe shapes, not values)
                r = problem(400, "invalid_request", e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "request " + exchange.getRequestMethod() + " " + pathOf(exchange)
                        + " failed: " + e.getClass().getName() + ": " + e.getMessage());
                r = problem(500, "internal_error", "the signer could not process the request; see the signer's log");
            }
            status = r.status;
            send(exchange, r);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "connection lost while answering: " + e.getClass().getSimpleName());
        } finally {
            LOG.log(System.Logger.Level.DEBUG, () -> exchange.getRequestMethod() + " " + pathOf(exchange) + " -> "
                    + "done in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
        if (status >= 500) {
            LOG.log(System.Logger.Level.WARNING, "answered " + status + " to " + pathOf(exchange));
        }
    }

    private Response route(HttpExchange ex) throws IOException, BadRequest {
        String path = pathOf(ex);
        String method = ex.getRequestMethod();
        switch (path) {
            case "/health" -> {
                return requireMethod(ex, "GET", () -> {
                    ObjectNode o = StrictJson.newObject();
                    o.put("status", "UP");
                    return Response.json(200, StrictJson.write(o));
                });
            }
            case "/v1/keygen/start" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, START_FIELDS);
                    return reply(gateway.keygenStart(keysetId(o), sessionId(o)));
                });
            }
            case "/v1/refresh/start" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, START_FIELDS);
                    return reply(gateway.refreshStart(keysetId(o), sessionId(o)));
                });
            }
            case "/v1/sign/start" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, SIGN_FIELDS);
                    String keysetId = keysetId(o);
                    byte[] sid = sessionId(o);
                    byte[] permit = base64(o, "permit", MAX_PERMIT_BYTES);
                    byte[] permitSignature = base64(o, "permitSignature", MAX_PERMIT_SIGNATURE_BYTES);
                    return reply(gateway.signStart(keysetId, sid, permit, permitSignature));
                });
            }
            case "/v1/sweeps/authorize" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, SWEEP_FIELDS);
                    String keysetId = keysetId(o);
                    String to;
                    int signatures;
                    try {
                        to = StrictJson.text(o, "to");
                        signatures = (int) StrictJson.integer(o, "signatures", 1,
                                org.mpcwallet.signer.BankSigner.MAX_SWEEP_SIGNATURES);
                    } catch (StrictJson.Invalid e) {
                        throw new BadRequest("malformed_request", e.getMessage());
                    }
                    if (!to.matches("0x[0-9a-fA-F]{40}")) {
                        throw new BadRequest("malformed_request", "field \"to\" must be 0x followed by 40 hex digits");
                    }
                    return reply(gateway.authorizeSweep(keysetId, to, signatures));
                });
            }
            case "/v1/sessions/next" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, NEXT_FIELDS);
                    String handle = handle(o);
                    byte[] inbound = base64(o, "inbound", GatewayJson.MAX_MESSAGE_BYTES);
                    return reply(gateway.next(handle, inbound));
                });
            }
            case "/v1/sessions/abandon" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, ABANDON_FIELDS);
                    gateway.abandon(handle(o));
                    return new Response(204, null, null);
                });
            }
            default -> {
                if (path.startsWith(KEYSETS) && path.length() > KEYSETS.length()
                        && path.indexOf('/', KEYSETS.length()) < 0) {
                    String id = keysetIdFromPath(path.substring(KEYSETS.length()));
                    return requireMethod(ex, "GET", () -> {
                        GatewayKeyset k = gateway.keyset(id);
                        return k == null
                                ? problem(404, "unknown_keyset", "the signer holds no share for this keyset")
                                : Response.json(200, GatewayJson.encodeKeyset(k));
                    });
                }
                drain(ex.getRequestBody(), MAX_DRAIN_BYTES);
                return problem(404, "not_found", "no such endpoint: " + method + " on an unknown path");
            }
        }
    }

    @FunctionalInterface
    private interface Action {
        Response run() throws BadRequest;
    }

    @FunctionalInterface
    private interface BodyAction {
        Response run(byte[] body) throws BadRequest;
    }

    private static Response requireMethod(HttpExchange ex, String allowed, Action action)
            throws IOException, BadRequest {
        drain(ex.getRequestBody(), MAX_DRAIN_BYTES);
        if (!allowed.equals(ex.getRequestMethod())) {
            return new Response(405, problemBody("method_not_allowed", "use " + allowed), allowed);
        }
        return action.run();
    }

    private static Response requirePost(HttpExchange ex, BodyAction action) throws IOException, BadRequest {
        if (!"POST".equals(ex.getRequestMethod())) {
            drain(ex.getRequestBody(), MAX_DRAIN_BYTES);
            return new Response(405, problemBody("method_not_allowed", "use POST"), "POST");
        }
        return action.run(readBody(ex));
    }

    private static Response reply(GatewayReply r) {
        return Response.json(200, GatewayJson.encodeReply(r));
    }

    // ---- request parsing --------------------------------------------------------------------------------------

    private static byte[] readBody(HttpExchange ex) throws IOException, BadRequest {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        InputStream in = ex.getRequestBody();
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length > MAX_BODY_BYTES) {
                drain(in, MAX_DRAIN_BYTES);
                throw new BadRequest("body_too_large", "the request body exceeds " + MAX_BODY_BYTES + " bytes");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (out.size() + n > MAX_BODY_BYTES) {
                drain(in, MAX_DRAIN_BYTES);
                throw new BadRequest("body_too_large", "the request body exceeds " + MAX_BODY_BYTES + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void drain(InputStream in, long max) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int n;
        while (total < max && (n = in.read(buf)) >= 0) {
            total += n;
        }
    }

    private static ObjectNode object(byte[] body, Set<String> fields) throws BadRequest {
        try {
            ObjectNode o = StrictJson.object(body);
            StrictJson.fields(o, "request", fields);
            return o;
        } catch (StrictJson.Invalid e) {
            throw new BadRequest("malformed_request", e.getMessage());
        }
    }

    private static String keysetId(ObjectNode o) throws BadRequest {
        try {
            return StrictJson.identifier(o, "keysetId", 1, 128);
        } catch (StrictJson.Invalid e) {
            throw new BadRequest("malformed_request", e.getMessage());
        }
    }

    private static String handle(ObjectNode o) throws BadRequest {
        try {
            return StrictJson.identifier(o, "handle", 1, 128);
        } catch (StrictJson.Invalid e) {
            throw new BadRequest("malformed_request", e.getMessage());
        }
    }

    private static byte[] sessionId(ObjectNode o) throws BadRequest {
        try {
            return StrictJson.hex(o, "sessionId", 32);
        } catch (StrictJson.Invalid e) {
            throw new BadRequest("malformed_request", e.getMessage());
        }
    }

    private static byte[] base64(ObjectNode o, String field, int max) throws BadRequest {
        try {
            return StrictJson.base64(o, field, max);
        } catch (StrictJson.Invalid e) {
            throw new BadRequest("malformed_request", e.getMessage());
        }
    }

    /** The path segment after /v1/keysets/, percent-decoded strictly (well-formed escapes, well-formed UTF-8). */
    private static String keysetIdFromPath(String raw) throws BadRequest {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                byte[] v = i + 2 < raw.length() ? StrictJson.hexOrNull(raw.substring(i + 1, i + 3).toLowerCase(), 1)
                        : null;
                if (v == null) {
                    throw new BadRequest("malformed_request", "the keyset id in the path has a bad percent escape");
                }
                b.write(v[0]);
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                b.write(c);
            } else {
                throw new BadRequest("malformed_request", "the keyset id in the path has a character to escape");
            }
        }
        byte[] bytes = b.toByteArray();
        String id = StrictUtf8.decode(bytes);
        if (id == null || bytes.length < 1 || bytes.length > 128 || id.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("malformed_request", "the keyset id in the path must be 1..128 bytes of UTF-8");
        }
        return id;
    }

    // ---- answers ----------------------------------------------------------------------------------------------

    private static Response problem(int status, String error, String detail) {
        return Response.json(status, problemBody(error, detail));
    }

    private static byte[] problemBody(String error, String detail) {
        ObjectNode o = StrictJson.newObject();
        o.put("error", error);
        o.put("detail", detail);
        return StrictJson.write(o);
    }

    private static void send(HttpExchange ex, Response r) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (r.allow != null) {
            ex.getResponseHeaders().set("Allow", r.allow);
        }
        if (r.body == null) {
            ex.sendResponseHeaders(r.status, -1);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(r.status, r.body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body);
        }
    }

    private static String pathOf(HttpExchange ex) {
        String p = ex.getRequestURI().getRawPath();
        return p == null ? "" : p;
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "signer-http-" + n.incrementAndGet());
            t.setDaemon(false);
            return t;
        };
    }

    @Override
    public String toString() {
        return "SignerService[" + server.getAddress() + "]";
    }
}
