package org.mpcwallet.signer.service;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * The signer process's configuration from environment variables (docs/bank-signer.md "Signer service"),
 * validated. {@link #from} returns the first problem as a value naming the variable, never its value (several are
 * secrets). Files are only checked to be readable here; their contents are loaded by {@link SignerMain}.
 *
 * @param kekFile  the KEK file, or null when {@code kekHex} is given
 * @param kekHex   the KEK as 64 hex characters, or null when {@code kekFile} is given (a secret)
 * @param stateDir SIGNER_STATE_DIR: where the signer keeps local state outside the database (the presignature
 *                 high-water mark); default the KEK file's directory, else the working directory
 */
public record SignerConfig(String host, int port, Path keystore, char[] keystorePassword, Path truststore,
        char[] truststorePassword, Path kekFile, String kekHex, Path permitPublicKey, String databaseUrl,
        String databaseUser, char[] databasePassword, Duration sessionTimeout, Path stateDir) {

    public static final int DEFAULT_PORT = 8443;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_SESSION_TIMEOUT_SECONDS = 120;

    /** The outcome of reading the environment. */
    public sealed interface Result permits Ok, Invalid {}

    public record Ok(SignerConfig config) implements Result {}

    /** {@code variable} is missing or wrong; {@code problem} says how (never quoting a value). */
    public record Invalid(String variable, String problem) implements Result {
        public String message() {
            return variable + " " + problem;
        }
    }

    private static final class Bad extends Exception {
        final String variable;

        Bad(String variable, String problem) {
            super(problem, null, false, false);
            this.variable = variable;
        }
    }

    /** Reads and validates the configuration through {@code env} ({@code System::getenv} in production). */
    public static Result from(Function<String, String> env) {
        try {
            String host = optional(env, "SIGNER_HOST", DEFAULT_HOST);
            int port = integer(env, "SIGNER_PORT", DEFAULT_PORT, 0, 65535);
            Path keystore = readableFile(env, "SIGNER_KEYSTORE");
            char[] keystorePassword = secret(env, "SIGNER_KEYSTORE_PASSWORD");
            Path truststore = readableFile(env, "SIGNER_TRUSTSTORE");
            char[] truststorePassword = secret(env, "SIGNER_TRUSTSTORE_PASSWORD");
            String kekFileName = env.apply("SIGNER_KEK_FILE");
            String kekHex = env.apply("SIGNER_KEK_HEX");
            boolean hasFile = kekFileName != null && !kekFileName.isEmpty();
            boolean hasHex = kekHex != null && !kekHex.isEmpty();
            if (hasFile == hasHex) {
                throw new Bad("SIGNER_KEK_FILE", hasFile ? "and SIGNER_KEK_HEX are both set; set exactly one"
                        : "(or SIGNER_KEK_HEX) is not set: the signer needs its key-encryption key");
            }
            Path kekFile = hasFile ? readableFile(env, "SIGNER_KEK_FILE") : null;
            Path permitKey = readableFile(env, "SIGNER_PERMIT_PUBLIC_KEY");
            String dbUrl = required(env, "SIGNER_DATABASE_URL");
            if (!dbUrl.startsWith("jdbc:postgresql:")) {
                throw new Bad("SIGNER_DATABASE_URL", "must be a jdbc:postgresql: URL");
            }
            String dbUser = optional(env, "SIGNER_DATABASE_USER", null);
            String dbPassword = optional(env, "SIGNER_DATABASE_PASSWORD", null);
            int timeout = integer(env, "SIGNER_SESSION_TIMEOUT_SECONDS", DEFAULT_SESSION_TIMEOUT_SECONDS, 1, 3600);
            String stateDirName = optional(env, "SIGNER_STATE_DIR", null);
            Path stateDir = stateDirName != null ? Path.of(stateDirName)
                    : kekFile != null && kekFile.toAbsolutePath().getParent() != null
                    ? kekFile.toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
            return new Ok(new SignerConfig(host, port, keystore, keystorePassword, truststore, truststorePassword,
                    kekFile, hasHex ? kekHex : null, permitKey, dbUrl, dbUser,
                    dbPassword == null ? null : dbPassword.toCharArray(), Duration.ofSeconds(timeout),
                    stateDir.toAbsolutePath().normalize()));
        } catch (Bad b) {
            return new Invalid(b.variable, b.getMessage());
        }
    }

    private static String required(Function<String, String> env, String name) throws Bad {
        String v = env.apply(name);
        if (v == null || v.isEmpty()) {
            throw new Bad(name, "is not set");
        }
        return v;
    }

    private static String optional(Function<String, String> env, String name, String fallback) {
        String v = env.apply(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static char[] secret(Function<String, String> env, String name) throws Bad {
        return required(env, name).toCharArray();
    }

    private static int integer(Function<String, String> env, String name, int fallback, int min, int max)
            throws Bad {
        String v = env.apply(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v.strip());
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Bad(name, "must be an integer in " + min + ".." + max);
    }

    private static Path readableFile(Function<String, String> env, String name) throws Bad {
        String v = required(env, name);
        Path p;
        try {
            p = Path.of(v);
        } catch (InvalidPathException e) {
            throw new Bad(name, "is not a valid path");
        }
        if (!Files.isRegularFile(p)) {
            throw new Bad(name, "names no regular file: " + p);
        }
        if (!Files.isReadable(p)) {
            throw new Bad(name, "names a file this process cannot read: " + p);
        }
        return p;
    }

    /** The URL up to its query (a JDBC URL may carry a password parameter). */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }

    /** Passwords and the KEK are not shown. */
    @Override
    public String toString() {
        return "SignerConfig[" + host + ":" + port + ", keystore " + keystore + ", truststore " + truststore
                + ", KEK " + (kekFile != null ? "file " + kekFile : "from SIGNER_KEK_HEX") + ", permit key "
                + permitPublicKey + ", database " + withoutQuery(databaseUrl) + ", session timeout " + sessionTimeout
                + ", state " + stateDir + "]";
    }
}
