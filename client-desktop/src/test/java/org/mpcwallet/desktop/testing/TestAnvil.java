package org.mpcwallet.desktop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real anvil for client-desktop's end-to-end tests (after shared-crypto's {@code AnvilNode}; bank-server's
 * {@code AnvilProcess} is not on this module's classpath): the npm build in {@code <repo>/.tools} (scripts/tools),
 * 127.0.0.1, a port the OS picks. {@link #startWithoutMining()} starts it with {@code --no-mining}: blocks come only
 * from {@link #mine(int)}, so a test decides when a broadcast transaction is mined. A missing binary fails the test,
 * never skips it. anvil's output is kept (for failure messages) with its printed dev keys left out.
 */
public final class TestAnvil implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LISTENING = "Listening on ";
    private final Process process;
    private final String rpcUrl;
    private final Deque<String> log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestAnvil(Process process, String rpcUrl, Deque<String> log) {
        this.process = process;
        this.rpcUrl = rpcUrl;
        this.log = log;
    }

    /** anvil that mines only when told ({@code --no-mining}). */
    public static TestAnvil startWithoutMining() {
        return start("--no-mining");
    }

    public static TestAnvil start(String... extra) {
        Path binary = binary();
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port", "0"));
        cmd.addAll(List.of(extra));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start anvil at " + binary + ": " + e.getMessage(), e);
        }
        Deque<String> log = new ArrayDeque<>();
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> pump(p, log, address), "anvil-output-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            String hostPort = address.get(60, TimeUnit.SECONDS);
            TestAnvil a = new TestAnvil(p, "http://" + hostPort, log);
            a.awaitRpc();
            return a;
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw new AssertionError("anvil did not start: " + e + "\n" + String.join("\n", log), e);
        }
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    /** One JSON-RPC call; a JSON-RPC error is an AssertionError naming the method. */
    public JsonNode rpc(String method, Object... params) {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        ArrayNode ps = body.putArray("params");
        for (Object o : params) {
            ps.add(JSON.valueToTree(o));
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(rpcUrl))
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

    public JsonNode receipt(String hash) {
        JsonNode t = rpc("eth_getTransactionReceipt", hash);
        return t == null || t.isNull() ? null : t;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitRpc() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                rpc("eth_chainId");
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > until || !process.isAlive()) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    static Path binary() {
        String root = System.getenv("MPC_REPO_ROOT");
        List<Path> starts = new ArrayList<>();
        if (root != null && !root.isBlank()) {
            starts.add(Path.of(root));
        }
        starts.add(Path.of(System.getProperty("user.dir")).toAbsolutePath());
        List<Path> tried = new ArrayList<>();
        for (Path start : starts) {
            for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
                Path b = p.resolve(".tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
                tried.add(b);
                if (Files.isExecutable(b)) {
                    return b;
                }
            }
        }
        throw new AssertionError("anvil is not installed (run scripts/tools); looked at " + tried);
    }

    private static void pump(Process p, Deque<String> log, CompletableFuture<String> address) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.matches(".*0x[0-9a-fA-F]{64}.*")) {
                    continue; // a printed dev private key
                }
                synchronized (log) {
                    log.addLast(line);
                    while (log.size() > 40) {
                        log.removeFirst();
                    }
                }
                int i = line.indexOf(LISTENING);
                if (i >= 0 && !address.isDone()) {
                    address.complete(line.substring(i + LISTENING.length()).strip());
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        address.completeExceptionally(new IllegalStateException("anvil exited"));
    }
}
