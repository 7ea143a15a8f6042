package org.mpcwallet.bank.integration;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * A webhook receiver as an integrator would write one, on a real HTTP server on loopback: it checks each request's
 * Standard Webhooks signature against the bank's published key with the JDK alone (not the bank's code), and answers
 * what {@link #answer} says. Every request is kept with whether its signature verified.
 */
public final class WebhookReceiver implements AutoCloseable {
    public record Received(String id, long timestamp, String keyId, String body, boolean verified, int answered,
                           java.time.Instant at, String signature) {
    }

    public final List<Received> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile List<PublicKey> keys = List.of();
    /** The status to answer the next request with (200 unless set). */
    public volatile IntSupplier answer = () -> 200;
    /** How long to hold each request before answering (a slow receiver). */
    public volatile long holdMillis;
    /** When set, the answer's headers come at once and its body does not end for this long. */
    public volatile long dripMillis;
    /** Requests being answered now, and the most at once so far. */
    public final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
    public final java.util.concurrent.atomic.AtomicInteger maxActive = new java.util.concurrent.atomic.AtomicInteger();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                handle(exchange);
            } finally {
                active.decrementAndGet();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    private void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        java.time.Instant at = java.time.Instant.now();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String ts = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String sig = exchange.getRequestHeaders().getFirst("webhook-signature");
        boolean ok = "POST".equals(exchange.getRequestMethod()) && verifies(id, ts, body, sig);
        int status = answer.getAsInt();
        if (holdMillis > 0) {
            try {
                Thread.sleep(holdMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        requests.add(new Received(id, ts == null ? -1 : Long.parseLong(ts),
                exchange.getRequestHeaders().getFirst("webhook-key-id"), new String(body,
                StandardCharsets.UTF_8), ok, status, at, sig));
        if (dripMillis > 0) { // the answer's headers at once, then its body never quite ends
            exchange.sendResponseHeaders(status, 0);
            try {
                exchange.getResponseBody().write('{');
                exchange.getResponseBody().flush();
                Thread.sleep(dripMillis);
            } catch (IOException | InterruptedException e) {
                // the bank hung up: what a receiver that drips its answer should see
            }
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The bank's public keys, as PEM from {@code GET /v1/webhooks/signing-keys}. */
    public void trust(List<String> pems) throws Exception {
        List<PublicKey> out = new ArrayList<>();
        for (String pem : pems) {
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""));
            out.add(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
        }
        keys = out;
    }

    /** The requests answered 2xx, in arrival order. */
    public List<Received> accepted() {
        return requests.stream().filter(r -> r.answered() >= 200 && r.answered() < 300).toList();
    }

    private boolean verifies(String id, String ts, byte[] body, String header) {
        if (id == null || ts == null || header == null || !header.startsWith("v1a,")) {
            return false;
        }
        byte[] head = (id + "." + ts + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[head.length + body.length];
        System.arraycopy(head, 0, content, 0, head.length);
        System.arraycopy(body, 0, content, head.length, body.length);
        for (PublicKey k : keys) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(k);
                s.update(content);
                if (s.verify(Base64.getDecoder().decode(header.substring(4)))) {
                    return true;
                }
            } catch (Exception e) {
                // not this key
            }
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
