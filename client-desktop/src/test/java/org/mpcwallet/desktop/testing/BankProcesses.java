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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
    private final Options options;
    private final Map<String, String> bankEnv = new HashMap<>();
    private Process bank;

    /**
     * How to start the bank: {@code remote} signer process; the custody pipeline's node ({@code ETH_RPC_URL}, null:
     * none), {@code CONFIRMATION_BLOCKS} and {@code BANK_PIPELINE_INTERVAL_MS} (null: the bank's defaults); more
     * environment variables in {@code env}.
     */
    public record Options(boolean remote, String ethRpcUrl, Integer confirmationBlocks, Integer pipelineIntervalMs,
            Map<String, String> env) {
        public Options {
            env = env == null ? Map.of() : Map.copyOf(env);
        }

        public static Options inProcess() {
            return new Options(false, null, null, null, Map.of());
        }

        /** The in-process signer with the pipeline on {@code ethRpcUrl}. */
        public static Options chain(String ethRpcUrl, int confirmationBlocks, int pipelineIntervalMs) {
            return new Options(false, ethRpcUrl, confirmationBlocks, pipelineIntervalMs, Map.of());
        }
    }

    private BankProcesses(Path work, int port, Options options) {
        this.work = work;
        this.port = port;
        this.remote = options.remote();
        this.options = options;
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
        return start(work, new Options(remote, null, null, null, Map.of()));
    }

    /** Starts the bank as {@code options} says and waits until /health is UP. */
    public static BankProcesses start(Path work, Options options) throws Exception {
        BankProcesses b = new BankProcesses(work, freePort(), options);
        try {
            b.boot();
        } catch (Exception | AssertionError e) {
            b.close();
            throw e;
        }
        return b;
    }

    /**
     * A second bank-server process (in-process signer) on this bank's PostgreSQL ({@code DATABASE_URL}), with its own
     * port and data directory under {@code work2} and the same KEK and permit key files, so the two instances share
     * the work and either can run a co-signing session. Closing it leaves this bank and its database running.
     */
    public BankProcesses secondInstance(Path work2) throws Exception {
        if (remote) {
            throw new IllegalStateException("a second instance is supported with the in-process signer only");
        }
        BankProcesses b = new BankProcesses(work2, freePort(), options);
        try {
            Files.createDirectories(work2);
            Map<String, String> env = b.bankEnv;
            env.put("BANK_STAFF_SECOND_FACTOR", "off"); // staff by password alone, unless the options say otherwise
            env.put("BANK_FOUR_EYES", "off"); // one ADMIN changes the controls at once
            b.pipelineEnv(env);
            env.put("BANK_PORT", Integer.toString(b.port));
            env.put("BANK_DATA_DIR", b.dataDir().toString());
            env.put("BANK_BCRYPT_COST", "4");
            relaxAddressLimits(env);
            env.put("DATABASE_URL", jdbcUrl());
            env.put("DATABASE_USER", "postgres");
            env.put("DATABASE_PASSWORD", dbPassword());
            env.put("BANK_KEK_FILE", bankEnv.get("BANK_KEK_FILE"));
            env.put("BANK_PERMIT_KEY_FILE", bankEnv.get("BANK_PERMIT_KEY_FILE"));
            if (bankEnv.containsKey("BANK_DIRECT_SIGN_REQUESTS")) {
                env.put("BANK_DIRECT_SIGN_REQUESTS", bankEnv.get("BANK_DIRECT_SIGN_REQUESTS"));
            }
            b.bank = b.spawn("bank", env, "-jar", bankJar().toString());
            b.awaitHealth(Duration.ofSeconds(90), "in-process");
        } catch (Exception | AssertionError e) {
            b.close();
            throw e;
        }
        return b;
    }

    /**
     * {@code kill -9} of the bank-server process only ({@link Process#destroyForcibly()}, SIGKILL on Linux): no
     * shutdown hook runs, nothing is flushed or closed. Its embedded PostgreSQL is a separate server process and keeps
     * running, as a database server does when an application node dies; a remote signer keeps running too.
     */
    public void kill9() throws InterruptedException {
        Process p = bank;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("the bank process is not running");
        }
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the bank process did not die after SIGKILL");
        }
        processes.remove(p);
    }

    /**
     * Starts the bank again with the same environment: same port, data directory, DB port (the embedded start finds
     * the database server still running there and uses it), keys and node; waits until /health is UP.
     */
    public void restart() throws Exception {
        if (bank != null && bank.isAlive()) {
            throw new IllegalStateException("the bank process is still running; kill9() it first");
        }
        bank = spawn("bank", bankEnv, "-jar", bankJar().toString());
        awaitHealth(Duration.ofSeconds(90), remote ? "remote" : "in-process");
    }

    /** Whether the bank-server process is running. */
    public boolean bankAlive() {
        return bank != null && bank.isAlive();
    }

    /**
     * Every test user comes from 127.0.0.1, so the per-address limits (docs/controls-hardening.md §4) would count a
     * whole test class as one client; bank-server's LoginThrottleTest covers them.
     */
    private static void relaxAddressLimits(Map<String, String> env) {
        env.put("BANK_REGISTRATIONS_PER_ADDRESS_PER_HOUR", "1000000");
        env.put("BANK_ADDRESS_FREE_FAILURES", "100000");
        env.put("BANK_ADDRESS_LOCKOUT_FAILURES", "100001");
    }

    private void pipelineEnv(Map<String, String> env) {
        if (options.ethRpcUrl() != null) {
            env.put("ETH_RPC_URL", options.ethRpcUrl());
        }
        if (options.confirmationBlocks() != null) {
            env.put("CONFIRMATION_BLOCKS", options.confirmationBlocks().toString());
        }
        if (options.pipelineIntervalMs() != null) {
            env.put("BANK_PIPELINE_INTERVAL_MS", options.pipelineIntervalMs().toString());
        }
        env.putAll(options.env());
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path dataDir() {
        return work.resolve("bank-data");
    }

    /** The embedded PostgreSQL's superuser password, generated by the bank in its data directory (mode 600). */
    public String dbPassword() {
        try {
            return Files.readString(work.resolve("bank-data").resolve("postgres-password")).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A connection to the bank's database as {@code postgres}, for observing what the bank stored. */
    public java.sql.Connection db() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl(), "postgres", dbPassword());
    }

    /** JDBC URL of the bank's embedded PostgreSQL (user {@code postgres}), for observing what the bank stored. */
    public String jdbcUrl() {
        String external = bankEnv.get("DATABASE_URL");
        return external != null ? external : "jdbc:postgresql://localhost:" + bankEnv.get("BANK_DB_PORT") + "/postgres";
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
        pb.environment().put("DATABASE_PASSWORD", dbPassword());
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
        int dbPort = freePort(port);
        Map<String, String> env = bankEnv;
        env.put("BANK_PORT", Integer.toString(port));
        env.put("BANK_DATA_DIR", dataDir().toString());
        env.put("BANK_DB_PORT", Integer.toString(dbPort));
        env.put("BANK_BCRYPT_COST", "4");
        env.put("BANK_STAFF_SECOND_FACTOR", "off"); // staff by password alone, unless the options say otherwise
        env.put("BANK_FOUR_EYES", "off"); // one ADMIN changes the controls at once
        relaxAddressLimits(env);
        // the issue-3 command-line tests sign with `request-sign` + `sign`, outside the custody pipeline; the bank
        // refuses that unless told to (its default, and the demo's, is off)
        env.put("BANK_DIRECT_SIGN_REQUESTS", "true");
        // the KEK and the permit key are given explicitly (as production does), so a second instance can share them
        Path keys = work.resolve("bank-keys");
        Files.createDirectories(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path kekFile = keys.resolve("signer-kek.hex");
        KekTool.generate(kekFile, new SecureRandom());
        Path permitKey = keys.resolve("permit-ed25519.key");
        KeyPair permit = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.createFile(permitKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(permitKey, permit.getPrivate().getEncoded()); // PKCS#8
        env.put("BANK_KEK_FILE", kekFile.toString());
        env.put("BANK_PERMIT_KEY_FILE", permitKey.toString());
        pipelineEnv(env);
        if (!remote) {
            bank = spawn("bank", env, "-jar", jar.toString());
            awaitHealth(Duration.ofSeconds(90), "in-process");
            return;
        }
        Path certs = work.resolve("certs");
        DevCerts.create(certs, STORE_PASSWORD.toCharArray());
        int signerPort = freePort(port, dbPort);
        env.put("BANK_SIGNER_URL", "https://localhost:" + signerPort);
        env.put("BANK_SIGNER_KEYSTORE", certs.resolve("bank-server.p12").toString());
        env.put("BANK_SIGNER_KEYSTORE_PASSWORD", STORE_PASSWORD);
        env.put("BANK_SIGNER_TRUSTSTORE", certs.resolve("ca.p12").toString());
        env.put("BANK_SIGNER_TRUSTSTORE_PASSWORD", STORE_PASSWORD);
        bank = spawn("bank", env, "-jar", jar.toString());
        // the bank writes its permit public key and runs its migrations; then the signer starts on the same database
        Path permitPub = keys.resolve("permit-ed25519.key.pub");
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
        senv.put("SIGNER_DATABASE_PASSWORD", dbPassword());
        spawn("signer", senv, "-cp", jar.toString(), "org.mpcwallet.signer.service.SignerMain");
        awaitHealth(Duration.ofSeconds(60), "remote");
    }

    private Process spawn(String name, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("BANK_") || k.startsWith("SIGNER_")
                || k.startsWith("DATABASE_") || k.equals("ETH_RPC_URL") || k.equals("CONFIRMATION_BLOCKS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
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
        processes.clear();
        stopOrphanedPostgres();
    }

    /**
     * After a {@link #kill9()} without a restart, the embedded PostgreSQL this bank started is still running: stop
     * that one server (the pid in its own {@code postmaster.pid}, only if that process runs on this data directory).
     */
    private void stopOrphanedPostgres() {
        Path pidFile = dataDir().resolve("postgres").resolve("postmaster.pid");
        if (bankEnv.containsKey("DATABASE_URL") || !Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            ProcessHandle.of(pid).filter(h -> h.info().commandLine().orElse("")
                    .contains(dataDir().resolve("postgres").toString())).ifPresent(h -> {
                        h.destroy(); // SIGTERM: PostgreSQL's smart shutdown
                        try {
                            h.onExit().get(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            h.destroyForcibly();
                        }
                    });
        } catch (IOException | RuntimeException e) {
            // nothing we can stop
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * A free port other than {@code taken}: the system may hand out the same ephemeral port twice in a row once the
     * probe's socket is closed (seen in CI: the bank's HTTP port and its database's port were the same, and the bank
     * could not bind).
     */
    private static int freePort(int... taken) throws IOException {
        while (true) {
            int p = freePort();
            if (java.util.Arrays.stream(taken).noneMatch(t -> t == p)) {
                return p;
            }
        }
    }
}
