package org.mpcwallet.bank.chain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP JSON-RPC pass-through to a real node that answers "method not found" ({@code -32601}) for some methods,
 * the way public RPC providers refuse the {@code debug_} namespace. Every other request goes to the node unchanged.
 * An observer may be told of each request's method first.
 */
public final class RpcMethodFilter implements AutoCloseable {
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+|\"[^\"]*\")");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI upstream;
    private final Set<String> refused;
    private final AtomicInteger refusals = new AtomicInteger();
    private final Consumer<String> beforeEachCall;

    public RpcMethodFilter(String upstreamUrl, Set<String> refusedMethods) throws IOException {
        this(upstreamUrl, refusedMethods, method -> { });
    }

    /** Also tells {@code beforeEachCall} each request's method before it is answered. */
    public RpcMethodFilter(String upstreamUrl, Set<String> refusedMethods, Consumer<String> beforeEachCall)
            throws IOException {
        this.beforeEachCall = beforeEachCall;
        this.upstream = URI.create(upstreamUrl);
        this.refused = Set.copyOf(refusedMethods);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** How many requests were answered "method not found". */
    public int refusals() {
        return refusals.get();
    }

    /** The URL to give the bank instead of the node's. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = METHOD.matcher(body);
            String answer;
            boolean named = m.find();
            beforeEachCall.accept(named ? m.group(1) : "?");
            if (named && refused.contains(m.group(1))) {
                refusals.incrementAndGet();
                Matcher id = ID.matcher(body);
                answer = "{\"jsonrpc\":\"2.0\",\"id\":" + (id.find() ? id.group(1) : "null") + ",\"error\":{\"code\":"
                        + "-32601,\"message\":\"the method " + m.group(1) + " does not exist/is not available\"}}";
            } else {
                try {
                    answer = client.send(HttpRequest.newBuilder(upstream).header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("content-type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
