package org.mpcwallet.signer.service;

import static org.mpcwallet.signer.service.SignerHttp.pathOf;
import static org.mpcwallet.signer.service.SignerHttp.problem;
import static org.mpcwallet.signer.service.SignerHttp.send;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.mpcwallet.signer.gateway.GatewayJson;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.mpcwallet.signer.internal.StrictJson;
import org.mpcwallet.signer.service.SignerHttp.BadRequest;
import org.mpcwallet.signer.service.SignerHttp.Response;
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
 *
 * <p>This class starts and stops the server and answers each exchange (a refused request becomes its problem, an
 * unexpected failure a logged 500); the endpoints and the strict reading of their requests are
 * {@link SignerRoutes}, the HTTP plumbing (bodies, method checks, sending) {@link SignerHttp}.
 */
public final class SignerService implements AutoCloseable {
    /** Largest request body accepted; larger bodies are refused with 400 {@code body_too_large}. */
    public static final int MAX_BODY_BYTES = 512 * 1024;
    /** Largest permit (encoding) accepted in a sign request. */
    public static final int MAX_PERMIT_BYTES = 256 * 1024;
    /** Largest permit signature accepted (Ed25519 signatures are 64 bytes; the verifier checks the exact size). */
    public static final int MAX_PERMIT_SIGNATURE_BYTES = 1024;

    private static final System.Logger LOG = System.getLogger(SignerService.class.getName());

    private final SignerRoutes routes;
    private final HttpsServer server;
    private final ExecutorService executor;

    private SignerService(SignerGateway gateway, HttpsServer server, ExecutorService executor) {
        this.routes = new SignerRoutes(gateway);
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

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        int status = 500;
        try (exchange) {
            Response r;
            try {
                r = routes.route(exchange);
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
            status = r.status();
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
