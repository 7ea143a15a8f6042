package org.mpcwallet.signer.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.signer.internal.StrictJson;
import org.mpcwallet.signer.tls.MutualTls;

/**
 * The {@link SignerGateway} of a separate bank-signer process ({@code org.mpcwallet.signer.service.SignerService}),
 * called over HTTPS with mutual TLS 1.3: this side presents its client certificate, trusts only the CA in its
 * truststore for the signer's certificate, and verifies the signer's host name against that certificate.
 *
 * <p>Replies are decoded strictly into {@link GatewayReply}. The signer cannot be reached (connection refused, TLS
 * handshake refused either way, timeout) or answers outside the protocol (not JSON, an unexpected status): a
 * {@link SignerUnavailableException} whose message says which and names the signer's address, never a request
 * body. A 400 from the signer means this side sent an invalid argument and is an {@link IllegalArgumentException},
 * as {@link LocalSignerGateway} throws for the same arguments. {@link #healthy()} never throws.
 */
public final class RemoteSignerGateway implements SignerGateway, AutoCloseable {
    /** Default time to open a connection (TCP and TLS handshake). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default time for one call; a keygen or refresh step generates a Paillier key on the signer (seconds). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** Largest answer read from the signer. */
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private static final Set<String> PROBLEM_FIELDS = Set.of("error", "detail");

    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;

