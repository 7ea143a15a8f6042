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
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A local Foundry {@code anvil} node for development and tests: listens on 127.0.0.1 on a port the OS picks,
 * {@link #start(String...)} returns once it answers {@code eth_chainId}, {@link #close()} stops it (SIGTERM, then
 * SIGKILL). anvil's defaults apply unless overridden by arguments: chain id 31337, automining, ten dev accounts
 * funded with 10,000 ETH from the well-known test mnemonic ({@link #DEV_PRIVATE_KEY} is the first).
 *
 * <p>The binary is looked up ({@link #locate(Map, Path)}) in this order: {@code $ANVIL_BIN}; {@code
 * $MPC_REPO_ROOT/.tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil}; the same relative path under the
 * working directory and each of its parents ({@code scripts/tools} installs it there). A missing binary is an
 * {@link IllegalStateException} naming every place searched.
 *
 * <p>anvil prints its dev accounts' private keys on start. The output is kept in memory only (the last lines, for
 * error messages), with every 32-byte hex string redacted; it is never logged.
 */
public final class AnvilProcess implements AutoCloseable {
    /** Private key of anvil's first dev account (public test mnemonic; address {@link #DEV_ADDRESS}). */
    public static final String DEV_PRIVATE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    /** Address of anvil's first dev account. */
    public static final String DEV_ADDRESS = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    /** anvil's default chain id. */
    public static final long CHAIN_ID = 31337;
    /** Where {@code scripts/tools} installs anvil, relative to the repository root. */
    public static final String RELATIVE_BINARY = ".tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String LISTENING = "Listening on ";
    private static final int LOG_LINES = 40;
    private static final Pattern SECRET_LIKE = Pattern.compile("0x[0-9a-fA-F]{64}");

    private final Process process;
    private final String rpcUrl;
    private final Deque<String> log;
    private final Thread shutdownHook;

    private AnvilProcess(Process process, String rpcUrl, Deque<String> log, Thread shutdownHook) {
        this.process = process;
        this.rpcUrl = rpcUrl;
        this.log = log;
        this.shutdownHook = shutdownHook;
    }

    /** The result of looking for the anvil binary. */
    public sealed interface BinaryLookup {
        /** An executable anvil. */
        record Found(Path binary) implements BinaryLookup {
        }

        /** None; {@code searched} lists every place looked at, in order, with why it did not qualify. */
        record NotFound(List<String> searched) implements BinaryLookup {
            public NotFound {
                searched = List.copyOf(searched);
            }

            public String message() {
                return "anvil not found; searched: " + String.join("; ", searched)
                        + ". Install it with scripts/tools (npm @foundry-rs/anvil into .tools/) or set ANVIL_BIN";
            }
        }
    }

    /** Looks for the binary using the process environment and working directory. */
    public static BinaryLookup locate() {
        return locate(System.getenv(), Paths.get(System.getProperty("user.dir")));
    }

    /** Looks for the binary: {@code ANVIL_BIN}, then {@code MPC_REPO_ROOT}, then {@code workingDir} and parents. */
    public static BinaryLookup locate(Map<String, String> env, Path workingDir) {
        List<String> searched = new ArrayList<>();
        String explicit = env.get("ANVIL_BIN");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit).toAbsolutePath().normalize();
            if (isExecutable(p)) {
                return new BinaryLookup.Found(p);
            }
            searched.add("ANVIL_BIN=" + p + " (" + why(p) + ")");
            // an explicit choice that does not work is reported, not silently replaced
            return new BinaryLookup.NotFound(searched);
        }
        searched.add("ANVIL_BIN (not set)");
        String root = env.get("MPC_REPO_ROOT");
        if (root != null && !root.isBlank()) {
            Path p = Paths.get(root).toAbsolutePath().normalize().resolve(RELATIVE_BINARY);
            if (isExecutable(p)) {
                return new BinaryLookup.Found(p);
            }
            searched.add("$MPC_REPO_ROOT/" + RELATIVE_BINARY + " = " + p + " (" + why(p) + ")");
        } else {
            searched.add("MPC_REPO_ROOT (not set)");
        }
        for (Path dir = workingDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(RELATIVE_BINARY);
            if (isExecutable(p)) {
                return new BinaryLookup.Found(p);
            }
        }
        searched.add(RELATIVE_BINARY + " under " + workingDir.toAbsolutePath().normalize() + " and its parents");
        return new BinaryLookup.NotFound(searched);
    }

    /**
     * Starts anvil with {@code --host 127.0.0.1 --port 0} plus {@code extraArgs} (e.g. {@code --no-mining},
     * {@code --hardfork berlin}) and waits until it answers {@code eth_chainId}.
     *
     * @throws IllegalStateException if the binary is missing or anvil does not come up (with its redacted output)
     */
    public static AnvilProcess start(String... extraArgs) {
        BinaryLookup lookup = locate();
        Path binary = switch (lookup) {
            case BinaryLookup.Found found -> found.binary();
            case BinaryLookup.NotFound notFound -> throw new IllegalStateException(notFound.message());
        };
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port", "0"));
        for (String arg : extraArgs) {
            command.add(Objects.requireNonNull(arg, "extra argument"));
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start anvil at " + binary + ": " + e.getMessage(), e);
        }
        Thread hook = new Thread(process::destroyForcibly, "anvil-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        Deque<String> log = new ArrayDeque<>();
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> pump(process, log, address), "anvil-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        AnvilProcess anvil = null;
        try {
            String hostPort;
            try {
                hostPort = address.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("anvil did not report its address within "
                        + STARTUP_TIMEOUT.toSeconds() + " s; output:\n" + tail(log));
            } catch (ExecutionException e) {
                throw new IllegalStateException("anvil failed to start: " + e.getCause().getMessage()
                        + "; output:\n" + tail(log));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting anvil", e);
            }
            anvil = new AnvilProcess(process, "http://" + hostPort, log, hook);
            anvil.awaitRpc();
            return anvil;
        } catch (RuntimeException e) {
            if (anvil != null) {
                anvil.close();
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

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines anvil printed, 32-byte hex strings (its dev private keys) redacted. */
    public String recentOutput() {
        return tail(log);
    }

    /** Stops anvil (SIGTERM, SIGKILL after 5 s) and waits for it to exit. Idempotent. */
    @Override
    public void close() {
        kill(process);
        removeHook(shutdownHook);
    }

    @Override
    public String toString() {
        return "AnvilProcess[" + rpcUrl + (process.isAlive() ? "" : ", stopped") + "]";
    }

    // ---------------------------------------------------------------- internals

    private static boolean isExecutable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    private static String why(Path p) {
        if (!Files.exists(p)) {
            return "missing";
        }
        return Files.isRegularFile(p) ? "not executable" : "not a file";
    }

    private static void pump(Process process, Deque<String> log, CompletableFuture<String> address) {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (log) {
                    log.addLast(SECRET_LIKE.matcher(line).replaceAll("0x<redacted>"));
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
            // the stream closes when the process ends
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
                throw new IllegalStateException("anvil exited with code " + process.exitValue() + "; output:\n"
                        + tail(log));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"result\"")) {
                    return;
                }
                last = "HTTP " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for anvil", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for anvil", e);
            }
        }
        throw new IllegalStateException("anvil at " + rpcUrl + " did not answer eth_chainId within "
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
            // the JVM is already shutting down: the hook runs anyway
        }
    }

    private static String tail(Deque<String> log) {
        synchronized (log) {
            return String.join("\n", log);
        }
    }
}
