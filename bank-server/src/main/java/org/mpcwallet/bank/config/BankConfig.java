package org.mpcwallet.bank.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;

/**
 * bank-server's configuration (prefix {@code bank}, filled from environment variables in application.properties).
 *
 * @param dataDir              BANK_DATA_DIR: root of the bank's local data; the embedded PostgreSQL lives in
 *                             {@code <dataDir>/postgres}. Relative paths resolve against the working directory.
 * @param databaseUrl          DATABASE_URL: a {@code jdbc:postgresql:} URL; blank means "start the embedded PostgreSQL"
 * @param databaseUser         DATABASE_USER (only with DATABASE_URL)
 * @param databasePassword     DATABASE_PASSWORD (only with DATABASE_URL); never logged
 * @param embeddedPostgresPort BANK_DB_PORT: port of the embedded PostgreSQL; 0 picks a free port
 * @param embeddedPostgresBinaries BANK_DB_BINARIES_DIR: a private directory (mode 700) the embedded PostgreSQL's
 *                             binaries unpack into; blank means {@code <dataDir>/pg-bin}
 * @param databasePoolSize     BANK_DB_POOL_SIZE: maximum JDBC connections
 * @param databaseConnectTimeoutMillis BANK_DB_CONNECT_TIMEOUT_MS: how long a request waits for a database
 *                             connection before failing (and /health reports DOWN)
 */
@ConfigurationProperties("bank")
public record BankConfig(
        @NotBlank String dataDir,
        @Nullable String databaseUrl,
        @Nullable String databaseUser,
        @Nullable String databasePassword,
        @Min(0) @Max(65535) int embeddedPostgresPort,
        @Nullable String embeddedPostgresBinaries,
        @Min(2) @Max(200) int databasePoolSize,
        @Min(250) @Max(60_000) int databaseConnectTimeoutMillis) {

    public BankConfig {
        databaseUrl = blankToNull(databaseUrl);
        databaseUser = blankToNull(databaseUser);
        databasePassword = blankToNull(databasePassword);
        embeddedPostgresBinaries = blankToNull(embeddedPostgresBinaries);
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("DATABASE_URL must be a jdbc:postgresql: URL");
        }
        if (databaseUrl == null && (databaseUser != null || databasePassword != null)) {
            throw new IllegalArgumentException("DATABASE_USER/DATABASE_PASSWORD are set but DATABASE_URL is not");
        }
    }

    /** True when no external database is configured and the embedded PostgreSQL is used. */
    public boolean embedded() {
        return databaseUrl == null;
    }

    /** The embedded PostgreSQL's data directory, absolute. */
    public Path embeddedPostgresDir() {
        return Path.of(dataDir).toAbsolutePath().normalize().resolve("postgres");
    }

    /** Where the embedded PostgreSQL's binaries unpack, absolute; null for {@code <dataDir>/pg-bin}. */
    public Path embeddedPostgresBinariesDir() {
        return embeddedPostgresBinaries == null ? null : Path.of(embeddedPostgresBinaries).toAbsolutePath().normalize();
    }

    @Override
    public String toString() {
        return "BankConfig[dataDir=" + dataDir + ", databaseUrl=" + databaseUrl + ", databaseUser=" + databaseUser
                + ", databasePassword=" + (databasePassword == null ? "unset" : "(redacted)")
                + ", embeddedPostgresPort=" + embeddedPostgresPort + ", embeddedPostgresBinaries=" + embeddedPostgresBinaries
                + ", databasePoolSize=" + databasePoolSize
                + ", databaseConnectTimeoutMillis=" + databaseConnectTimeoutMillis + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
