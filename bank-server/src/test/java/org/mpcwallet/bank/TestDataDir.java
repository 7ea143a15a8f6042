package org.mpcwallet.bank;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A fresh data directory under target/test-data for one test's embedded PostgreSQL, removed when the JVM exits. */
public final class TestDataDir {
    /**
     * One private directory (mode 700) for the embedded PostgreSQL binaries of every test bank of this module, so
     * they unpack once rather than once per bank.
     */
    public static final String BINARIES = Path.of("target", "pg-bin").toAbsolutePath().toString();

    private TestDataDir() {
    }

    public static Path create(String prefix) {
        try {
            Path root = Path.of("target", "test-data").toAbsolutePath();
            Files.createDirectories(root);
            Path dir = Files.createTempDirectory(root, prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Server properties for a test: a random HTTP port and an embedded PostgreSQL in {@code dataDir}. */
    public static java.util.Map<String, Object> embeddedProps(Path dataDir) {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("bank.data-dir", dataDir.toString());
        p.put("bank.database-url", "");
        p.put("bank.database-user", "");
        p.put("bank.database-password", "");
        p.put("bank.embedded-postgres-port", 0);
        p.put("bank.embedded-postgres-binaries", BINARIES);
        p.put("bank.auth.bcrypt-cost", 4); // fast hashes in tests; production default is 12
        p.put("bank.auth.jwt-secret", "");  // the generated secret in dataDir, whatever the environment says
        // staff sign in with a password alone in the tests that are not about sign-in (PasskeyTest and the console's
        // tests set it to required, the production default)
        p.put("bank.auth.passkey.second-factor", "off");
        p.put("bank.four-eyes", "off"); // one ADMIN changes the controls at once (FourEyesTest: two)
        // every test user comes from 127.0.0.1: the per-address limits would count the whole suite as one client
        // (LoginThrottleTest and RegistrationLimitTest set them low on purpose)
        p.put("bank.limits.registrations-per-address-per-hour", 1_000_000);
        p.put("bank.limits.address-free-failures", 100_000);
        p.put("bank.limits.address-lockout-failures", 100_001);
        // request rates: out of the way of the other tests (RequestRateLimitTest sets its own)
        p.put("bank.limits.requests.per-address-burst", 1_000_000);
        p.put("bank.limits.requests.per-address-per-second", 1_000_000);
        p.put("bank.limits.requests.per-user-burst", 1_000_000);
        p.put("bank.limits.requests.per-user-per-second", 1_000_000);
        p.put("bank.limits.requests.per-client-burst", 1_000_000);
        p.put("bank.limits.requests.per-client-per-second", 1_000_000);
        return p;
    }

    /** The same as strings, for a {@code TestPropertyProvider}. */
    public static java.util.Map<String, String> embeddedPropsAsStrings(String prefix) {
        java.util.Map<String, String> p = new java.util.HashMap<>();
        embeddedProps(create(prefix)).forEach((k, v) -> p.put(k, v.toString()));
        return p;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: target/ is cleaned by mvn clean anyway
        }
    }
}
