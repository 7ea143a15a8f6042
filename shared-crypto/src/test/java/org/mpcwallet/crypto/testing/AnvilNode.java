package org.mpcwallet.crypto.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real local Ethereum node for tests: Foundry's {@code anvil} from {@code <repo>/.tools} (installed by
 * {@code scripts/tools}), listening on 127.0.0.1 on a port the OS picks. {@link #start()} returns once
 * {@code eth_chainId} answers; {@link #close()} kills the process. A missing binary is a test failure, never a skip.
 *
 * <p>anvil's defaults apply: chain id 31337, automining, and ten funded dev accounts from the well-known test
 * mnemonic; the first is {@link #DEV_PRIVATE_KEY}.
 */
public final class AnvilNode implements AutoCloseable {
    /** Private key of anvil's first default dev account (address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266). */
    public static final String DEV_PRIVATE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    static final String RELATIVE_BINARY = ".tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String LISTENING = "Listening on ";
    private static final int LOG_LINES = 40;

    private final Process process;
    private final String rpcUrl;
    private final Deque<String> log;
    private final Thread shutdownHook;

    private AnvilNode(Process process, String rpcUrl, Deque<String> log, Thread shutdownHook) {
        this.process = process;
        this.rpcUrl = rpcUrl;
        this.log = log;
        this.shutdownHook = shutdownHook;
    }

    /** Starts anvil and waits until it answers {@code eth_chainId}. */
    public static AnvilNode start() {
        Path binary = binary();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start anvil at " + binary + ": " + e.getMessage(), e);
        }
        Thread hook = new Thread(process::destroyForcibly, "anvil-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        Deque<String> log = new ArrayDeque<>();
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> pump(process, log, address), "anvil-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        AnvilNode node = null;
        try {
            String hostPort;
            try {
                hostPort = address.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("anvil did not report its address within " + STARTUP_TIMEOUT.toSeconds()
                        + " s; output:\n" + tail(log));
            } catch (Exception e) {
                throw new AssertionError("anvil failed to start: " + e.getMessage() + "; output:\n" + tail(log), e);
            }
            node = new AnvilNode(process, "http://" + hostPort, log, hook);
            node.awaitRpc();
            return node;
        } catch (RuntimeException | Error e) {
            if (node != null) {
                node.close();
            } else {
                kill(process);
                removeHook(hook);
            }
            throw e;
        }
    }

    /** JSON-RPC endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public String rpcUrl() {
        return rpcUrl;
    }

    /** Whether the anvil process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines anvil printed (for failure messages). */
    public String recentOutput() {
        return tail(log);
    }

    /** Kills anvil (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
    @Override
    public void close() {
        kill(process);
        removeHook(shutdownHook);
    }

    // ---------------------------------------------------------------- internals

    static Path repoRoot() {
        String env = System.getenv("MPC_REPO_ROOT");
        if (env != null && !env.isBlank()) {
            Path root = Paths.get(env).toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                throw new AssertionError("MPC_REPO_ROOT=" + env + " is not a directory");
            }
            return root;
        }
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(".tools"))) {
                return p;
            }
        }
        throw new AssertionError("cannot find the repository root (no MPC_REPO_ROOT, and no directory containing"
                + " .tools above " + start + "): run scripts/tools from the repository root");
    }

    static Path binary() {
        Path root = repoRoot();
        Path binary = root.resolve(RELATIVE_BINARY);
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new AssertionError("anvil is not installed at " + binary
                    + ": run scripts/tools (it installs the npm test tools into .tools/)");
        }
        return binary;
    }

    private static void pump(Process process, Deque<String> log, CompletableFuture<String> address) {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (log) {
                    log.addLast(line);
                    while (log.size() > LOG_LINES) {
                        log.removeFirst();
                    }
                }
                int i = line.indexOf(LISTENING);
                if (i >= 0 && !address.isDone()) {
                    address.complete(line.substring(i + LISTENING.length()).strip());
                }
            }
        } catch (IOException e) {
            // stream closed because the process ended
        }
        address.completeExceptionally(new IllegalStateException(
                "anvil exited" + (process.isAlive() ? "" : " with code " + process.exitValue())));
    }

    private void awaitRpc() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(rpcUrl))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                .build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("anvil exited with code " + process.exitValue() + "; output:\n" + tail(log));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"result\"")) {
                    return;
                }
                last = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for anvil", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for anvil", e);
            }
        }
        throw new AssertionError("anvil at " + rpcUrl + " did not answer eth_chainId within "
                + STARTUP_TIMEOUT.toSeconds() + " s (last: " + last + "); output:\n" + tail(log));
    }

    private static void kill(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // JVM already shutting down: the hook runs anyway
        }
    }

    private static String tail(Deque<String> log) {
        synchronized (log) {
            return String.join("\n", log);
        }
    }
}
