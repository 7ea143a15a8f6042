package org.mpcwallet.signer.service;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.sql.DataSource;
import org.mpcwallet.signer.SignerAssembly;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.mpcwallet.signer.permit.PermitKeys;
import org.mpcwallet.signer.pg.PgNonceLedger;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.tls.MutualTls;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs bank-signer as a separate process: {@link SignerService} over the signer {@link SignerAssembly} builds on the
 * PostgreSQL repositories, after applying the signer's migrations to SIGNER_DATABASE_URL (docs/bank-signer.md
 * "Signer service", "Storage and migrations"). Configured by environment variables ({@link SignerConfig}); prints
 * {@code bank-signer listening on port N} on stdout once it accepts connections. Exit codes: 2 invalid configuration
 * (one line on stderr naming the variable, never its value), 1 a failure at start (database unreachable, a migration
 * failing, port taken). Stops cleanly on SIGTERM.
 */
public final class SignerMain {
    private static final System.Logger LOG = System.getLogger(SignerMain.class.getName());
    private static final long PRUNE_PERIOD_MINUTES = 10;

    private SignerMain() {}

    public static void main(String[] args) {
        if (args.length != 0) {
            System.err.println("bank-signer: takes no arguments; it is configured by SIGNER_* environment variables"
                    + " (docs/bank-signer.md)");
            System.exit(2);
        }
        int code = start(System::getenv, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
        // the HTTP server's threads keep the process alive until SIGTERM runs the shutdown hook
    }

    /** Starts the service and registers its shutdown hook; returns 0, or the exit code after printing why. */
    static int start(Function<String, String> env, PrintStream out, PrintStream err) {
        // bound how long one request may take to arrive and to be answered (the JDK server's defaults are unbounded)
        defaultProperty("sun.net.httpserver.maxReqTime", "60");
        defaultProperty("sun.net.httpserver.maxRspTime", "120");

        SignerConfig config;
        switch (SignerConfig.from(env)) {
            case SignerConfig.Invalid bad -> {
                err.println("bank-signer: configuration error: " + bad.message());
                return 2;
            }
            case SignerConfig.Ok ok -> config = ok.config();
        }
        SSLContext tls;
        try {
            tls = MutualTls.context(config.keystore(), config.keystorePassword(), config.truststore(),
                    config.truststorePassword());
        } catch (MutualTls.TlsSetupException e) {
            err.println("bank-signer: configuration error: SIGNER_KEYSTORE/SIGNER_TRUSTSTORE: " + e.getMessage());
            return 2;
        } finally {
            Arrays.fill(config.keystorePassword(), '\0');
            Arrays.fill(config.truststorePassword(), '\0');
        }
        SignerAssembly.Kek kek;
        try {
            kek = config.kekFile() != null ? SignerAssembly.kekFromFile(config.kekFile())
                    : SignerAssembly.kekFromHex(config.kekHex());
        } catch (IOException e) {
            err.println("bank-signer: configuration error: SIGNER_KEK_FILE cannot be read ("
                    + e.getClass().getSimpleName() + ")");
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("bank-signer: configuration error: " + (config.kekFile() != null ? "SIGNER_KEK_FILE: "
                    : "SIGNER_KEK_HEX: ") + e.getMessage());
            return 2;
        }
        PublicKey permitKey;
        try {
            permitKey = PermitKeys.publicKeyFromX509(Files.readAllBytes(config.permitPublicKey()));
        } catch (IOException | IllegalArgumentException e) {
            err.println("bank-signer: configuration error: SIGNER_PERMIT_PUBLIC_KEY must name an Ed25519 public "
                    + "key in X.509 DER (" + e.getClass().getSimpleName() + ")");
            kek.destroy();
            return 2;
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setURL(config.databaseUrl());
        } catch (IllegalArgumentException e) {
            err.println("bank-signer: configuration error: SIGNER_DATABASE_URL is not a valid PostgreSQL JDBC URL");
            kek.destroy();
            return 2;
        }
        if (config.databaseUser() != null) {
            dataSource.setUser(config.databaseUser());
        }
        if (config.databasePassword() != null) {
            dataSource.setPassword(new String(config.databasePassword()));
            Arrays.fill(config.databasePassword(), '\0');
        }
        dataSource.setApplicationName("bank-signer");
        dataSource.setConnectTimeout(10);
        String schemaProblem = migrate(dataSource, err);
        if (schemaProblem != null) {
            err.println("bank-signer: " + schemaProblem);
            kek.destroy();
            return 1;
        }

        SignerGateway gateway = SignerAssembly.inProcess(dataSource, new SignerAssembly.Settings(kek, permitKey,
                config.stateDir().resolve(HIGH_WATER_FILE), config.sessionTimeout(),
                (keysetId, cause) -> LOG.log(System.Logger.Level.WARNING, "keyset " + keysetId + " LOCKED: "
                        + cause.kind() + " at " + cause.step() + " (the lock is stored; the key is retired)")));
        Clock clock = Clock.systemUTC();
        PgNonceLedger ledger = new PgNonceLedger(dataSource);
        SignerService service;
        try {
            service = SignerService.start(gateway, tls, new InetSocketAddress(config.host(), config.port()));
        } catch (IOException | RuntimeException e) {
            err.println("bank-signer: cannot listen on " + config.host() + ":" + config.port() + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            kek.destroy();
            return 1;
        }
        ScheduledExecutorService pruner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "signer-nonce-pruner");
            t.setDaemon(true);
            return t;
        });
        pruner.scheduleWithFixedDelay(() -> {
            try {
                ledger.prune(clock.millis());
            } catch (PersistenceException e) {
                LOG.log(System.Logger.Level.WARNING, "pruning expired permit nonces failed: " + e.getMessage());
            }
        }, PRUNE_PERIOD_MINUTES, PRUNE_PERIOD_MINUTES, TimeUnit.MINUTES);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pruner.shutdownNow();
                service.close();
            } catch (RuntimeException e) {
                err.println("bank-signer: error while stopping: " + e.getClass().getName() + ": " + e.getMessage());
            } finally {
                kek.destroy();
                err.println("bank-signer stopped");
                err.flush();
            }
        }, "signer-shutdown"));
        err.println("bank-signer: KEK id " + kek.id() + ", session timeout " + config.sessionTimeout().toSeconds()
                + " s, database " + SignerConfig.withoutQuery(config.databaseUrl()) + ", mutual TLS 1.3 on "
                + config.host());
        out.println("bank-signer listening on port " + service.port());
        out.flush();
        return 0;
    }

    /** The presignature ledger's furthest mark, in SIGNER_STATE_DIR (docs/operations.md "Restoring a backup"). */
    static final String HIGH_WATER_FILE = "presign-high-water";

    /**
     * Applies the signer's migrations (SignerAssembly.migrate) on SIGNER_DATABASE_URL. Null when the signer's tables
     * are in place; otherwise what is wrong (SQLSTATE or Flyway's error code only, no driver text).
     */
    private static String migrate(DataSource dataSource, PrintStream err) {
        try (Connection c = dataSource.getConnection()) {
            c.isValid(10);
        } catch (SQLException e) {
            return "cannot use the database at SIGNER_DATABASE_URL (SQLSTATE " + e.getSQLState() + ", "
                    + e.getClass().getSimpleName() + ")";
        }
        try {
            SignerAssembly.Migrated m = SignerAssembly.migrate(dataSource);
            err.println("bank-signer: schema at version " + m.version() + " (" + m.applied()
                    + " migration(s) applied now" + (m.baselineVersion() == null || m.baselineVersion() == 0 ? ""
                    : ", the tables of bank-server's earlier migrations adopted at " + m.baselineVersion()) + ")");
            return null;
        } catch (PersistenceException e) {
            return e.getMessage() + " on SIGNER_DATABASE_URL";
        }
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
