package org.mpcwallet.desktop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mpcwallet.signer.service.DevCerts;
import org.mpcwallet.signer.store.KekTool;

/**
 * The real bank as separate processes for end-to-end tests: bank-server's fat jar (embedded PostgreSQL in a fresh
 * data directory) with the signer in-process, or with a separate bank-signer process ({@code SignerMain}, from the
 * same jar) over mutual TLS with development certificates. Logs go to files in the work directory and are shown
 * when a start fails.
 */
public final class BankProcesses implements AutoCloseable {
    private static final String STORE_PASSWORD = "e2e-dev-store";
    private final Path work;
    private final List<Process> processes = new ArrayList<>();
    private final int port;
    private final boolean remote;
    private final Map<String, String> bankEnv = new HashMap<>();

    private BankProcesses(Path work, int port, boolean remote) {
        this.work = work;
        this.port = port;
        this.remote = remote;
    }

    /** The bank-server jar built by the reactor (bank-server is packaged before this module's tests run). */
    public static Path bankJar() {
        String root = System.getenv("MPC_REPO_ROOT");
        Path dir = Path.of(root == null ? ".." : root, "bank-server", "target");
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("bank-server-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().startsWith("original-"))
                    .findFirst().orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("bank-server's jar is missing in " + dir.toAbsolutePath()
                    + ": run the reactor to the package phase (./mvnw verify), not only 'test'");
        }
    }

    /** Starts the bank (and, when {@code remote}, a separate signer) and waits until /health is UP. */
    public static BankProcesses start(Path work, boolean remote) throws Exception {
        BankProcesses b = new BankProcesses(work, freePort(), remote);
        try {
            b.boot();
        } catch (Exception | AssertionError e) {
            b.close();
            throw e;
        }
        return b;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path dataDir() {
        return work.resolve("bank-data");
    }

    /** JDBC URL of the bank's embedded PostgreSQL (user {@code postgres}), for observing what the bank stored. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + bankEnv.get("BANK_DB_PORT") + "/postgres";
    }

    /**
     * Creates an ADMIN the documented way (docs/bank-server.md "The first admin"): the same jar's
     * {@code create-admin} command with the bank's environment, while the bank runs; the password goes in on stdin.
     * The running bank holds its embedded PostgreSQL's data directory locked, so the command reaches that database
     * through {@code DATABASE_URL} (docs/bank-server.md "Configuration") instead of starting it a second time.
     * Returns the command's output.
     */
    public String createAdmin(String username, String password) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", bankJar().toString(), "create-admin", username);
        Path log = work.resolve("create-admin-" + username + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BANK_") || k.startsWith("SIGNER_")
                || k.startsWith("DATABASE_"));
        pb.environment().putAll(bankEnv);
        pb.environment().remove("BANK_DB_PORT");
        pb.environment().put("DATABASE_URL", jdbcUrl());
        pb.environment().put("DATABASE_USER", "postgres");
        Process p = pb.start();
        try (var stdin = p.getOutputStream()) {
            stdin.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("create-admin did not finish\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new AssertionError("create-admin exited with " + p.exitValue() + ":\n" + output);
        }
        return output;
    }

    private void boot() throws Exception {
        Path jar = bankJar();
        int dbPort = freePort();
        Map<String, String> env = bankEnv;
        env.put("BANK_PORT", Integer.toString(port));
        env.put("BANK_DATA_DIR", dataDir().toString());
        env.put("BANK_DB_PORT", Integer.toString(dbPort));
        env.put("BANK_BCRYPT_COST", "4");
        if (!remote) {
            spawn("bank", env, "-jar", jar.toString());
            awaitHealth(Duration.ofSeconds(90), "in-process");
            return;
        }
        Path certs = work.resolve("certs");
        DevCerts.create(certs, STORE_PASSWORD.toCharArray());
        int signerPort = freePort();
        env.put("BANK_SIGNER_URL", "https://localhost:" + signerPort);
        env.put("BANK_SIGNER_KEYSTORE", certs.resolve("bank-server.p12").toString());
        env.put("BANK_SIGNER_KEYSTORE_PASSWORD", STORE_PASSWORD);
        env.put("BANK_SIGNER_TRUSTSTORE", certs.resolve("ca.p12").toString());
        env.put("BANK_SIGNER_TRUSTSTORE_PASSWORD", STORE_PASSWORD);
        spawn("bank", env, "-jar", jar.toString());
        // the bank writes its permit public key and runs its migrations; then the signer starts on the same database
        Path permitPub = dataDir().resolve("permit-ed25519.key.pub");
        awaitFile(permitPub, Duration.ofSeconds(90));
        awaitHealthStatus(Duration.ofSeconds(90), 503);
        Path kek = work.resolve("signer-kek.hex");
        KekTool.generate(kek, new SecureRandom());
        Map<String, String> senv = new HashMap<>();
        senv.put("SIGNER_PORT", Integer.toString(signerPort));
        senv.put("SIGNER_KEYSTORE", certs.resolve("signer.p12").toString());
        senv.put("SIGNER_KEYSTORE_PASSWORD", STORE_PASSWORD);
        senv.put("SIGNER_TRUSTSTORE", certs.resolve("ca.p12").toString());
        senv.put("SIGNER_TRUSTSTORE_PASSWORD", STORE_PASSWORD);
        senv.put("SIGNER_KEK_FILE", kek.toString());
        senv.put("SIGNER_PERMIT_PUBLIC_KEY", permitPub.toString());
        senv.put("SIGNER_DATABASE_URL", "jdbc:postgresql://localhost:" + dbPort + "/postgres");
        senv.put("SIGNER_DATABASE_USER", "postgres");
        spawn("signer", senv, "-cp", jar.toString(), "org.mpcwallet.signer.service.SignerMain");
        awaitHealth(Duration.ofSeconds(60), "remote");
    }

    private void spawn(String name, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BANK_") || k.startsWith("SIGNER_")
                || k.startsWith("DATABASE_"));
        pb.environment().putAll(env);
        processes.add(pb.start());
    }

    private void awaitHealth(Duration limit, String mode) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < until) {
            checkAlive();
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(url() + "/health")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && r.body().contains("\"mode\":\"" + mode + "\"")) {
                    return;
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the bank did not become healthy (" + mode + "); last: " + last + "\n" + logs());
    }

    private void awaitHealthStatus(Duration limit, int status) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            checkAlive();
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(url() + "/health")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == status) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the bank never answered /health with " + status + "\n" + logs());
    }

    private void awaitFile(Path file, Duration limit) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (!Files.exists(file)) {
            checkAlive();
            if (System.nanoTime() > until) {
                throw new AssertionError(file + " never appeared\n" + logs());
            }
            Thread.sleep(200);
        }
    }

    private void checkAlive() {
        for (Process p : processes) {
            if (!p.isAlive()) {
                throw new AssertionError("a bank process exited with " + p.exitValue() + "\n" + logs());
            }
        }
    }

    /** The processes' output (for failure messages). */
    public String logs() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("bank", "signer")) {
            Path log = work.resolve(name + ".log");
            if (Files.exists(log)) {
                try {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                    sb.append("---- ").append(name).append(".log (last 60 lines)\n");
                    lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(l -> sb.append(l).append('\n'));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (Process p : processes.reversed()) {
            p.destroy(); // SIGTERM: the bank stops its embedded PostgreSQL on the way out
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