    /**
     * A gateway to the signer at {@code baseUri} ({@code https://host:port}, optionally with a path prefix) using
     * {@code tls} (e.g. {@link MutualTls#context}).
     */
    public RemoteSignerGateway(URI baseUri, SSLContext tls, Duration connectTimeout, Duration requestTimeout) {
        if (baseUri == null || tls == null || connectTimeout == null || requestTimeout == null
                || connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("signer URL, TLS context and positive timeouts are required");
        }
        if (!"https".equalsIgnoreCase(baseUri.getScheme()) || baseUri.getHost() == null
                || baseUri.getRawQuery() != null || baseUri.getRawFragment() != null
                || baseUri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("signer URL must be https://host[:port][/path] without user info, "
                    + "query or fragment");
        }
        String s = baseUri.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .sslParameters(MutualTls.parameters(tls, false))
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    /**
     * A gateway to the signer at {@code baseUri} presenting the private key and certificate in the PKCS#12
     * {@code keystore} and trusting the CA certificate(s) in the PKCS#12 {@code truststore}, with the default
     * timeouts. The passwords are only read.
     *
     * @throws IllegalArgumentException naming the store and the problem (missing file, wrong password, no key)
     */
    public static RemoteSignerGateway create(URI baseUri, Path keystore, char[] keystorePassword, Path truststore,
            char[] truststorePassword) {
        SSLContext tls;
        try {
            tls = MutualTls.context(keystore, keystorePassword, truststore, truststorePassword);
        } catch (MutualTls.TlsSetupException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return new RemoteSignerGateway(baseUri, tls, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    @Override
    public GatewayReply keygenStart(String keysetId, byte[] sessionId) {
        ObjectNode o = start(keysetId, sessionId);
        return replyOf(post("/v1/keygen/start", o));
    }

    @Override
    public GatewayReply signStart(String keysetId, byte[] sessionId, byte[] permit, byte[] permitSignature) {
        ObjectNode o = start(keysetId, sessionId);
        o.put("permit", Base64.getEncoder().encodeToString(permit == null ? new byte[0] : permit));
        o.put("permitSignature", Base64.getEncoder().encodeToString(
                permitSignature == null ? new byte[0] : permitSignature));
        return replyOf(post("/v1/sign/start", o));
    }

    @Override
    public GatewayReply presignStart(String keysetId, byte[] sessionId) {
        return replyOf(post("/v1/presign/start", start(keysetId, sessionId)));
    }

    @Override
    public GatewayReply online(String keysetId, String presignatureId, byte[] permit, byte[] permitSignature,
            byte[] o1) {
        if (keysetId == null || keysetId.isEmpty()) {
            throw new IllegalArgumentException("keysetId required");
        }
        if (presignatureId == null || !presignatureId.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("presignature id must be 64 lowercase hex characters");
        }
        if (o1 == null) {
            return new GatewayReply.Aborted(FailureKind.MALFORMED_MESSAGE, "no message", false);
        }
        ObjectNode o = StrictJson.newObject();
        o.put("keysetId", keysetId);
        o.put("presignatureId", presignatureId);
        o.put("permit", Base64.getEncoder().encodeToString(permit == null ? new byte[0] : permit));
        o.put("permitSignature", Base64.getEncoder().encodeToString(
                permitSignature == null ? new byte[0] : permitSignature));
        o.put("o1", Base64.getEncoder().encodeToString(o1));
        return replyOf(post("/v1/online", o));
    }

    @Override
    public int presignatures(String keysetId) {
        Answer a = send(HttpRequest.newBuilder(URI.create(base + KEYSETS + segment(keysetId) + "/presignatures"))
                .GET(), "presignatures");
        if (a.status == 400) {
            throw badRequest(a);
        }
        if (a.status != 200) {
            throw unexpected(a);
        }
        try {
            ObjectNode o = StrictJson.object(a.body);
            StrictJson.fields(o, "presignatures", Set.of("count"));
            return (int) StrictJson.integer(o, "count", 0, Integer.MAX_VALUE);
        } catch (StrictJson.Invalid e) {
            throw new SignerUnavailableException("bank-signer at " + base + " answered outside the gateway protocol: "
                    + e.getMessage());
        }
    }

    @Override
    public GatewayReply refreshStart(String keysetId, byte[] sessionId) {
        return replyOf(post("/v1/refresh/start", start(keysetId, sessionId)));
    }

    @Override
    public GatewayReply authorizeSweep(String keysetId, String to, int signatures) {
        if (keysetId == null || keysetId.isEmpty() || to == null) {
            throw new IllegalArgumentException("keysetId and target required");
        }
        ObjectNode o = StrictJson.newObject();
        o.put("keysetId", keysetId);
        o.put("to", to);
        o.put("signatures", signatures);
        return replyOf(post("/v1/sweeps/authorize", o));
    }

    @Override
    public GatewayReply next(String handle, byte[] inbound) {
        if (handle == null || handle.isEmpty() || handle.length() > 128) {
            return new GatewayReply.Failed(GatewayFailureKind.UNKNOWN_SESSION,
                    "no running signer session with this handle (unknown, expired or already advanced)", false);
        }
        if (inbound == null) {
            return new GatewayReply.Aborted(FailureKind.MALFORMED_MESSAGE, "no message", false);
        }
        ObjectNode o = StrictJson.newObject();
        o.put("handle", handle);
        o.put("inbound", Base64.getEncoder().encodeToString(inbound));
        return replyOf(post("/v1/sessions/next", o));
    }

    @Override
    public void abandon(String handle) {
        if (handle == null || handle.isEmpty() || handle.length() > 128) {
            return;
        }
        ObjectNode o = StrictJson.newObject();
        o.put("handle", handle);
        Answer a = post("/v1/sessions/abandon", o);
        if (a.status != 204) {
            throw unexpected(a);
        }
    }

    @Override
    public GatewayKeyset keyset(String keysetId) {
        Answer a = send(HttpRequest.newBuilder(URI.create(base + KEYSETS + segment(keysetId))).GET(), "keyset");
        if (a.status == 404 && "unknown_keyset".equals(problemError(a.body))) {
            return null;
        }
        if (a.status == 400) {
            throw badRequest(a);
        }
        if (a.status != 200) {
            throw unexpected(a);
        }
        try {
            return GatewayJson.decodeKeyset(a.body);
        } catch (StrictJson.Invalid e) {
            throw new SignerUnavailableException("bank-signer at " + base + " answered outside the gateway protocol: "
                    + e.getMessage());
        }
    }

    /** True when the signer completes a mutually authenticated handshake and answers {@code {"status":"UP"}}. */
    @Override
    public boolean healthy() {
        try {
            Answer a = send(HttpRequest.newBuilder(URI.create(base + "/health")).GET(), "health");
            if (a.status != 200) {
                return false;
            }
            ObjectNode o = StrictJson.object(a.body);
            StrictJson.fields(o, "health", Set.of("status"));
            return "UP".equals(StrictJson.text(o, "status"));
        } catch (SignerUnavailableException | StrictJson.Invalid e) {
            return false;
        }
    }

    /** Releases the HTTP client's connections and threads. */
    @Override
    public void close() {
        http.close();
    }

    // ---- transport --------------------------------------------------------------------------------------------

    private record Answer(int status, byte[] body) {}

    private static final String KEYSETS = "/v1/keysets/";

    /** The keyset id as one percent-encoded path segment. */
    private static String segment(String keysetId) {
        if (keysetId == null || keysetId.isEmpty()) {
            throw new IllegalArgumentException("keysetId required");
        }
        return URLEncoder.encode(keysetId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ObjectNode start(String keysetId, byte[] sessionId) {
        if (keysetId == null || keysetId.isEmpty()) {
            throw new IllegalArgumentException("keysetId required");
        }
        if (sessionId == null || sessionId.length != 32) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
        ObjectNode o = StrictJson.newObject();
        o.put("keysetId", keysetId);
        o.put("sessionId", HexFormat.of().formatHex(sessionId));
        return o;
    }

    private Answer post(String path, ObjectNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(StrictJson.write(body)));
        return send(b, path);
    }

    private Answer send(HttpRequest.Builder request, String what) {
        HttpRequest r = request.timeout(requestTimeout).header("Accept", "application/json").build();
        try {
            HttpResponse<InputStream> resp = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                byte[] body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
                if (body.length > MAX_RESPONSE_BYTES) {
                    throw new SignerUnavailableException("bank-signer at " + base + " answered " + what
                            + " with more than " + MAX_RESPONSE_BYTES + " bytes");
                }
                return new Answer(resp.statusCode(), body);
            }
        } catch (HttpTimeoutException e) {
            throw new SignerUnavailableException("bank-signer at " + base + " did not answer " + what + " in time ("
                    + e.getMessage() + ")", e);
        } catch (SSLException e) {
            throw new SignerUnavailableException("TLS with bank-signer at " + base + " failed (" + e.getMessage()
                    + "); check both certificates and truststores", e);
        } catch (IOException e) {
            throw new SignerUnavailableException("bank-signer at " + base + " cannot be reached for " + what + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignerUnavailableException("interrupted while calling bank-signer at " + base, e);
        }
    }

    private GatewayReply replyOf(Answer a) {
        if (a.status == 400) {
            throw badRequest(a);
        }
        if (a.status != 200) {
            throw unexpected(a);
        }
        try {
            return GatewayJson.decodeReply(a.body);
        } catch (StrictJson.Invalid e) {
            throw new SignerUnavailableException("bank-signer at " + base + " answered outside the gateway protocol: "
                    + e.getMessage());
        }
    }

    private IllegalArgumentException badRequest(Answer a) {
        return new IllegalArgumentException("bank-signer refused the request as invalid: " + problemDetail(a.body));
    }

    private SignerUnavailableException unexpected(Answer a) {
        String error = problemError(a.body);
        return new SignerUnavailableException("bank-signer at " + base + " answered HTTP " + a.status
                + (error == null ? "" : " (" + error + ")"));
    }

    private static String problemError(byte[] body) {
        try {
            ObjectNode o = StrictJson.object(body);
            StrictJson.fields(o, "problem", PROBLEM_FIELDS);
            return StrictJson.text(o, "error");
        } catch (StrictJson.Invalid e) {
            return null;
        }
    }

    private static String problemDetail(byte[] body) {
        try {
            ObjectNode o = StrictJson.object(body);
            StrictJson.fields(o, "problem", PROBLEM_FIELDS);
            return StrictJson.text(o, "error") + ": " + StrictJson.text(o, "detail");
        } catch (StrictJson.Invalid e) {
            return "(no problem description)";
        }
    }

    @Override
    public String toString() {
        return "RemoteSignerGateway[" + base + "]";
    }
}
