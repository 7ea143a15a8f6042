package org.mpcwallet.signer;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.mpcwallet.signer.gateway.LocalSignerGateway;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.pg.PgLockRepository;
import org.mpcwallet.signer.pg.PgNonceLedger;
import org.mpcwallet.signer.pg.PgPresignatureRepository;
import org.mpcwallet.signer.pg.PgRingPedersenRepository;
import org.mpcwallet.signer.pg.PgShareRepository;
import org.mpcwallet.signer.pg.SignerMigrations;
import org.mpcwallet.signer.store.FileHighWater;
import org.mpcwallet.signer.store.KekTool;
import org.mpcwallet.signer.store.KeyEncryptionKey;

/**
 * The public entry point of bank-signer for a process that runs the signer over PostgreSQL (docs/bank-signer.md
 * "Storage and migrations"): bank-server with the signer in-process, and {@code SignerMain} for a remote signer.
 * {@link #migrate} applies the signer's own migrations; {@link #inProcess} builds the {@link SignerGateway} over the
 * PostgreSQL repositories. Callers use this class, the {@code gateway} types and the {@code permit} types, nothing
 * else of the module (bank-server's {@code SignerBorderTest} holds it to that).
 */
public final class SignerAssembly {
    private SignerAssembly() {
    }

    /**
     * What {@link #migrate} did.
     *
     * @param baselineVersion the version the signer's history was started at on this call (0: the signer's tables
     *                        were created here; 1..5: they came from bank-server's earlier migrations and were adopted),
     *                        or null when the history already existed
     * @param applied         migrations applied on this call
     * @param version         the signer schema's version afterwards
     */
    public record Migrated(Integer baselineVersion, int applied, String version) {
    }

    /**
     * The in-process signer's settings.
     *
     * @param kek             the key-encryption key of the stored shares and presignatures
     * @param permitPublicKey the orchestrator's Ed25519 key the signer verifies signing permits with
     * @param highWaterFile   where the presignature ledger's furthest mark is kept, outside the database
     *                        (docs/operations.md "Restoring a database backup")
     * @param sessionTimeout  a session not advanced for this long expires
     * @param onLock          told when a keyset's key locks itself (after the lock is stored)
     */
    public record Settings(Kek kek, PublicKey permitPublicKey, Path highWaterFile, Duration sessionTimeout,
                           LockListener onLock) {
        public Settings {
            if (kek == null || permitPublicKey == null || highWaterFile == null || sessionTimeout == null
                    || onLock == null) {
                throw new IllegalArgumentException("KEK, permit public key, high-water file, session timeout and lock "
                        + "listener are required");
            }
        }
    }

    /**
     * The key-encryption key of the stored shares and presignatures, opaque to callers: made by {@link #kekFromHex},
     * {@link #kekFromFile} or {@link #generateKek}; its {@code toString} names the key's id, never the key.
     */
    public static final class Kek {
        private final KeyEncryptionKey key;

        private Kek(KeyEncryptionKey key) {
            this.key = key;
        }

        /** The key's public id (a hash of it, recorded with every stored blob). */
        public String id() {
            return key.id();
        }

        /** Overwrites the key in memory (at shutdown). */
        public void destroy() {
            key.destroy();
        }

        @Override
        public String toString() {
            return key.toString();
        }
    }

    /** The KEK from 64 hex characters; {@link IllegalArgumentException} (no key material in it) otherwise. */
    public static Kek kekFromHex(CharSequence hex) {
        return new Kek(KeyEncryptionKey.fromHex(hex));
    }

    /** The KEK from its file (docs/bank-signer.md); {@link IllegalArgumentException} for a malformed one. */
    public static Kek kekFromFile(Path file) throws IOException {
        return new Kek(KeyEncryptionKey.fromFile(file));
    }

    /**
     * A new random KEK written to {@code file} (created with mode 600; {@link java.nio.file.FileAlreadyExistsException}
     * when it exists): the development default, production keeps the KEK apart from the database and its backups.
     */
    public static Kek generateKek(Path file, SecureRandom random) throws IOException {
        return new Kek(KekTool.generate(file, random));
    }

    /** A failure of the signer's storage (the database cannot be reached, a statement failed); no secrets. */
    public static final class StorageFailure extends RuntimeException {
        StorageFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The operator's step after restoring a database backup (docs/operations.md "Restoring a database backup"):
     * every stored presignature is deleted and the presignature ledger's restore epoch bumped, so nothing stored
     * before can be taken again. Returns the new restore epoch.
     */
    public static long backupRestored(DataSource dataSource) {
        try {
            return new PgPresignatureRepository(dataSource).restored().restoreEpoch();
        } catch (org.mpcwallet.signer.spi.PersistenceException e) {
            throw new StorageFailure(e.getMessage(), e);
        }
    }

    /**
     * Applies the signer's migrations ({@code classpath:db/signer}, history table {@code signer_schema_history}) to
     * the data source's current schema, adopting tables created by bank-server's migrations before issue 11.
     *
     * @throws org.mpcwallet.signer.spi.PersistenceException if the database cannot be reached or a migration fails
     */
    public static Migrated migrate(DataSource dataSource) {
        SignerMigrations.Result r = SignerMigrations.migrate(dataSource);
        return new Migrated(r.baselineVersion(), r.applied(), r.version());
    }

    /**
     * The signer over the PostgreSQL repositories of {@code dataSource} (migrated by {@link #migrate}), behind a
     * {@link LocalSignerGateway}. Loads or creates the signer's ring-Pedersen parameters (the first instance on a
     * database creates them, about a second).
     */
    public static SignerGateway inProcess(DataSource dataSource, Settings settings) {
        if (dataSource == null || settings == null) {
            throw new IllegalArgumentException("dataSource and settings required");
        }
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        BankSigner signer = new BankSigner(settings.kek().key,
                new PermitVerifier(settings.permitPublicKey(), clock, new PgNonceLedger(dataSource)),
                new PgShareRepository(dataSource), new PgPresignatureRepository(dataSource),
                new PgLockRepository(dataSource), settings.onLock(), random,
                BankRingPedersen.loadOrCreate(new PgRingPedersenRepository(dataSource), random),
                new FileHighWater(settings.highWaterFile()));
        return new LocalSignerGateway(signer, clock, settings.sessionTimeout(), random);
    }
}
