package org.mpcwallet.desktop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.mpcwallet.crypto.testing.AnvilProcess;

/**
 * A real anvil for client-desktop's end-to-end tests: shared-crypto's test {@link AnvilProcess} (the npm build in
 * {@code <repo>/.tools}, 127.0.0.1, a port the OS picks; a missing binary fails the test, never skips it; dev keys
 * redacted from its kept output) with the JSON-RPC calls these tests use. {@link #startWithoutMining()} starts it with
 * {@code --no-mining}: blocks come only from {@link #mine(int)}, so a test decides when a broadcast transaction is
 * mined.
 */
public final class TestAnvil implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AnvilProcess node;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestAnvil(AnvilProcess node) {
        this.node = node;
    }

    /** anvil that mines only when told ({@code --no-mining}). */
    public static TestAnvil startWithoutMining() {
        return start("--no-mining");
    }

    public static TestAnvil start(String... extra) {
        return new TestAnvil(AnvilProcess.start(extra));
    }

    public String rpcUrl() {
        return node.rpcUrl();
    }

    /** One JSON-RPC call; a JSON-RPC error is an AssertionError naming the method. */
    public JsonNode rpc(String method, Object... params) {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        ArrayNode ps = body.putArray("params");
        for (Object o : params) {
            ps.add(JSON.valueToTree(o));
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.rpcUrl()))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode n = JSON.readTree(r.body());
            if (n.has("error")) {
                throw new AssertionError(method + " failed: " + n.get("error"));
            }
            return n.get("result");
        } catch (IOException e) {
            throw new AssertionError(method + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Mines {@code blocks} blocks now. */
    public void mine(int blocks) {
        rpc("anvil_mine", "0x" + Integer.toHexString(blocks));
    }

    /** Sets the balance of {@code address} (no transaction). */
    public void setBalance(String address, BigInteger wei) {
        rpc("anvil_setBalance", address, "0x" + wei.toString(16));
    }

    /** The latest balance of {@code address} in wei. */
    public BigInteger balance(String address) {
        return new BigInteger(rpc("eth_getBalance", address, "latest").asText().substring(2), 16);
    }

    /** {@code eth_getTransactionCount(address, tag)} ("latest": mined; "pending": with the pool). */
    public long transactionCount(String address, String tag) {
        return Long.decode(rpc("eth_getTransactionCount", address, tag).asText());
    }

    /** The transaction, or null when the node does not know it. */
    public JsonNode transaction(String hash) {
        JsonNode t = rpc("eth_getTransactionByHash", hash);
        return t == null || t.isNull() ? null : t;
    }

    /** The receipt, or null while the transaction is not mined (or unknown). */
    public JsonNode receipt(String hash) {
        JsonNode t = rpc("eth_getTransactionReceipt", hash);
        return t == null || t.isNull() ? null : t;
    }

    /**
     * The receipt once the transaction is mined, waiting up to {@code timeout}: anvil's automine runs beside
     * {@code eth_sendRawTransaction}, not inside it, so on a busy machine the hash comes back before the block; null
     * when there is still none at the deadline (the caller's assertion says what was expected).
     */
    public JsonNode awaitReceipt(String hash, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode r = receipt(hash);
            if (r != null || System.nanoTime() > deadline) {
                return r;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
