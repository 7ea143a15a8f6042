package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One user's command-line wallet in the end-to-end tests: its own data directory, bank URL, login password and wallet
 * secret; commands run in-process ({@link WalletCli#run}) with {@code --json}. Nothing printed may contain either
 * secret.
 */
final class Device {
    static final ObjectMapper JSON = new ObjectMapper();
    final String username;
    final String password;
    final String walletSecret;
    final Path home;
    final String server;
    private final Supplier<String> diagnostics;
    String userId;

    Device(Path home, String server, Supplier<String> diagnostics) {
        this.username = "u" + UUID.randomUUID().toString().substring(0, 8);
        this.password = "pipeline e2e " + username + " battery staple";
        this.walletSecret = walletSecretFor(password);
        this.home = home;
        this.server = server;
        this.diagnostics = diagnostics;
    }

    /** Registers (and logs in) at the bank; remembers the user id. */
    Device register() {
        userId = json("register", username).get("id").asText();
        return this;
    }

    Map<String, String> env() {
        Map<String, String> env = secrets(password);
        env.put("HOME", home.toString());
        return Map.copyOf(env);
    }

    /** The wallet secret of a test user whose login password is {@code password}: another secret, 12+ characters. */
    static String walletSecretFor(String password) {
        return "device-only wallet secret " + Integer.toHexString(password.hashCode());
    }

    /**
     * The environment every end-to-end test's command-line wallet gets (a new map, to add to): the login password
     * ({@code WALLET_PASSWORD}) and the wallet secret ({@code WALLET_SECRET}, {@link #walletSecretFor}).
     */
    static Map<String, String> secrets(String password) {
        Map<String, String> env = new HashMap<>();
        env.put("WALLET_PASSWORD", password);
        env.put("WALLET_SECRET", walletSecretFor(password));
        return env;
    }

    CliRun run(String... args) {
        return run(server, home, env(), password, args);
    }

    /** Runs a command that must succeed; its one JSON object. */
    JsonNode json(String... args) {
        return json(server, home, env(), password, diagnostics, args);
    }

    /**
     * {@code wallet --server server --data-dir home --json args…} in-process; nothing printed holds the password or
     * the wallet secret of {@code env}.
     */
    static CliRun run(String server, Path home, Map<String, String> env, String password, String... args) {
        List<String> full = new ArrayList<>(List.of("--server", server, "--data-dir", home.toString(), "--json"));
        full.addAll(List.of(args));
        CliRun r = CliRun.run(env, full.toArray(String[]::new));
        assertFalse(r.all().contains(password), "the password is never printed");
        String secret = env.get("WALLET_SECRET");
        if (secret != null) {
            assertFalse(r.all().contains(secret), "the wallet secret is never printed");
        }
        return r;
    }

    /** {@link #run(String, Path, Map, String, String...)} of a command that must succeed; its one JSON object. */
    static JsonNode json(String server, Path home, Map<String, String> env, String password,
            Supplier<String> diagnostics, String... args) {
        CliRun r = run(server, home, env, password, args);
        if (r.code() != 0) {
            throw new AssertionError("wallet " + String.join(" ", args) + " failed (" + r.code() + "): " + r.err()
                    + "\n" + diagnostics.get());
        }
        try {
            return JSON.readTree(r.out());
        } catch (java.io.IOException e) {
            throw new AssertionError("not one JSON object: " + r.out(), e);
        }
    }

    /** The JSON error object of a command that must fail. */
    JsonNode error(String... args) {
        CliRun r = run(args);
        if (r.code() == 0) {
            throw new AssertionError("wallet " + String.join(" ", args) + " succeeded: " + r.out());
        }
        try {
            return JSON.readTree(r.err().lines().reduce((a, b) -> b).orElseThrow());
        } catch (java.io.IOException e) {
            throw new AssertionError("not a JSON error: " + r.err(), e);
        }
    }
}
